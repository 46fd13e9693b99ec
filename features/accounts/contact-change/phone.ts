import "server-only";
import { type CountryCode, type NumberType, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { recordAudit } from "@/platform/audit";
import { db, type Prisma, type Role } from "@/platform/db/client";
import { kickOutboxWorker } from "@/platform/outbox/outbox";
import { issueChallenge, verifyCode } from "@/features/verification/challenges";
import { queueContactChangeNotices, recordContactChange } from "@/features/accounts/contact-change/contact-change";
import { checkCurrentPassword } from "@/features/accounts/password/password-reset";
import { maskPhone } from "@/platform/mask";
import {
  confirmationMobileOf,
  createPendingChange,
  type PendingChangeOutcome,
  sendConfirmationText,
  cancelChangesWaitingOnOldMobile,
  TextConfirmationUnavailableError,
  textConfirmationRefusal,
} from "@/features/accounts/text-confirmation/pending-changes";

/**
 * Mobile numbers: parsing (libphonenumber-js with its full metadata, which knows number types),
 * and verification by SMS code through the code engine. Server only.
 *
 * A first number is stored at once on User.phoneE164 (unverified) and verified by code
 * (purpose phone_verification). Replacing a VERIFIED number needs the password, keeps the old
 * number until the new one is verified (purpose phone_change), and then tells the account's email
 * address and the old number, with a "this wasn't me" link (./contact-change.ts).
 */

/** Types that can receive an SMS. FIXED_LINE_OR_MOBILE: countries (US, CA…) whose numbers do not say. */
const SMS_CAPABLE: ReadonlySet<NumberType> = new Set<NumberType>(["MOBILE", "FIXED_LINE_OR_MOBILE"]);

const TYPE_WORDS: Partial<Record<NonNullable<NumberType>, string>> = {
  FIXED_LINE: "a landline number",
  VOIP: "an internet (VoIP) number",
  TOLL_FREE: "a toll-free number",
  PREMIUM_RATE: "a premium-rate number",
  SHARED_COST: "a shared-cost number",
  PERSONAL_NUMBER: "a personal (forwarding) number",
  PAGER: "a pager number",
  UAN: "a company (UAN) number",
  VOICEMAIL: "a voicemail number",
};

export type ParsedMobile =
  | { ok: true; e164: string; type: NonNullable<NumberType>; country: string | undefined }
  | { ok: false; reason: "invalid" | "not_mobile"; message: string };

/** Parses what someone typed (national form with a country, or international with "+"), accepting only numbers that can receive SMS. */
export function parseMobileNumber(number: string, country: string): ParsedMobile {
  const parsed = parsePhoneNumberFromString(number.trim(), country as CountryCode);
  if (!parsed || !parsed.isValid()) {
    return { ok: false, reason: "invalid", message: "That is not a valid phone number for the chosen country. Check the digits, or choose another country." };
  }
  const type = parsed.getType();
  if (!type || !SMS_CAPABLE.has(type)) {
    const words = type ? TYPE_WORDS[type] : undefined;
    return {
      ok: false,
      reason: "not_mobile",
      message: words
        ? `This is ${words}, which cannot receive our text messages. Enter a mobile number.`
        : "We cannot tell that this is a mobile number, so we cannot text it a code. Enter a mobile number.",
    };
  }
  return { ok: true, e164: parsed.number, type, country: parsed.country };
}

/** `availableAt` (ISO): when a refused send may be asked for again, for the page's countdown. */
export type Refusal = { ok: false; message: string; field?: string; availableAt?: string };
export type PhoneCodeSent = { ok: true; maskedTarget: string; resendAvailableAt: string; expiresAt: string; change: boolean };

const PHONE_PURPOSES = ["phone_verification", "phone_change"] as const;

/** Step 1: check the number, store it when it is the first one, and text it a code. */
export async function startPhoneVerification(input: {
  userId: string;
  country: string;
  number: string;
  password?: string;
  ip: string;
}): Promise<PhoneCodeSent | Refusal> {
  const parsed = parseMobileNumber(input.number, input.country);
  if (!parsed.ok) return { ok: false, message: parsed.message, field: "number" };
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { phoneE164: true, phoneVerifiedAt: true } });
  const hasVerified = user.phoneE164 !== null && user.phoneVerifiedAt !== null;
  if (hasVerified && user.phoneE164 === parsed.e164) return { ok: false, message: "This number is already verified on your account.", field: "number" };

  if (hasVerified) {
    const noText = await textConfirmationRefusal(input.userId);
    if (noText) return { ok: false, message: noText };
    // Replacing a verified number is an identity change: prove it is you.
    if (!input.password) return { ok: false, message: "Enter your password to change your verified mobile number.", field: "password" };
    const password = await checkCurrentPassword(input.userId, input.password);
    if (!password.ok) return { ok: false, message: password.message, field: "password" };
  } else if (user.phoneE164 !== parsed.e164) {
    await db.user.update({ where: { id: input.userId }, data: { phoneE164: parsed.e164, phoneVerifiedAt: null } });
  }

  const issued = await issueChallenge({
    purpose: hasVerified ? "phone_change" : "phone_verification",
    channel: "sms",
    target: parsed.e164,
    userId: input.userId,
    requestIp: input.ip,
  });
  if (!issued.ok) return { ok: false, message: issued.message, ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
  return {
    ok: true,
    maskedTarget: issued.maskedTarget,
    resendAvailableAt: issued.resendAvailableAt.toISOString(),
    expiresAt: issued.expiresAt.toISOString(),
    change: hasVerified,
  };
}

/** The code most recently sent for a number (within the hour), which resend and confirm act on. */
async function latestPhoneChallenge(userId: string) {
  return db.verificationChallenge.findFirst({
    where: { userId, purpose: { in: [...PHONE_PURPOSES] }, consumedAt: null, createdAt: { gt: new Date(Date.now() - 60 * 60 * 1000) } },
    orderBy: { createdAt: "desc" },
    select: { purpose: true, target: true },
  });
}

/** "Send a new code": to the same number, for the same purpose (the engine's cooldown and caps apply). */
export async function resendPhoneCode(input: { userId: string; ip: string }): Promise<PhoneCodeSent | Refusal> {
  const latest = await latestPhoneChallenge(input.userId);
  if (!latest) return { ok: false, message: "Enter your number again to get a new code." };
  const issued = await issueChallenge({ purpose: latest.purpose, channel: "sms", target: latest.target, userId: input.userId, requestIp: input.ip });
  if (!issued.ok) return { ok: false, message: issued.message, ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
  return {
    ok: true,
    maskedTarget: issued.maskedTarget,
    resendAvailableAt: issued.resendAvailableAt.toISOString(),
    expiresAt: issued.expiresAt.toISOString(),
    change: latest.purpose === "phone_change",
  };
}

/** Marks the number verified on the customer record too (kind mobile), when the account is matched to one. */
async function recordCustomerPhone(tx: Prisma.TransactionClient, customerId: string, e164: string, now: Date) {
  await tx.customerPhone.upsert({
    where: { customerId_e164: { customerId, e164 } },
    create: { customerId, e164, kind: "mobile", verifiedAt: now },
    update: { kind: "mobile", verifiedAt: now },
  });
}

/**
 * Replaces a verified mobile by a new, proven one: the number on the account and the customer
 * record, the change record, and the notices (with the dispute link) to the email address and the
 * old number. In the caller's transaction (the code check below, or the text approval).
 */
export async function applyPhoneChange(tx: Prisma.TransactionClient, input: { userId: string; role: Role; to: string; ip: string; now: Date }): Promise<void> {
  const before = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true, phoneE164: true, customerId: true } });
  await tx.user.update({ where: { id: input.userId }, data: { phoneE164: input.to, phoneVerifiedAt: input.now } });
  if (before.customerId) await recordCustomerPhone(tx, before.customerId, input.to, input.now);
  await cancelChangesWaitingOnOldMobile(tx, { userId: input.userId, newMobile: input.to, now: input.now });
  if (!before.phoneE164 || before.phoneE164 === input.to) return;
  const notices = await recordContactChange(tx, {
    userId: input.userId,
    role: input.role,
    kind: "phone",
    from: before.phoneE164,
    to: input.to,
    ip: input.ip,
    now: input.now,
  });
  await queueContactChangeNotices(tx, {
    kind: "phone",
    from: before.phoneE164,
    to: input.to,
    accountEmail: before.email,
    disputeLink: notices.disputeLink,
    changedAt: input.now,
  });
}

export type PhoneConfirmed = { ok: true; e164: string; changed: boolean; pending: false } | ({ ok: true; e164: string; changed: true } & PendingChangeOutcome);

/**
 * Step 2: the code. Marks the number verified; a change of a verified number also sends the
 * notices, or, when the old number can still be texted, waits for its owner's answer first.
 */
export async function confirmPhone(input: { userId: string; role: Role; code: string; ip: string; now?: Date }): Promise<PhoneConfirmed | Refusal> {
  const now = input.now ?? new Date();
  const latest = await latestPhoneChallenge(input.userId);
  if (!latest) return { ok: false, message: "There is no code to check. Enter your number to get one." };
  let result: { e164: string; changed: boolean } | null = null;
  let pendingChangeId: string | null = null;
  let verified: Awaited<ReturnType<typeof verifyCode>>;
  try {
    verified = await verifyCode({
      purpose: latest.purpose,
      userId: input.userId,
      code: input.code,
      requestIp: input.ip,
      now,
      onVerified: async (tx, challenge) => {
        const before = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { phoneE164: true, phoneVerifiedAt: true } });
        const e164 = challenge.target;
        const changed = challenge.purpose === "phone_change" && before.phoneVerifiedAt !== null && before.phoneE164 !== null && before.phoneE164 !== e164;
        result = { e164, changed };
        if (changed) {
          // The old, verified number is the one asked: whoever has only the password cannot move the account's phone.
          const mobile = await confirmationMobileOf(input.userId, tx);
          if (mobile) {
            ({ pendingChangeId } = await createPendingChange(tx, {
              userId: input.userId,
              kind: "phone",
              payload: { e164 },
              summary: `mobile number to ${maskPhone(e164)}`,
              mobileE164: mobile,
              ip: input.ip,
              now,
            }));
            return;
          }
          await applyPhoneChange(tx, { userId: input.userId, role: input.role, to: e164, ip: input.ip, now });
          return;
        }
        // A first number (or an unverified one re-entered): verified, no change to tell anyone about.
        await tx.user.update({ where: { id: input.userId }, data: { phoneE164: e164, phoneVerifiedAt: now } });
        const customer = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { customerId: true } });
        if (customer.customerId) await recordCustomerPhone(tx, customer.customerId, e164, now);
        await recordAudit(
          {
            action: "identity.phone_verified",
            actor: { userId: input.userId, role: input.role },
            subjectType: "User",
            subjectId: input.userId,
            ip: input.ip,
            details: {},
          },
          tx,
        );
      },
    });
  } catch (error) {
    if (error instanceof TextConfirmationUnavailableError) return { ok: false, message: error.message };
    throw error;
  }
  if (!verified.ok || !result) return { ok: false, message: verified.ok ? "Something went wrong. Try again." : verified.message, field: "code" };
  const done = result as { e164: string; changed: boolean };
  if (pendingChangeId) {
    const text = await sendConfirmationText({ userId: input.userId, pendingChangeId, ip: input.ip, now });
    return { ok: true, e164: done.e164, changed: true, pending: true, pendingChangeId, text };
  }
  if (done.changed) void kickOutboxWorker();
  return { ok: true, ...done, pending: false };
}
