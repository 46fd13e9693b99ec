import "server-only";
import { recordAudit } from "@/platform/audit";
import { db, type PendingChangeKind, type Prisma } from "@/platform/db/client";
import { enqueueSms, kickOutboxWorker } from "@/platform/outbox/outbox";
import { verifyCode } from "@/features/verification/challenges";
import { codeMatches, normalizeCodeInput } from "@/features/verification/codes";
import { AddressTakenError, applyEmailChange } from "@/features/accounts/contact-change/contact-change";
import { applyPhoneChange } from "@/features/accounts/contact-change/phone";
import { applyTwoFactorOff } from "@/features/accounts/two-factor/two-factor";
import { applyPostalAddress } from "@/features/accounts/postal-address/postal-address";
import { SECURITY_ACTIONS } from "@/features/identity/security-actions";
import { freezeAccountForReview } from "@/features/accounts/freeze/account-freeze";
import { PENDING_CHANGE_LIFETIME_HOURS, PENDING_CHANGE_WORDS } from "@/features/accounts/text-confirmation/pending-changes";

/**
 * A text from a number with changes waiting for its answer (./pending-changes.ts):
 *  - the code of the latest text → that change is made (the code engine checks it: single use,
 *    5 tries, the account's failure lock; a wrong code counts as a wrong try);
 *  - NO (any case, with or without a full stop) → every change waiting for that number is
 *    refused, and each account asking is frozen as the "this wasn't me" link does: every session
 *    ends, and an urgent internal ticket asks staff to contact the owner. Refusing needs no code:
 *    the worst a forged sender number can do is freeze an account until staff look;
 *  - anything else → nothing (the text is kept in InboundSms).
 * The sender number is Twilio's From, checked by the webhook's signature (features/sms/).
 */

export type TextAnswer =
  | { outcome: "no_pending" }
  | { outcome: "ignored" }
  | { outcome: "approved"; pendingChangeId: string; kind: PendingChangeKind }
  | { outcome: "conflict"; pendingChangeId: string }
  | { outcome: "wrong_code" }
  | { outcome: "refused"; pendingChangeIds: string[] };

const NO_ANSWER = /^\s*no\s*[.!]*\s*$/i;
const TAKEN_BY_NOW = "taken";

type PendingRow = {
  id: string;
  userId: string;
  kind: PendingChangeKind;
  payload: Prisma.JsonValue;
  challengeId: string | null;
  requestIp: string | null;
  mobileE164: string;
};

function payloadString(payload: Prisma.JsonValue, key: string): string {
  const value = payload && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>)[key] : undefined;
  if (typeof value !== "string") throw new Error(`PendingChange payload lacks ${key}`);
  return value;
}

/** Makes the change a pending row holds, in the code's transaction; "taken" when its new email address now belongs to someone else. */
async function applyPendingChange(tx: Prisma.TransactionClient, change: PendingRow, now: Date): Promise<"applied" | typeof TAKEN_BY_NOW> {
  const actor = { userId: change.userId, role: "customer" as const, ip: change.requestIp ?? "" };
  switch (change.kind) {
    case "email":
      try {
        await applyEmailChange(tx, { ...actor, to: payloadString(change.payload, "email"), now });
      } catch (error) {
        if (error instanceof AddressTakenError) return TAKEN_BY_NOW;
        throw error;
      }
      return "applied";
    case "phone":
      await applyPhoneChange(tx, { ...actor, to: payloadString(change.payload, "e164"), now });
      return "applied";
    case "two_factor_off":
      await applyTwoFactorOff(tx, actor);
      return "applied";
    case "postal_address":
      await applyPostalAddress(tx, { ...actor, address: payloadString(change.payload, "address") });
      return "applied";
    case "identity_override":
    case "customer_merge":
      // Made by staff already: the owner's code confirms it was at their request.
      return "applied";
  }
}

export async function answerChangeByText(input: { fromE164: string; body: string; inboundSmsId: string; now?: Date }): Promise<TextAnswer> {
  const now = input.now ?? new Date();
  const waiting = await waitingFor(input.fromE164, now);
  if (waiting.length === 0) return { outcome: "no_pending" };
  if (NO_ANSWER.test(input.body)) return refuseAll(waiting, input.fromE164, input.inboundSmsId, now);

  const code = normalizeCodeInput(input.body);
  if (!code) return { outcome: "ignored" };
  // The live codes out for this number: one per account and purpose (a newer text replaces the older code).
  const challenges = await db.verificationChallenge.findMany({
    where: {
      id: { in: waiting.flatMap((change) => (change.challengeId ? [change.challengeId] : [])) },
      target: input.fromE164,
      consumedAt: null,
      invalidatedAt: null,
      expiresAt: { gt: now },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, purpose: true, target: true, codeHash: true },
  });
  if (challenges.length === 0) return { outcome: "wrong_code" };
  // Compared first without counting, so one reply costs one try in all, not one per code out; the
  // engine then consumes the matching code (or counts the wrong try against the newest).
  const matching = challenges.find((challenge) => codeMatches(code, challenge.codeHash, { purpose: challenge.purpose, target: challenge.target }));
  const tried = matching ?? challenges[0]!;
  let answer: TextAnswer | null = null;
  const verified = await verifyCode({
    purpose: tried.purpose,
    challengeId: tried.id,
    code,
    now,
    onVerified: async (tx, challenge) => {
      const change = await tx.pendingChange.findFirst({
        where: { challengeId: challenge.id, status: "pending" },
        select: { id: true, userId: true, kind: true, payload: true, challengeId: true, requestIp: true, mobileE164: true },
      });
      if (!change) return;
      // Claim it first: an approval racing a NO or a cancel makes one of them win.
      const claimed = await tx.pendingChange.updateMany({
        where: { id: change.id, status: "pending" },
        data: { status: "approved", decidedAt: now, decidedVia: "text" },
      });
      if (claimed.count !== 1) return;
      // Only the account's verified mobile of now approves: not a number it has since left.
      const owner = await tx.user.findUnique({ where: { id: change.userId }, select: { phoneE164: true, phoneVerifiedAt: true } });
      const applied = owner?.phoneE164 === change.mobileE164 && owner.phoneVerifiedAt ? await applyPendingChange(tx, change, now) : TAKEN_BY_NOW;
      if (applied === TAKEN_BY_NOW) {
        await tx.pendingChange.update({ where: { id: change.id }, data: { status: "cancelled", decidedVia: "conflict" } });
        answer = { outcome: "conflict", pendingChangeId: change.id };
        return;
      }
      await recordAudit(
        {
          action: SECURITY_ACTIONS.changeApprovedByText,
          subjectType: "User",
          subjectId: change.userId,
          details: { pendingChangeId: change.id, kind: change.kind, inboundSmsId: input.inboundSmsId },
        },
        tx,
      );
      answer = { outcome: "approved", pendingChangeId: change.id, kind: change.kind };
    },
  });
  if (verified.ok && answer) {
    void kickOutboxWorker();
    return answer;
  }
  return { outcome: "wrong_code" };
}

/** The changes still waiting for this number's answer (within their lifetime), oldest first. */
async function waitingFor(fromE164: string, now: Date): Promise<PendingRow[]> {
  return db.pendingChange.findMany({
    where: { mobileE164: fromE164, status: "pending", createdAt: { gt: new Date(now.getTime() - PENDING_CHANGE_LIFETIME_HOURS * 3_600_000) } },
    orderBy: { createdAt: "asc" },
    select: { id: true, userId: true, kind: true, payload: true, challengeId: true, requestIp: true, mobileE164: true },
  });
}

/**
 * STOP (or another opt-out word) from a number with changes waiting: those changes are refused as
 * by NO. An unexpected text is exactly when an owner answers STOP; letting it merely end the texts
 * would leave the change for whoever asked for it to push through another way.
 */
export async function refuseChangesOnOptOut(input: { fromE164: string; inboundSmsId: string; now?: Date }): Promise<TextAnswer> {
  const now = input.now ?? new Date();
  const waiting = await waitingFor(input.fromE164, now);
  if (waiting.length === 0) return { outcome: "no_pending" };
  return refuseAll(waiting, input.fromE164, input.inboundSmsId, now, { acknowledge: false });
}

async function refuseAll(
  waiting: PendingRow[],
  fromE164: string,
  inboundSmsId: string,
  now: Date,
  options: { acknowledge: boolean } = { acknowledge: true },
): Promise<TextAnswer> {
  const refused = await db.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const change of waiting) {
      const done = await tx.pendingChange.updateMany({
        where: { id: change.id, status: "pending" },
        data: { status: "refused", decidedAt: now, decidedVia: "text" },
      });
      if (done.count !== 1) continue;
      ids.push(change.id);
      if (change.challengeId) await tx.verificationChallenge.updateMany({ where: { id: change.challengeId, consumedAt: null }, data: { invalidatedAt: now } });
      if (change.kind === "identity_override") await endRefusedOverride(tx, change, now);
    }
    const byUser = new Map<string, PendingRow[]>();
    for (const change of waiting.filter((row) => ids.includes(row.id))) byUser.set(change.userId, [...(byUser.get(change.userId) ?? []), change]);
    for (const [userId, changes] of byUser) {
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
      const what = changes.map((change) => PENDING_CHANGE_WORDS[change.kind]).join(", ");
      const ticket = await freezeAccountForReview(tx, {
        userId,
        now,
        ticket: {
          subject: `Change refused by text: ${user.name}'s account is frozen`,
          requesterAddress: user.email,
          note: [
            changes.some((change) => change.kind === "customer_merge")
              ? `The owner's verified mobile answered NO to: ${what}. The merge stands until someone undoes it: check it on the customer's page (Merge history → Undo).`
              : changes.some((change) => change.kind === "identity_override")
                ? `The owner's verified mobile answered NO to: ${what}. The override no longer counts: whoever was verified on that ticket is not the owner.`
                : `The owner's verified mobile answered NO to: ${what}. Nothing was changed.`,
            "The account is frozen and every session has ended: someone who could sign in asked for the change. Contact the customer through their verified mobile or address, have them reset the password and consider two-factor sign-in, then unfreeze the account (Supervisor → Staff unlocks).",
          ].join("\n\n"),
        },
      });
      await recordAudit(
        {
          action: SECURITY_ACTIONS.changeRefusedByText,
          subjectType: "User",
          subjectId: userId,
          details: {
            pendingChangeIds: changes.map((change) => change.id),
            kinds: changes.map((change) => change.kind),
            inboundSmsId,
            ticketId: ticket.ticketId,
          },
        },
        tx,
      );
    }
    // After STOP nothing more is texted (the outbox would refuse it anyway).
    if (ids.length > 0 && options.acknowledge)
      await enqueueSms(
        {
          kind: "change-refused-ack",
          to: fromE164,
          text: "Veridesk: blocked. Nothing was changed, your account is frozen for your safety, and our support team will contact you.",
        },
        tx,
      );
    return ids;
  });
  void kickOutboxWorker();
  return { outcome: "refused", pendingChangeIds: refused };
}

/** A NO to a supervisor's override: it stops counting at once, and its ticket says why. */
async function endRefusedOverride(tx: Prisma.TransactionClient, change: PendingRow, now: Date): Promise<void> {
  const checkId = payloadString(change.payload, "checkId");
  const ticketId = payloadString(change.payload, "ticketId");
  await tx.identityCheck.updateMany({ where: { id: checkId, expiresAt: { gt: now } }, data: { expiresAt: now } });
  await tx.ticketMessage.create({
    data: {
      ticketId,
      kind: "internal_note",
      body: "The customer's verified mobile answered NO to the text about this identity override: the override no longer counts, and the customer's portal account is frozen. Whoever was verified here is not the owner.",
      createdAt: now,
    },
  });
}
