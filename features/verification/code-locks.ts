import "server-only";
import type { z } from "zod";
import { db, type Role } from "@/platform/db/client";
import { type ChallengeActor, unlockCodeVerification } from "@/features/verification/challenges";
import type { staffUnlockSchema } from "@/features/verification/schemas";
import { MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT } from "@/features/verification/limits";

/**
 * Staff unlocks (/supervisor/unlocks): accounts whose one-time-code verification is locked
 * (User.codeLockedAt, set by features/verification/challenges.ts after MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT
 * wrong codes in a row), and lifting that lock with a written reason, which the audit entry keeps.
 */

export type LockedAccount = {
  id: string;
  name: string;
  email: string;
  role: Role;
  lockedAt: Date;
  failureCount: number;
  accountNumber: string | null;
};

export const CODE_LOCK_THRESHOLD = MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT;

export async function listCodeLockedAccounts(take = 100): Promise<LockedAccount[]> {
  const users = await db.user.findMany({
    where: { codeLockedAt: { not: null } },
    orderBy: [{ codeLockedAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, name: true, email: true, role: true, codeLockedAt: true, codeFailureCount: true, customer: { select: { accountNumber: true } } },
  });
  return users.map((user) => ({
    id: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    lockedAt: user.codeLockedAt!,
    failureCount: user.codeFailureCount,
    accountNumber: user.customer?.accountNumber ?? null,
  }));
}

export type StaffUnlockResult = { ok: true; message: string } | { ok: false; message: string; code: "forbidden" | "conflict" | "not_found" };

/**
 * Unlocks code verification for another person's account. Nobody unlocks their own account (a
 * second person looks at every lock), and only an administrator unlocks an administrator.
 */
export async function staffUnlockCodeVerification(
  input: z.output<typeof staffUnlockSchema>,
  actor: ChallengeActor,
  ip: string | null,
): Promise<StaffUnlockResult> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true, name: true, role: true } });
  if (!user) return { ok: false, code: "not_found", message: "There is no such account." };
  if (user.id === actor.userId) return { ok: false, code: "forbidden", message: "You cannot unlock your own account: ask another supervisor." };
  if (user.role === "admin" && actor.role !== "admin")
    return { ok: false, code: "forbidden", message: "Only an administrator can unlock an administrator's account." };
  const result = await unlockCodeVerification(user.id, actor, ip, input.reason);
  if (result.ok)
    return {
      ok: true,
      message: `Code verification unlocked for ${user.name}. ${result.failuresCleared} failed ${result.failuresCleared === 1 ? "attempt" : "attempts"} cleared; they can ask for a new code now.`,
    };
  switch (result.reason) {
    case "not_locked":
      return { ok: false, code: "conflict", message: `${user.name}'s account is not locked (any more): someone may have unlocked it already.` };
    case "no_user":
      return { ok: false, code: "not_found", message: "There is no such account." };
    case "forbidden":
      return { ok: false, code: "forbidden", message: "Your account is not allowed to unlock accounts." };
  }
}
