import "server-only";
import { recordAudits } from "@/platform/audit";
import type { Prisma } from "@/platform/db/client";

/**
 * An invitation speaks for the administrator who sent it: once they are deactivated or no longer
 * an administrator, the invitations they sent stop being pending (audited one by one, with why).
 * Runs in the caller's transaction, under the administrators' lock.
 */
export async function revokeInvitationsSentBy(
  tx: Prisma.TransactionClient,
  inviterId: string,
  actor: { userId: string },
  ip: string | null,
  reason: "inviter_deactivated" | "inviter_no_longer_admin",
  now: Date,
): Promise<number> {
  const revoked = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "StaffInvitation" SET "pendingEmail" = NULL, "revokedAt" = ${now}
    WHERE "invitedById" = ${inviterId}::uuid AND "pendingEmail" IS NOT NULL
    RETURNING id`;
  await recordAudits(
    revoked.map((invitation) => ({
      action: "staff.invitation_revoked",
      actor: { userId: actor.userId, role: "admin" as const },
      subjectType: "StaffInvitation",
      subjectId: invitation.id,
      ip,
      details: { reason, inviterId },
    })),
    tx,
  );
  return revoked.length;
}
