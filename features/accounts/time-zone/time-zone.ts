import "server-only";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";

/**
 * The browser's zone becomes the person's zone the first time we hear it, and never again: a zone
 * they chose on the account page (or one defaulted earlier) is not overwritten by the laptop they
 * happen to use today. One conditional UPDATE, so two tabs loading at once set it once.
 */
export async function defaultTimeZoneFromBrowser(userId: string, timeZone: string): Promise<{ set: boolean }> {
  const result = await db.user.updateMany({ where: { id: userId, timeZone: null }, data: { timeZone } });
  return { set: result.count === 1 };
}

/** The person's own choice on the account page. */
export async function changeOwnTimeZone(actor: Pick<Actor, "userId" | "role">, timeZone: string): Promise<{ timeZone: string }> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { timeZone } });
    await recordAudit(
      {
        action: "account.time_zone_changed",
        actor: { userId: actor.userId, role: actor.role },
        subjectType: "user",
        subjectId: actor.userId,
        details: { timeZone },
      },
      tx,
    );
  });
  return { timeZone };
}

export async function ownTimeZone(userId: string): Promise<string | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  return user?.timeZone ?? null;
}
