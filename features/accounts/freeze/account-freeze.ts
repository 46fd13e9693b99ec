import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { mayEnter } from "@/platform/auth/policy";
import { db, type Prisma, type Role } from "@/platform/db/client";
import type { ChallengeActor } from "@/features/verification/challenges";
import type { staffUnlockSchema } from "@/features/verification/schemas";
import type { StaffUnlockResult } from "@/features/verification/code-locks";

/**
 * Accounts frozen by a "this wasn't me" link (User.frozenAt, set by features/accounts/contact-change/contact-change.ts:
 * no session works, sign-in refuses), and the staff review's last step: unfreezing, with a written
 * reason kept in the audit entry. Sessions ended by the freeze stay ended; the person signs in again.
 */

/**
 * Freezes an account (the "this wasn't me" link, a NO by text): no session works and sign-in
 * refuses until staff unfreeze it, every open session ends now, and an urgent internal ticket in
 * the console queue asks staff to review. In the caller's transaction.
 */
export async function freezeAccountForReview(
  tx: Prisma.TransactionClient,
  input: { userId: string; now: Date; ticket: { subject: string; note: string; requesterAddress: string } },
): Promise<{ ticketId: string; ticketNumber: number }> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { name: true, customerId: true, frozenAt: true } });
  await tx.user.update({ where: { id: input.userId }, data: { frozenAt: user.frozenAt ?? input.now } });
  await tx.authSession.updateMany({ where: { userId: input.userId, revokedAt: null }, data: { revokedAt: input.now } });
  const ticket = await tx.ticket.create({
    data: {
      subject: input.ticket.subject,
      category: "account-security",
      channel: "web",
      status: "new",
      priority: "urgent",
      customerId: user.customerId,
      requesterName: user.name,
      requesterAddress: input.ticket.requesterAddress,
      messages: { create: { kind: "internal_note", body: input.ticket.note } },
    },
    select: { id: true, number: true },
  });
  return { ticketId: ticket.id, ticketNumber: ticket.number };
}

export type FrozenAccount = { id: string; name: string; email: string; role: Role; frozenAt: Date; accountNumber: string | null };

export async function listFrozenAccounts(take = 100): Promise<FrozenAccount[]> {
  const users = await db.user.findMany({
    where: { frozenAt: { not: null } },
    orderBy: [{ frozenAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, name: true, email: true, role: true, frozenAt: true, customer: { select: { accountNumber: true } } },
  });
  return users.map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    frozenAt: user.frozenAt!,
    accountNumber: user.customer?.accountNumber ?? null,
  }));
}

/** Unfreezes another person's account: the same rules as code unlocks (not oneself; admins only by admins). */
export async function staffUnfreezeAccount(input: z.output<typeof staffUnlockSchema>, actor: ChallengeActor, ip: string | null): Promise<StaffUnlockResult> {
  if (!mayEnter(actor.role, "supervisor")) return { ok: false, code: "forbidden", message: "Your account is not allowed to unfreeze accounts." };
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, name: true, role: true } });
  if (!user) return { ok: false, code: "not_found", message: "There is no such account." };
  if (user.id === actor.userId) return { ok: false, code: "forbidden", message: "You cannot unfreeze your own account: ask another supervisor." };
  if (user.role === "admin" && actor.role !== "admin")
    return { ok: false, code: "forbidden", message: "Only an administrator can unfreeze an administrator's account." };
  return db.$transaction(async (tx): Promise<StaffUnlockResult> => {
    const frozen = await tx.user.findUnique({ where: { id: user.id }, select: { frozenAt: true } });
    // Conditional update: of two supervisors unfreezing at once, one succeeds and one is told.
    const done = await tx.user.updateMany({ where: { id: user.id, frozenAt: { not: null } }, data: { frozenAt: null } });
    if (done.count !== 1 || !frozen?.frozenAt)
      return { ok: false, code: "conflict", message: `${user.name}'s account is not frozen (any more): someone may have unfrozen it already.` };
    await recordAudit(
      {
        action: "identity.account_unfrozen",
        actor,
        subjectType: "User",
        subjectId: user.id,
        ip,
        details: { frozenAt: frozen.frozenAt.toISOString(), reasonGiven: true },
      },
      tx,
    );
    return { ok: true, message: `${user.name}'s account is unfrozen. They can sign in again with their password.` };
  });
}
