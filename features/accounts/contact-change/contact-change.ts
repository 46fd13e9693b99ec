import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { recordAudit } from "@/platform/audit";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, Prisma, type Role } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { enqueueEmail, enqueueSms, kickOutboxWorker } from "@/platform/outbox/outbox";
import { publicBaseUrl, serverEnv } from "@/platform/env";
import { issueChallenge, verifyCode } from "@/features/verification/challenges";
import { contactChangedSms, renderContactChangedNotice } from "@/features/accounts/contact-change/contact-change-emails";
import { maskEmail, maskPhone } from "@/platform/mask";
import { checkCurrentPassword } from "@/features/accounts/password/password-reset";
import { SECURITY_ACTIONS } from "@/features/identity/security-actions";
import { freezeAccountForReview } from "@/features/accounts/freeze/account-freeze";
import {
  confirmationMobileOf,
  createPendingChange,
  type PendingChangeOutcome,
  sendConfirmationText,
  TextConfirmationUnavailableError,
  textConfirmationRefusal,
} from "@/features/accounts/text-confirmation/pending-changes";

/**
 * Changing the email address (a code to the NEW address first), and the "this wasn't me" link
 * every email or mobile change sends to the OLD one. Server only.
 *
 * ── The change record and the dispute link ──
 * Each change is an audit event (identity.email_changed / identity.phone_changed, no values in
 * its details) plus a ContactChange row holding the old and new value: the audit log is
 * append-only and must hold no address (erasure cannot reach it), while the ContactChange row
 * goes with the person's account. The dispute reads both. The link is
 * `/security/dispute?token=<event id>.<expiry>.<HMAC>`; the HMAC (key derived from
 * NEXTAUTH_SECRET under its own HKDF label) covers the event id, the expiry and the account, so
 * the link names no address and cannot be forged or extended. It works once (a second use finds
 * the change already disputed) and for DISPUTE_LINK_LIFETIME_SECONDS.
 *
 * ── Why 7 days, not 24 hours ──
 * The notice goes to an address the person may not read every day, and an account takeover is
 * often noticed days later. The link can do only one thing, in the owner's favour: freeze the
 * account (nobody can use it, the attacker included), put back the old address or number, and
 * alert staff. Whoever holds the old inbox already had the account until the change. The worst a
 * leaked link can do is freeze the account until staff review it.
 *
 * ── What a dispute does ──
 * Sets User.frozenAt (actorForSession then refuses every session; sign-in says the account is
 * frozen), ends every session, reverts the address or number when it is still the one the change
 * set (and the old one is free), records identity.change_disputed and opens an urgent internal
 * ticket in the console queue for staff to review and unfreeze.
 */

export const DISPUTE_LINK_LIFETIME_SECONDS = 7 * 24 * 60 * 60;
const HKDF_INFO = "veridesk/contact-change-dispute/v1";
const CHANGE_ACTIONS = { email: SECURITY_ACTIONS.emailChanged, phone: SECURITY_ACTIONS.phoneChanged } as const;
type ChangeKind = keyof typeof CHANGE_ACTIONS;

function disputeKey(secret: string = serverEnv().NEXTAUTH_SECRET): Buffer {
  return derivedKey(HKDF_INFO, secret);
}

function disputeMac(eventId: string, expiresAtSeconds: number, userId: string): Buffer {
  return createHmac("sha256", disputeKey()).update(`v1|${eventId}|${expiresAtSeconds}|${userId}`).digest();
}

export function createDisputeToken(eventId: string, userId: string, now: Date = new Date()): string {
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + DISPUTE_LINK_LIFETIME_SECONDS;
  return `${eventId}.${expiresAtSeconds.toString(36)}.${disputeMac(eventId, expiresAtSeconds, userId).toString("base64url")}`;
}

type Tx = Prisma.TransactionClient;

/** Records a change of email or mobile (the audit event staff and the dispute read) and makes its dispute link. */
export async function recordContactChange(
  tx: Tx,
  input: { userId: string; role: Role; kind: ChangeKind; from: string; to: string; ip: string; now: Date },
): Promise<{ changeEventId: string; disputeLink: string }> {
  const event = await tx.auditEvent.create({
    data: {
      action: CHANGE_ACTIONS[input.kind],
      actorUserId: input.userId,
      actorRole: input.role,
      subjectType: "User",
      subjectId: input.userId,
      ip: input.ip,
      details: { kind: input.kind },
      at: input.now,
    },
    select: { id: true },
  });
  await tx.contactChange.create({ data: { auditEventId: event.id, userId: input.userId, fromValue: input.from, toValue: input.to, createdAt: input.now } });
  const changeEventId = event.id.toString();
  return { changeEventId, disputeLink: `${publicBaseUrl()}/security/dispute?token=${createDisputeToken(changeEventId, input.userId, input.now)}` };
}

const mask = (kind: ChangeKind, value: string) => (kind === "email" ? maskEmail(value) : maskPhone(value));

/**
 * Queues the notices of a change: an email change tells the OLD address; a mobile change tells the
 * account's address and texts the OLD number. Both carry the dispute link, so they are sensitive
 * (sealed in the outbox, wiped once sent).
 */
export async function queueContactChangeNotices(
  tx: Tx,
  input: { kind: ChangeKind; from: string; to: string; accountEmail: string; disputeLink: string; changedAt: Date },
): Promise<void> {
  const notice = await renderContactChangedNotice({
    kind: input.kind,
    maskedNew: mask(input.kind, input.to),
    maskedOld: mask(input.kind, input.from),
    disputeLink: input.disputeLink,
    disputeLifetime: `${DISPUTE_LINK_LIFETIME_SECONDS / (24 * 60 * 60)} days`,
    changedAt: input.changedAt,
  });
  const emailTo = input.kind === "email" ? input.from : input.accountEmail;
  await enqueueEmail({ kind: `${input.kind}-changed-notice`, to: emailTo, subject: notice.subject, text: notice.text, html: notice.html, sensitive: true }, tx);
  if (input.kind === "phone")
    await enqueueSms(
      { kind: "phone-changed-notice", to: input.from, text: contactChangedSms({ kind: "phone", disputeLink: input.disputeLink }), sensitive: true },
      tx,
    );
}

// ───────────────────────────── Changing the email address ─────────────────────────────

/** `availableAt` (ISO): when a refused send may be asked for again, for the page's countdown. */
export type Refusal = { ok: false; message: string; field?: string; availableAt?: string };
export type EmailCodeSent = { ok: true; maskedTarget: string; resendAvailableAt: string; expiresAt: string };

/** Step 1: the password, then a code to the new address (purpose email_change). */
export async function startEmailChange(input: { userId: string; newEmail: string; password: string; ip: string }): Promise<EmailCodeSent | Refusal> {
  const newEmail = normalizeEmail(input.newEmail);
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
  if (newEmail === user.email) return { ok: false, message: "That is already your email address.", field: "newEmail" };
  const noText = await textConfirmationRefusal(input.userId);
  if (noText) return { ok: false, message: noText };
  const password = await checkCurrentPassword(input.userId, input.password);
  if (!password.ok) return { ok: false, message: password.message, field: "password" };
  // Whether the address belongs to another account is said only after its owner proves it is theirs (step 2).
  const issued = await issueChallenge({ purpose: "email_change", channel: "email", target: newEmail, userId: input.userId, requestIp: input.ip });
  if (!issued.ok) return { ok: false, message: issued.message, ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
  return { ok: true, maskedTarget: issued.maskedTarget, resendAvailableAt: issued.resendAvailableAt.toISOString(), expiresAt: issued.expiresAt.toISOString() };
}

async function latestEmailChange(userId: string) {
  return db.verificationChallenge.findFirst({
    where: { userId, purpose: "email_change", consumedAt: null, createdAt: { gt: new Date(Date.now() - 60 * 60 * 1000) } },
    orderBy: { createdAt: "desc" },
    select: { target: true },
  });
}

export async function resendEmailChangeCode(input: { userId: string; ip: string }): Promise<EmailCodeSent | Refusal> {
  const latest = await latestEmailChange(input.userId);
  if (!latest) return { ok: false, message: "Enter the new address again to get a new code." };
  const issued = await issueChallenge({ purpose: "email_change", channel: "email", target: latest.target, userId: input.userId, requestIp: input.ip });
  if (!issued.ok) return { ok: false, message: issued.message, ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
  return { ok: true, maskedTarget: issued.maskedTarget, resendAvailableAt: issued.resendAvailableAt.toISOString(), expiresAt: issued.expiresAt.toISOString() };
}

export class AddressTakenError extends Error {}

/**
 * Makes the email change: the new (proven) address on the account, the change record and the
 * notice with the dispute link to the old address. In the caller's transaction: the code check
 * here, the text approval in features/accounts/text-confirmation/answer-by-text.ts.
 */
export async function applyEmailChange(tx: Tx, input: { userId: string; role: Role; to: string; ip: string; now: Date }): Promise<void> {
  const before = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
  const taken = await tx.user.findUnique({ where: { email: input.to }, select: { id: true } });
  if (taken && taken.id !== input.userId) throw new AddressTakenError();
  try {
    await tx.user.update({ where: { id: input.userId }, data: { email: input.to, emailVerifiedAt: input.now } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AddressTakenError();
    throw error;
  }
  const change = await recordContactChange(tx, {
    userId: input.userId,
    role: input.role,
    kind: "email",
    from: before.email,
    to: input.to,
    ip: input.ip,
    now: input.now,
  });
  await queueContactChangeNotices(tx, {
    kind: "email",
    from: before.email,
    to: input.to,
    accountEmail: input.to,
    disputeLink: change.disputeLink,
    changedAt: input.now,
  });
}

export type EmailChangeConfirmed = { ok: true; email: string; pending: false } | ({ ok: true; email: string } & PendingChangeOutcome);

/**
 * Step 2: the code from the new address. Switches the address and tells the old one; or, for a
 * customer with a verified mobile, puts the change on hold until they answer a text.
 */
export async function confirmEmailChange(input: { userId: string; role: Role; code: string; ip: string; now?: Date }): Promise<EmailChangeConfirmed | Refusal> {
  const now = input.now ?? new Date();
  if (!(await latestEmailChange(input.userId))) return { ok: false, message: "There is no code to check. Enter the new address to get one." };
  let newEmail: string | null = null;
  let pendingChangeId: string | null = null;
  try {
    const verified = await verifyCode({
      purpose: "email_change",
      userId: input.userId,
      code: input.code,
      requestIp: input.ip,
      now,
      onVerified: async (tx, challenge) => {
        newEmail = challenge.target;
        const mobile = await confirmationMobileOf(input.userId, tx);
        if (mobile) {
          const taken = await tx.user.findUnique({ where: { email: challenge.target }, select: { id: true } });
          if (taken && taken.id !== input.userId) throw new AddressTakenError();
          ({ pendingChangeId } = await createPendingChange(tx, {
            userId: input.userId,
            kind: "email",
            payload: { email: challenge.target },
            // In full: the text goes to the owner, who must tell their own address from a look-alike at the same domain.
            summary: `email address to ${challenge.target}`,
            mobileE164: mobile,
            ip: input.ip,
            now,
          }));
          return;
        }
        await applyEmailChange(tx, { userId: input.userId, role: input.role, to: challenge.target, ip: input.ip, now });
      },
    });
    if (!verified.ok) return { ok: false, message: verified.message, field: "code" };
  } catch (error) {
    if (error instanceof AddressTakenError)
      return { ok: false, message: "That address is used by another account, so it cannot be yours here too. Use another address.", field: "code" };
    if (error instanceof TextConfirmationUnavailableError) return { ok: false, message: error.message };
    throw error;
  }
  if (pendingChangeId) {
    const text = await sendConfirmationText({ userId: input.userId, pendingChangeId, ip: input.ip, now });
    return { ok: true, email: newEmail!, pending: true, pendingChangeId, text };
  }
  void kickOutboxWorker();
  return { ok: true, email: newEmail!, pending: false };
}

// ───────────────────────────── "This wasn't me" ─────────────────────────────

const TOKEN_PATTERN = /^(\d{1,19})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;
const INVALID_DISPUTE = "This link is not valid. Check that you copied all of it, or contact our support.";

/**
 * A sign-in from a new browser (features/accounts/devices/known-devices.ts) is disputable the same
 * way: its notice carries a link naming its audit event. Named here as a string so this module
 * does not import the devices module (which imports this one).
 */
const NEW_DEVICE_ACTION = SECURITY_ACTIONS.newDeviceSignIn;
type DisputeKind = ChangeKind | "device";

interface DisputableChange {
  eventId: string;
  userId: string;
  kind: DisputeKind;
  from: string;
  to: string;
  at: Date;
}

type DisputeCheck = { ok: true; change: DisputableChange } | { ok: false; reason: "invalid" | "expired"; message: string };

async function readDisputeToken(token: string, now: Date, client: Pick<Tx, "auditEvent" | "contactChange"> = db): Promise<DisputeCheck> {
  const match = TOKEN_PATTERN.exec(typeof token === "string" ? token : "");
  if (!match) return { ok: false, reason: "invalid", message: INVALID_DISPUTE };
  const [, eventId, expiry, mac] = match as unknown as [string, string, string, string];
  const expiresAtSeconds = Number.parseInt(expiry, 36);
  const event = await client.auditEvent.findUnique({ where: { id: BigInt(eventId) } });
  if (!event?.subjectId || (event.action !== CHANGE_ACTIONS.email && event.action !== CHANGE_ACTIONS.phone && event.action !== NEW_DEVICE_ACTION))
    return { ok: false, reason: "invalid", message: INVALID_DISPUTE };
  const expected = disputeMac(eventId, expiresAtSeconds, event.subjectId);
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid", message: INVALID_DISPUTE };
  if (expiresAtSeconds * 1000 <= now.getTime())
    return { ok: false, reason: "expired", message: "This link has expired. If someone changed your account without you, contact our support." };
  if (event.action === NEW_DEVICE_ACTION) {
    // "from" is where the sign-in came from, "to" the browser: nothing to put back.
    const browser = (event.details as { browser?: unknown } | null)?.browser;
    return {
      ok: true,
      change: { eventId, userId: event.subjectId, kind: "device", from: event.ip ?? "", to: typeof browser === "string" ? browser : "A browser", at: event.at },
    };
  }
  // Changes made before the values moved out of the audit log still carry them in its details.
  const values = await client.contactChange.findUnique({ where: { auditEventId: event.id }, select: { fromValue: true, toValue: true } });
  const legacy = (event.details ?? {}) as { from?: unknown; to?: unknown };
  const details = values ? { from: values.fromValue, to: values.toValue } : legacy;
  if (typeof details.from !== "string" || typeof details.to !== "string") return { ok: false, reason: "invalid", message: INVALID_DISPUTE };
  return {
    ok: true,
    change: {
      eventId,
      userId: event.subjectId,
      kind: event.action === CHANGE_ACTIONS.email ? "email" : "phone",
      from: details.from,
      to: details.to,
      at: event.at,
    },
  };
}

async function alreadyDisputed(client: Pick<Tx, "auditEvent">, change: DisputableChange): Promise<boolean> {
  const found = await client.auditEvent.findFirst({
    where: {
      action: SECURITY_ACTIONS.changeDisputed,
      subjectType: "User",
      subjectId: change.userId,
      details: { path: ["changeEventId"], equals: change.eventId },
    },
    select: { id: true },
  });
  return found !== null;
}

export type DisputePreview =
  | { ok: true; kind: DisputeKind; maskedFrom: string; maskedTo: string; changedAt: Date; alreadyDisputed: boolean }
  | { ok: false; message: string };

/** What a dispute link is about, changing nothing (the page's GET; mail scanners open links too). */
export async function previewDispute(token: string, now: Date = new Date()): Promise<DisputePreview> {
  const check = await readDisputeToken(token, now);
  if (!check.ok) return { ok: false, message: check.message };
  const { change } = check;
  return {
    ok: true,
    kind: change.kind,
    // A new browser's notice already named its browser and address to the owner; no contact value is shown.
    maskedFrom: change.kind === "device" ? change.from : mask(change.kind, change.from),
    maskedTo: change.kind === "device" ? change.to : mask(change.kind, change.to),
    changedAt: change.at,
    alreadyDisputed: await alreadyDisputed(db, change),
  };
}

export type DisputeResult =
  | { ok: true; kind: DisputeKind; reverted: boolean; alreadyDisputed: boolean; ticketNumber: number | null }
  | { ok: false; message: string };

/** "This wasn't me": freezes the account, ends its sessions, reverts the change when it can, and alerts staff. */
export async function disputeContactChange(input: { token: string; ip: string; now?: Date }): Promise<DisputeResult> {
  const now = input.now ?? new Date();
  const check = await readDisputeToken(input.token, now);
  if (!check.ok) return { ok: false, message: check.message };
  const { change } = check;

  const result = await db.$transaction(async (tx): Promise<DisputeResult> => {
    // One dispute per change, even when the button is pressed twice at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`contact-change-dispute:${change.eventId}`}, 0))`;
    if (await alreadyDisputed(tx, change)) return { ok: true, kind: change.kind, reverted: false, alreadyDisputed: true, ticketNumber: null };

    const user = await tx.user.findUniqueOrThrow({
      where: { id: change.userId },
      select: { id: true, name: true, email: true, phoneE164: true, customerId: true, frozenAt: true },
    });
    let reverted = false;
    if (change.kind === "email" && user.email === change.to) {
      const other = await tx.user.findUnique({ where: { email: change.from }, select: { id: true } });
      if (!other) {
        await tx.user.update({ where: { id: user.id }, data: { email: change.from } });
        reverted = true;
      }
    }
    if (change.kind === "phone" && user.phoneE164 === change.to) {
      await tx.user.update({ where: { id: user.id }, data: { phoneE164: change.from } });
      // The disputed number proves nothing about the customer any more.
      if (user.customerId) await tx.customerPhone.updateMany({ where: { customerId: user.customerId, e164: change.to }, data: { verifiedAt: null } });
      reverted = true;
    }
    const what = change.kind === "email" ? "email address" : change.kind === "phone" ? "mobile number" : "sign-in";
    // The disputed browser is forgotten: even once unfrozen, it must pass a code again.
    if (change.kind === "device") {
      const deviceId = (await tx.auditEvent.findUnique({ where: { id: BigInt(change.eventId) }, select: { details: true } }))?.details as {
        knownDeviceId?: unknown;
      } | null;
      if (typeof deviceId?.knownDeviceId === "string") await tx.knownDevice.deleteMany({ where: { id: deviceId.knownDeviceId, userId: user.id } });
    }
    const ticket = await freezeAccountForReview(tx, {
      userId: user.id,
      now,
      ticket: {
        subject:
          change.kind === "device"
            ? `Disputed new-browser sign-in: ${user.name}'s account is frozen`
            : `Disputed ${what} change: ${user.name}'s account is frozen`,
        requesterAddress: change.kind === "email" ? change.from : user.email,
        note:
          change.kind === "device"
            ? [
                `The owner used the "this wasn't me" link of the new-browser sign-in notice of ${change.at.toISOString()}.`,
                `Sign-in: ${change.to} from ${change.from || "an unknown address"}.`,
                "The account is frozen, every session has ended and that browser is forgotten. Someone knew the password: contact the customer through their verified address or number, have them reset the password and consider two-factor sign-in, then unfreeze the account (Supervisor → Staff unlocks).",
              ].join("\n\n")
            : [
                `The owner of the previous ${what} used the "this wasn't me" link sent after the change of ${change.at.toISOString()}.`,
                `Change: ${change.from} → ${change.to}.`,
                reverted
                  ? `The ${what} has been put back to ${change.from}.`
                  : `The ${what} was NOT put back automatically (it has changed again since, or the old one is now used by another account): check it by hand.`,
                "The account is frozen and every session has ended. Contact the customer through the previous address or number, check the password and two-factor settings, then unfreeze the account (Supervisor → Staff unlocks).",
              ].join("\n\n"),
      },
    });
    await recordAudit(
      {
        action: SECURITY_ACTIONS.changeDisputed,
        subjectType: "User",
        subjectId: user.id,
        ip: input.ip,
        details: { changeEventId: change.eventId, kind: change.kind, reverted, ticketId: ticket.ticketId },
      },
      tx,
    );
    return { ok: true, kind: change.kind, reverted, alreadyDisputed: false, ticketNumber: ticket.ticketNumber };
  });
  return result;
}
