import "server-only";
/**
 * Staff roles, changed by administrators on /admin/staff.
 *
 * Rules (checked here, not only by the action wrapper):
 *  - Only administrators change roles, and only between agent, supervisor and administrator:
 *    a customer account is never made staff here, and staff are never made customers.
 *  - Nobody changes their own role (an administrator cannot lock themselves out by mistake).
 *  - Veridesk keeps at least one active administrator. The administrators' rows (and the acting
 *    and target rows) are locked with SELECT … FOR UPDATE before counting, so two administrators
 *    demoting each other at once leave one of them administrator, never none.
 *  - The change applies on the person's next request: sessions carry no role (actorForSession in
 *    platform/auth/sessions.ts reads it from the user row every time), so nobody is signed out.
 *  - An administrator made agent or supervisor loses the invitations they sent that are still pending.
 *  - Every change is audited as user.role_changed { from, to } in the same transaction.
 */
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { DomainError } from "@/platform/errors";
import { mayEnter } from "@/platform/auth/policy";
import { db, type Role } from "@/platform/db/client";
import { countActiveAdmins, lockAdminsAnd } from "@/features/staff/admin-lock";
import { revokeInvitationsSentBy } from "@/features/staff/inviter-revocation";
import { STAFF_ROLES, type StaffRole, type changeStaffRoleSchema } from "@/features/staff/schemas";

export const ROLE_LABEL: Record<Role, string> = { customer: "Customer", agent: "Agent", supervisor: "Supervisor", admin: "Administrator" };

export const LAST_ADMIN_MESSAGE = "Veridesk needs at least one admin: make someone else an administrator first.";

export type StaffMember = {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  disabled: boolean;
  lastSignInAt: Date | null;
};

const isStaffRole = (role: Role): role is StaffRole => (STAFF_ROLES as readonly Role[]).includes(role);

/** Every staff account (agents, supervisors, administrators), administrators first, then by name. */
export async function listStaff(): Promise<StaffMember[]> {
  const users = await db.user.findMany({
    where: { role: { in: [...STAFF_ROLES] } },
    select: { id: true, name: true, email: true, role: true, disabledAt: true, lastSignInAt: true },
  });
  const rank: Record<StaffRole, number> = { admin: 0, supervisor: 1, agent: 2 };
  return users
    .filter((user): user is typeof user & { role: StaffRole } => isStaffRole(user.role))
    .map((user) => ({ id: user.id, name: user.name, email: user.email, role: user.role, disabled: user.disabledAt !== null, lastSignInAt: user.lastSignInAt }))
    .sort((a, b) => rank[a.role] - rank[b.role] || a.name.localeCompare(b.name, "en") || a.id.localeCompare(b.id));
}

/** Changes a staff member's role; throws DomainError with a sentence for the person asking. */
export async function changeStaffRole(
  input: z.output<typeof changeStaffRoleSchema>,
  actor: { userId: string; role: Role },
  ip: string | null,
): Promise<{ userId: string; name: string; from: StaffRole; to: StaffRole; message: string }> {
  if (!mayEnter(actor.role, "admin")) throw new DomainError("Only an administrator can change staff roles.", "forbidden");
  if (input.userId === actor.userId) throw new DomainError("You cannot change your own role: ask another administrator.", "forbidden");

  return db.$transaction(async (tx) => {
    const locked = await lockAdminsAnd(tx, input.userId, actor.userId);
    const target = locked.find((user) => user.id === input.userId);
    if (!target) throw new DomainError("There is no such account.", "not_found");
    if (!isStaffRole(target.role)) throw new DomainError(`${target.name} is a customer account: customers cannot be made staff here.`, "invalid");
    // Counted under the lock. Checked before the actor's own role so that, of two administrators
    // demoting each other at once, the one who waited is told why (the other has just demoted them).
    const activeAdmins = countActiveAdmins(locked);
    if (target.role === "admin" && input.role !== "admin" && !target.disabledAt && activeAdmins <= 1) throw new DomainError(LAST_ADMIN_MESSAGE, "conflict");
    const me = locked.find((user) => user.id === actor.userId);
    // Read again under the lock: the session said admin, but someone may have changed that a moment ago.
    if (!me || me.role !== "admin" || me.disabledAt)
      throw new DomainError("Only an administrator can change staff roles (your own role has just changed).", "forbidden");
    if (target.role === input.role)
      throw new DomainError(`${target.name} is already ${article(input.role)} ${ROLE_LABEL[input.role].toLowerCase()}.`, "conflict");

    await tx.user.update({ where: { id: target.id }, data: { role: input.role } });
    if (target.role === "admin") await revokeInvitationsSentBy(tx, target.id, actor, ip, "inviter_no_longer_admin", new Date());
    await recordAudit(
      {
        action: "user.role_changed",
        actor: { userId: actor.userId, role: "admin" },
        subjectType: "User",
        subjectId: target.id,
        ip,
        details: { from: target.role, to: input.role },
      },
      tx,
    );
    return {
      userId: target.id,
      name: target.name,
      from: target.role,
      to: input.role,
      message: `${target.name} is now ${article(input.role)} ${ROLE_LABEL[input.role].toLowerCase()} (was ${ROLE_LABEL[target.role].toLowerCase()}). It applies on their next page load; they stay signed in.`,
    };
  });
}

function article(role: StaffRole): string {
  return role === "admin" || role === "agent" ? "an" : "a";
}
