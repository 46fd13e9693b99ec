import "server-only";
/**
 * Deactivating and reactivating staff accounts (administrators, on /admin/staff).
 *
 * Deactivating, in one transaction under the administrators' lock (./admin-lock.ts):
 *  - sets User.disabledAt: sign-in then fails with the same generic answer as a wrong password
 *    (features/accounts/sign-in/credentials.ts) and no session of the account is accepted;
 *  - revokes every session at once (AuthSession.revokedAt; every instance reads them from PostgreSQL);
 *  - returns the person's open tickets (new, open, pending, on hold) to the queue, unassigned, each
 *    with an internal note "Returned to the queue: <name> was deactivated"; escalations they had
 *    claimed go back to waiting for a supervisor, with a note;
 *  - revokes the invitations they sent that are still pending (features/staff/inviter-revocation.ts);
 *  - keeps the row, so history (messages, audit events, escalations) still shows their name.
 * Refused: one's own account, and the last active administrator (race-safe: the lock serialises
 * two administrators deactivating each other, and the second one counts one administrator left).
 * Reactivating clears disabledAt; the sessions ended stay ended (they sign in again).
 */
import { recordAudit, recordAudits } from "@/platform/audit";
import { mayEnter } from "@/platform/auth/policy";
import { db, type Role } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { countActiveAdmins, lockAdminsAnd } from "@/features/staff/admin-lock";
import { revokeInvitationsSentBy } from "@/features/staff/inviter-revocation";

export const LAST_ADMIN_DEACTIVATE_MESSAGE =
  "Veridesk needs at least one active administrator: make someone else an administrator before deactivating this one.";

export const returnedToQueueNote = (name: string) => `Returned to the queue: ${name} was deactivated`;

type Admin = { userId: string; role: Role };

async function lockedTarget(tx: Parameters<typeof lockAdminsAnd>[0], userId: string, actor: Admin) {
  const locked = await lockAdminsAnd(tx, userId, actor.userId);
  const target = locked.find((user) => user.id === userId);
  if (!target) throw new DomainError("There is no such account.", "not_found");
  if (target.role === "customer") throw new DomainError(`${target.name} is a customer account: only staff are managed here.`, "invalid");
  return { locked, target };
}

function requireStillAdmin(locked: Awaited<ReturnType<typeof lockAdminsAnd>>, actor: Admin) {
  const me = locked.find((user) => user.id === actor.userId);
  if (!me || me.role !== "admin" || me.disabledAt)
    throw new DomainError("Only an administrator can deactivate or reactivate staff (your own account has just changed).", "forbidden");
}

export async function deactivateStaff(
  userId: string,
  actor: Admin,
  ip: string | null,
  now: Date = new Date(),
): Promise<{ name: string; sessionsEnded: number; ticketsReturned: number; message: string }> {
  if (!mayEnter(actor.role, "admin")) throw new DomainError("Only an administrator can deactivate staff.", "forbidden");
  if (userId === actor.userId) throw new DomainError("You cannot deactivate your own account: ask another administrator.", "forbidden");

  return db.$transaction(async (tx) => {
    const { locked, target } = await lockedTarget(tx, userId, actor);
    // Counted under the lock, before the actor's own state: of two administrators deactivating
    // each other at once, the one who waited is told why.
    if (target.role === "admin" && !target.disabledAt && countActiveAdmins(locked) <= 1) throw new DomainError(LAST_ADMIN_DEACTIVATE_MESSAGE, "conflict");
    requireStillAdmin(locked, actor);
    if (target.disabledAt) throw new DomainError(`${target.name} is already deactivated.`, "conflict");

    await tx.user.update({ where: { id: target.id }, data: { disabledAt: now } });
    const sessions = await tx.authSession.updateMany({ where: { userId: target.id, revokedAt: null }, data: { revokedAt: now } });
    await revokeInvitationsSentBy(tx, target.id, actor, ip, "inviter_deactivated", now);
    const tickets = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "Ticket" SET "assigneeId" = NULL, "updatedAt" = ${now}
      WHERE "assigneeId" = ${target.id}::uuid AND status IN ('new', 'open', 'pending', 'on_hold')
      RETURNING id`;
    // Escalations they had claimed wait for a supervisor again (as a release would leave them).
    const escalations = await tx.$queryRaw<{ id: string; ticketId: string }[]>`
      UPDATE "Escalation" SET status = 'open', "assigneeId" = NULL, "claimedAt" = NULL
      WHERE "assigneeId" = ${target.id}::uuid AND status = 'claimed'
      RETURNING id, "ticketId"`;
    if (escalations.length > 0) {
      await tx.ticketMessage.createMany({
        data: escalations.map((escalation) => ({
          ticketId: escalation.ticketId,
          kind: "internal_note" as const,
          authorUserId: actor.userId,
          body: `Escalation released: ${target.name} was deactivated. Waiting for a supervisor again.`,
          createdAt: now,
        })),
      });
    }
    if (tickets.length > 0) {
      await tx.ticketMessage.createMany({
        data: tickets.map((ticket) => ({
          ticketId: ticket.id,
          kind: "internal_note" as const,
          authorUserId: actor.userId,
          body: returnedToQueueNote(target.name),
          createdAt: now,
        })),
      });
    }
    const auditActor = { userId: actor.userId, role: "admin" as const };
    await recordAudits(
      [
        {
          action: "user.deactivated",
          actor: auditActor,
          subjectType: "User",
          subjectId: target.id,
          ip,
          details: { sessionsEnded: sessions.count, ticketsReturned: tickets.length, escalationsReleased: escalations.length },
        },
        ...escalations.map((escalation) => ({
          action: "escalation.released",
          actor: auditActor,
          subjectType: "Escalation",
          subjectId: escalation.id,
          ip,
          details: { ticketId: escalation.ticketId, reason: "assignee_deactivated" },
        })),
        ...tickets.map((ticket) => ({
          action: "ticket.assigned",
          actor: auditActor,
          subjectType: "Ticket",
          subjectId: ticket.id,
          ip,
          details: { assigneeId: null, from: target.id, reason: "assignee_deactivated" },
        })),
      ],
      tx,
    );
    const ticketsText = tickets.length === 1 ? "1 open ticket went" : `${tickets.length} open tickets went`;
    return {
      name: target.name,
      sessionsEnded: sessions.count,
      ticketsReturned: tickets.length,
      message: `${target.name} was deactivated: they were signed out everywhere and can no longer sign in; ${ticketsText} back to the queue.`,
    };
  });
}

export async function reactivateStaff(userId: string, actor: Admin, ip: string | null): Promise<{ name: string; message: string }> {
  if (!mayEnter(actor.role, "admin")) throw new DomainError("Only an administrator can reactivate staff.", "forbidden");
  if (userId === actor.userId) throw new DomainError("You cannot reactivate your own account.", "forbidden");
  return db.$transaction(async (tx) => {
    const { locked, target } = await lockedTarget(tx, userId, actor);
    requireStillAdmin(locked, actor);
    if (!target.disabledAt) throw new DomainError(`${target.name} is already active.`, "conflict");
    await tx.user.update({ where: { id: target.id }, data: { disabledAt: null } });
    await recordAudit({ action: "user.reactivated", actor: { userId: actor.userId, role: "admin" }, subjectType: "User", subjectId: target.id, ip }, tx);
    return { name: target.name, message: `${target.name} was reactivated: they can sign in again with their password.` };
  });
}
