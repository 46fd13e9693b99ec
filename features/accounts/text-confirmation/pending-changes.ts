import "server-only";
import { recordAudit } from "@/platform/audit";
import { db, type PendingChangeKind, type Prisma, type Role } from "@/platform/db/client";
import { maskPhone } from "@/platform/mask";
import { isSmsOptedOut } from "@/platform/outbox/sms-opt-outs";
import { truncateText } from "@/platform/text/schemas";
import { issueChallenge } from "@/features/verification/challenges";
import { SECURITY_ACTIONS } from "@/features/identity/security-actions";

/**
 * Changes that wait for the owner's answer by text (issue 13): when a customer whose mobile is
 * verified changes their email address, their mobile, turns two-factor sign-in off or changes
 * their postal address, the change is not made at once. It is kept as a PendingChange and the
 * verified mobile gets a text: "Reply 123456 to approve it, or NO to block it." The reply arrives
 * on the Twilio webhook (features/sms/inbound-sms.ts) and ./answer-by-text.ts applies or refuses it.
 *
 * Why: whoever holds a stolen password (or an unlocked laptop) can ask for any of these changes;
 * only the owner holds the verified phone. Approving needs the code (so a spoofed sender number
 * alone approves nothing); refusing never does (NO from the number is enough, and freezes the
 * account as the "this wasn't me" link does).
 *
 * The code is an ordinary one-time code of the engine (purpose change_confirmation): CSPRNG, keyed
 * hash, single use, 5 tries, the per-account failure lock, cooldown and SMS caps all apply, and it
 * lives SMS_CODE_LIFETIME_SECONDS (10 min; the issue's 15-minute window yields to the 10-minute
 * rule for SMS codes). No answer in time leaves the change pending and visible: the owner may
 * have a new text sent, or cancel it; agents see it on the ticket.
 *
 * One pending change per (account, kind) (a partial unique index): asking again replaces it.
 * Texts go only to a verified mobile that has not opted out (STOP): with none, the flow makes the
 * change at once with the notices it always sent, as before.
 */

export const PENDING_CHANGE_WORDS: Record<PendingChangeKind, string> = {
  email: "email address change",
  phone: "mobile number change",
  two_factor_off: "turning off two-factor sign-in",
  postal_address: "postal address change",
  identity_override: "a supervisor's identity override",
  customer_merge: "a merge of customer records",
};

/**
 * Staff actions the owner is told of by text: made at once (staff are accountable, and a customer
 * who lost their phone must still be helped), the owner confirms with the code or refuses with NO
 * (which freezes the account and, for an override, ends it). Their codes have their own purpose,
 * sent by staff: not counted toward the self-service SMS cap per IP, and never replacing the code
 * of a change the customer asked for.
 */
export const STAFF_CHANGE_KINDS: readonly PendingChangeKind[] = ["identity_override", "customer_merge"];
export const isStaffChange = (kind: PendingChangeKind) => STAFF_CHANGE_KINDS.includes(kind);
export const confirmationPurposeOf = (kind: PendingChangeKind): "staff_change_confirmation" | "change_confirmation" =>
  isStaffChange(kind) ? "staff_change_confirmation" : "change_confirmation";

type Tx = Prisma.TransactionClient;
const MAX_SUMMARY_CHARACTERS = 80;

/** What the account pages say of a mobile that replied STOP. */
export const OPTED_OUT_WORDS =
  "This number replied STOP, so we send it no texts: no sign-in codes, and no texts to approve changes to your account, so your email address, mobile number, postal address and two-factor sign-in cannot be changed until it texts START to our number.";

/** A change refused because the verified mobile that must approve it replied STOP. */
export const OPTED_OUT_REFUSAL =
  "Your verified mobile replied STOP, so we cannot text it to approve this change. Text START to our number from it and try again, or contact our support.";

/**
 * Thrown (inside a flow's transaction, so nothing is kept) when the verified mobile that must
 * approve a change has opted out of texts. Not "make it at once": otherwise whoever holds the
 * password would need only the owner's STOP (a natural answer to an unexpected text) to get past.
 */
export class TextConfirmationUnavailableError extends Error {
  constructor() {
    super(OPTED_OUT_REFUSAL);
    this.name = "TextConfirmationUnavailableError";
  }
}

/** How long a change waits for the owner's answer (the texted code itself lives 10 minutes; a new one may be asked for until then). */
export const PENDING_CHANGE_LIFETIME_HOURS = 24;
const stillWaiting = (now: Date) => ({ status: "pending" as const, createdAt: { gt: new Date(now.getTime() - PENDING_CHANGE_LIFETIME_HOURS * 3_600_000) } });

async function verifiedMobileOf(userId: string, client: Tx | typeof db): Promise<{ mobile: string; optedOut: boolean } | null> {
  const user = await client.user.findUnique({ where: { id: userId }, select: { role: true, phoneE164: true, phoneVerifiedAt: true } });
  if (!user || user.role !== "customer" || !user.phoneE164 || !user.phoneVerifiedAt) return null;
  return { mobile: user.phoneE164, optedOut: await isSmsOptedOut(user.phoneE164, client) };
}

/**
 * The number that must approve this account's change, or null when its changes need no text (not
 * a customer, or no verified mobile). Throws TextConfirmationUnavailableError when that number
 * replied STOP.
 */
export async function confirmationMobileOf(userId: string, client: Tx | typeof db = db): Promise<string | null> {
  const verified = await verifiedMobileOf(userId, client);
  if (!verified) return null;
  if (verified.optedOut) throw new TextConfirmationUnavailableError();
  return verified.mobile;
}

/** Before a flow starts (and sends any code): the refusal to show when its change could not be approved by text. */
export async function textConfirmationRefusal(userId: string): Promise<string | null> {
  const verified = await verifiedMobileOf(userId, db);
  return verified?.optedOut ? OPTED_OUT_REFUSAL : null;
}

/**
 * Records the change as waiting, in the caller's transaction (the flow's own checks and codes are
 * done). Any earlier pending change of the same kind is superseded. Send the text after the
 * commit with sendConfirmationText.
 */
export async function createPendingChange(
  tx: Tx,
  input: {
    userId: string;
    kind: PendingChangeKind;
    payload: Prisma.InputJsonObject;
    summary: string;
    mobileE164: string;
    ip: string;
    now: Date;
    /** Who asked: the owner (default), or the staff member whose action the owner is told of. */
    actor?: { userId: string; role: Role };
  },
): Promise<{ pendingChangeId: string }> {
  // A new request replaces the owner's earlier one of its kind; staff actions each stay refusable.
  if (!isStaffChange(input.kind))
    await tx.pendingChange.updateMany({
      where: { userId: input.userId, kind: input.kind, status: "pending" },
      data: { status: "cancelled", decidedAt: input.now, decidedVia: "superseded" },
    });
  const created = await tx.pendingChange.create({
    data: {
      userId: input.userId,
      kind: input.kind,
      payload: input.payload,
      // It must fit the text (issueChallenge refuses a summary over 80 characters).
      summary: truncateText(input.summary, MAX_SUMMARY_CHARACTERS, "..."),
      mobileE164: input.mobileE164,
      requestIp: input.ip,
      createdAt: input.now,
    },
    select: { id: true },
  });
  await recordAudit(
    {
      action: SECURITY_ACTIONS.changeAwaitingText,
      actor: input.actor ?? { userId: input.userId, role: "customer" },
      subjectType: "User",
      subjectId: input.userId,
      ip: input.ip,
      details: { pendingChangeId: created.id, kind: input.kind },
    },
    tx,
  );
  return { pendingChangeId: created.id };
}

export type TextSent = { ok: true; maskedMobile: string; expiresAt: string; resendAvailableAt: string };
export type TextNotSent = { ok: false; maskedMobile: string; message: string; availableAt?: string };

/** Texts the code for a pending change (again). A refusal (cooldown, daily cap, lock) leaves the change pending. */
export async function sendConfirmationText(input: { userId: string; pendingChangeId: string; ip: string; now?: Date }): Promise<TextSent | TextNotSent> {
  const now = input.now ?? new Date();
  const pending = await db.pendingChange.findFirst({
    where: { id: input.pendingChangeId, userId: input.userId, ...stillWaiting(now) },
    select: { id: true, mobileE164: true, summary: true, kind: true },
  });
  if (!pending)
    return { ok: false, maskedMobile: "", message: "This change is no longer waiting: it was approved, blocked, cancelled or left unanswered for too long." };
  const maskedMobile = maskPhone(pending.mobileE164);
  // Only the account's verified mobile of now may approve: not a number it has since left.
  const current = await verifiedMobileOf(input.userId, db);
  if (current?.mobile !== pending.mobileE164)
    return { ok: false, maskedMobile, message: "Your mobile number has changed since this change was asked for: ask for it again." };
  if (current.optedOut) return { ok: false, maskedMobile, message: OPTED_OUT_REFUSAL };
  const issued = await issueChallenge({
    purpose: confirmationPurposeOf(pending.kind),
    channel: "sms",
    target: pending.mobileE164,
    userId: input.userId,
    requestIp: input.ip,
    changeSummary: pending.summary,
    now,
  });
  if (!issued.ok) return { ok: false, maskedMobile, message: issued.message, ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
  await db.pendingChange.updateMany({ where: { id: pending.id, status: "pending" }, data: { challengeId: issued.challengeId, textSentAt: now } });
  return { ok: true, maskedMobile, expiresAt: issued.expiresAt.toISOString(), resendAvailableAt: issued.resendAvailableAt.toISOString() };
}

/**
 * The account's verified mobile changed: changes waiting for the old number's answer are
 * cancelled and their codes killed (the old number may be given up, or someone else's now).
 */
export async function cancelChangesWaitingOnOldMobile(tx: Tx, input: { userId: string; newMobile: string; now: Date }): Promise<void> {
  const stale = await tx.pendingChange.findMany({
    where: { userId: input.userId, status: "pending", mobileE164: { not: input.newMobile } },
    select: { id: true, challengeId: true },
  });
  if (stale.length === 0) return;
  await tx.pendingChange.updateMany({
    where: { id: { in: stale.map((row) => row.id) } },
    data: { status: "cancelled", decidedAt: input.now, decidedVia: "mobile_changed" },
  });
  const challengeIds = stale.flatMap((row) => (row.challengeId ? [row.challengeId] : []));
  if (challengeIds.length)
    await tx.verificationChallenge.updateMany({ where: { id: { in: challengeIds }, consumedAt: null }, data: { invalidatedAt: input.now } });
}

export type PendingChangeOutcome = { pending: true; pendingChangeId: string; text: TextSent | TextNotSent };

/**
 * The step every flow that is not itself a code check shares (two-factor off, the postal
 * address): in one transaction, hold the change for the owner's text when they have a verified
 * mobile, else make it with `apply`; then send the text. A mobile that replied STOP refuses it.
 */
export async function holdForTextOrApply(input: {
  userId: string;
  kind: PendingChangeKind;
  payload: Prisma.InputJsonObject;
  summary: string;
  ip: string;
  now: Date;
  apply: (tx: Tx) => Promise<void>;
}): Promise<{ pending: false } | PendingChangeOutcome | { refused: string }> {
  const noText = await textConfirmationRefusal(input.userId);
  if (noText) return { refused: noText };
  let pendingChangeId: string | null;
  try {
    pendingChangeId = await db.$transaction(async (tx) => {
      const mobile = await confirmationMobileOf(input.userId, tx);
      if (mobile) return (await createPendingChange(tx, { ...input, mobileE164: mobile })).pendingChangeId;
      await input.apply(tx);
      return null;
    });
  } catch (error) {
    if (error instanceof TextConfirmationUnavailableError) return { refused: error.message };
    throw error;
  }
  if (!pendingChangeId) return { pending: false };
  const text = await sendConfirmationText({ userId: input.userId, pendingChangeId, ip: input.ip, now: input.now });
  return { pending: true, pendingChangeId, text };
}

/** The words a page shows after a change was put on hold. */
export function pendingChangeMessage(outcome: PendingChangeOutcome): string {
  return outcome.text.ok
    ? `To finish, reply to the text we sent to ${outcome.text.maskedMobile} with its code. Nothing changes until you do; reply NO if it was not you.`
    : `This change waits for your answer by text to ${outcome.text.maskedMobile}, but we could not send it yet: ${outcome.text.message} Send it again from your account page.`;
}

/** The owner withdraws a change still waiting (the account page). */
export async function cancelPendingChange(input: {
  userId: string;
  pendingChangeId: string;
  ip: string;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; message: string }> {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const done = await tx.pendingChange.updateMany({
      // A staff action is already made: its owner confirms or refuses it by text, there is nothing to withdraw.
      where: { id: input.pendingChangeId, userId: input.userId, status: "pending", kind: { notIn: [...STAFF_CHANGE_KINDS] } },
      data: { status: "cancelled", decidedAt: now, decidedVia: "owner" },
    });
    if (done.count !== 1) return { ok: false as const, message: "This change is no longer waiting: it was approved, blocked or cancelled." };
    // The code in the text must not approve a withdrawn change.
    const row = await tx.pendingChange.findUniqueOrThrow({ where: { id: input.pendingChangeId }, select: { challengeId: true, kind: true } });
    if (row.challengeId) await tx.verificationChallenge.updateMany({ where: { id: row.challengeId, consumedAt: null }, data: { invalidatedAt: now } });
    await recordAudit(
      {
        action: "identity.pending_change_cancelled",
        actor: { userId: input.userId, role: "customer" },
        subjectType: "User",
        subjectId: input.userId,
        ip: input.ip,
        details: { pendingChangeId: input.pendingChangeId, kind: row.kind },
      },
      tx,
    );
    return { ok: true as const };
  });
}

export interface PendingChangeView {
  id: string;
  kind: PendingChangeKind;
  words: string;
  summary: string;
  maskedMobile: string;
  createdAt: Date;
  /** Made by staff already: the owner can confirm or refuse it, not cancel it. */
  byStaff: boolean;
  /** A text was sent for it (false: refused by a limit, or not tried yet). */
  textSent: boolean;
  /** A code that still works is out (not expired, used or replaced by a newer text). */
  textActive: boolean;
  textExpiresAt: Date | null;
}

/** The changes waiting for these accounts' answers, oldest first (the account page, the ticket panel). */
export async function pendingChangesOf(userIds: string[], now: Date = new Date()): Promise<PendingChangeView[]> {
  if (userIds.length === 0) return [];
  const rows = await db.pendingChange.findMany({
    where: { userId: { in: userIds }, ...stillWaiting(now) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, summary: true, mobileE164: true, createdAt: true, challengeId: true },
  });
  const challengeIds = rows.flatMap((row) => (row.challengeId ? [row.challengeId] : []));
  const challenges = challengeIds.length
    ? await db.verificationChallenge.findMany({
        where: { id: { in: challengeIds } },
        select: { id: true, expiresAt: true, consumedAt: true, invalidatedAt: true },
      })
    : [];
  const byId = new Map(challenges.map((challenge) => [challenge.id, challenge]));
  return rows.map((row) => {
    const challenge = row.challengeId ? byId.get(row.challengeId) : undefined;
    const textActive = !!challenge && !challenge.consumedAt && !challenge.invalidatedAt && challenge.expiresAt > now;
    return {
      id: row.id,
      kind: row.kind,
      words: PENDING_CHANGE_WORDS[row.kind],
      summary: row.summary,
      maskedMobile: maskPhone(row.mobileE164),
      createdAt: row.createdAt,
      byStaff: isStaffChange(row.kind),
      textSent: row.challengeId !== null,
      textActive,
      textExpiresAt: challenge?.expiresAt ?? null,
    };
  });
}

/**
 * Tells the owners of a staff action by text (in the action's transaction): every customer portal
 * account given whose mobile is verified and not opted out gets a PendingChange. Send the texts
 * after the commit with sendStaffChangeTexts.
 */
export async function askOwnersAboutStaffChange(
  tx: Tx,
  input: {
    userIds: string[];
    kind: (typeof STAFF_CHANGE_KINDS)[number];
    payload: Prisma.InputJsonObject;
    summary: string;
    actor: { userId: string; role: Role };
    ip: string;
    now: Date;
  },
): Promise<{ userId: string; pendingChangeId: string }[]> {
  const asked: { userId: string; pendingChangeId: string }[] = [];
  for (const userId of new Set(input.userIds)) {
    // A staff action goes ahead whatever the owner's phone: one that replied STOP is not texted.
    const verified = await verifiedMobileOf(userId, tx);
    if (!verified || verified.optedOut) continue;
    const { pendingChangeId } = await createPendingChange(tx, { ...input, userId, mobileE164: verified.mobile });
    asked.push({ userId, pendingChangeId });
  }
  return asked;
}

/** The texts of askOwnersAboutStaffChange, after its commit. A refusal (a cap, a lock) leaves the change listed, unanswered. */
export async function sendStaffChangeTexts(asked: { userId: string; pendingChangeId: string }[], ip: string, now?: Date): Promise<void> {
  for (const owner of asked) await sendConfirmationText({ ...owner, ip, ...(now ? { now } : {}) });
}
