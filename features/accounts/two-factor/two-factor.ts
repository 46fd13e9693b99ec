import "server-only";
import { createHmac, randomInt } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { recordAudit } from "@/platform/audit";
import { completeSecondFactor, revokeAuthSession } from "@/platform/auth/sessions";
import { db, type Prisma, type Role, type TwoFactorMethod } from "@/platform/db/client";
import { enqueueEmail, kickOutboxWorker } from "@/platform/outbox/outbox";
import { publicBaseUrl, serverEnv } from "@/platform/env";
import { issueChallenge, verifyCode } from "@/features/verification/challenges";
import { renderTwoFactorChangedNotice } from "@/features/accounts/contact-change/contact-change-emails";
import { MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT } from "@/features/verification/limits";
import { maskEmail, maskPhone } from "@/platform/mask";
import { checkCurrentPassword } from "@/features/accounts/password/password-reset";
import { acceptTotpCode, formatSecretForTyping, newTotpSecret, sealTotpState, totpQrDataUrl, totpUri } from "@/features/accounts/two-factor/totp";
import { consumeRateLimit } from "@/platform/rate-limit";
import { holdForTextOrApply, type PendingChangeOutcome } from "@/features/accounts/text-confirmation/pending-changes";

/**
 * Two-factor sign-in: turning it on (authenticator app, or codes by email / by SMS to a verified
 * mobile), recovery codes, turning it off, and the sign-in's second step. Server only.
 *
 * Email and SMS codes are the code engine's (./challenges.ts), with all its rules: purpose
 * two_factor_setup while turning it on, sign_in_second_factor when signing in. Two purposes, so
 * the set-up code's resend cooldown never delays the first sign-in code (each purpose has its own
 * cooldown; the caps per target, number and client and the account lock are shared). Authenticator codes (./totp.ts) and recovery codes are checked here, under
 * the same account-wide rule as engine codes: consecutive failures count toward the account's
 * code lock (MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT), and a locked account can use none.
 * Each pending sign-in also allows only MAX_WRONG_ENTRIES_PER_SIGN_IN wrong entries; then the
 * password is needed again (which has its own rate limits).
 */

export const RECOVERY_CODE_COUNT = 10;
/** Wrong second-factor entries one pending sign-in survives before its session is ended. */
export const MAX_WRONG_ENTRIES_PER_SIGN_IN = 5;

const LOCKED_MESSAGE = "Code verification is locked on this account after too many wrong codes. Contact support: a member of staff must unlock it.";

// ───────────────────────────── Recovery codes ─────────────────────────────

/** Crockford's base32 in lower case: no i, l, o or u, so nothing is misread. 10 characters ≈ 50 bits. */
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RECOVERY_LENGTH = 10;
const RECOVERY_HASH_PREFIX = "hmac-sha256:v1:";
const HKDF_INFO = "veridesk/recovery-code/v1";

function recoveryKey(secret: string = serverEnv().NEXTAUTH_SECRET): Buffer {
  return derivedKey(HKDF_INFO, secret);
}

/** "7kq2m-x9d4p", from the CSPRNG. */
export function generateRecoveryCode(): string {
  const characters = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]!);
  return `${characters.slice(0, 5).join("")}-${characters.slice(5).join("")}`;
}

/** What a person typed, as a recovery code (case, spaces and dashes ignored; o→0, i/l→1), or null. */
export function normalizeRecoveryCode(input: string): string | null {
  if (input.length > 40) return null;
  const compact = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  if (compact.length !== RECOVERY_LENGTH || [...compact].some((character) => !RECOVERY_ALPHABET.includes(character))) return null;
  return compact;
}

/** Keyed hash bound to the account: a database dump alone gives no usable code. */
export function hashRecoveryCode(userId: string, normalized: string): string {
  return RECOVERY_HASH_PREFIX + createHmac("sha256", recoveryKey()).update(`${userId}|${normalized}`).digest("hex");
}

/** Replaces the account's recovery codes with RECOVERY_CODE_COUNT new ones and returns them, the only time they exist in clear. */
export async function replaceRecoveryCodes(userId: string, tx: Prisma.TransactionClient): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(userId, normalizeRecoveryCode(code)!) })) });
  return codes;
}

/** Uses up one recovery code: one conditional UPDATE, so a code works exactly once. */
export async function consumeRecoveryCode(userId: string, input: string, now: Date = new Date()): Promise<boolean> {
  const normalized = normalizeRecoveryCode(input);
  if (!normalized) return false;
  const used = await db.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(userId, normalized), usedAt: null }, data: { usedAt: now } });
  return used.count === 1;
}

export async function recoveryCodesLeft(userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

// ───────────────────────────── Status and notices ─────────────────────────────

export interface TwoFactorStatus {
  method: TwoFactorMethod | null;
  recoveryCodesLeft: number;
  email: string;
  emailVerified: boolean;
  phoneE164: string | null;
  phoneVerified: boolean;
}

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { twoFactorMethod: true, email: true, emailVerifiedAt: true, phoneE164: true, phoneVerifiedAt: true },
  });
  return {
    method: user.twoFactorMethod,
    recoveryCodesLeft: user.twoFactorMethod ? await recoveryCodesLeft(userId) : 0,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    phoneE164: user.phoneE164,
    phoneVerified: user.phoneE164 !== null && user.phoneVerifiedAt !== null,
  };
}

async function queueTwoFactorNotice(tx: Prisma.TransactionClient, to: string, turnedOn: boolean, method: TwoFactorMethod | null) {
  const notice = await renderTwoFactorChangedNotice({ turnedOn, method, forgotPasswordLink: `${publicBaseUrl()}/forgot-password` });
  await enqueueEmail(
    { kind: turnedOn ? "two-factor-on-notice" : "two-factor-off-notice", to, subject: notice.subject, text: notice.text, html: notice.html },
    tx,
  );
}

/** `availableAt` (ISO): when a refused send may be asked for again, for the page's countdown. */
export type Refusal = { ok: false; message: string; field?: string; availableAt?: string };
const refuse = (message: string, field?: string): Refusal => ({ ok: false, message, ...(field ? { field } : {}) });
const ALREADY_ON = "Two-factor sign-in is already on. Turn it off first to switch to another method.";

// ───────────────────────────── Turning it on: authenticator app ─────────────────────────────

export interface TotpSetup {
  ok: true;
  /** Base32, for manual entry. */
  secret: string;
  secretForTyping: string;
  uri: string;
  qrDataUrl: string;
}

/**
 * Starts authenticator set-up: a new secret is stored (sealed) as pending and shown once, as a QR
 * code and as text. Nothing changes for sign-in until confirmTotpSetup() gets a right code.
 */
export async function beginTotpSetup(userId: string): Promise<TotpSetup | Refusal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, twoFactorMethod: true } });
  if (user.twoFactorMethod) return refuse(ALREADY_ON);
  const secret = newTotpSecret();
  await db.user.update({ where: { id: userId }, data: { totpSecretEncrypted: sealTotpState({ secret, lastStep: null }) } });
  const uri = totpUri(secret, user.email);
  return { ok: true, secret, secretForTyping: formatSecretForTyping(secret), uri, qrDataUrl: await totpQrDataUrl(uri) };
}

export type TurnedOn = { ok: true; recoveryCodes: string[] };

/** Turns the authenticator on once the person enters a current code from it; returns the recovery codes (shown once). */
export async function confirmTotpSetup(input: { userId: string; role: Role; code: string; ip: string; now?: Date }): Promise<TurnedOn | Refusal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true, twoFactorMethod: true } });
  if (user.twoFactorMethod) return refuse(ALREADY_ON);
  const accepted = await acceptTotpCode(input.userId, input.code, { now: input.now, activate: true });
  if (!accepted.ok) {
    if (accepted.reason === "no_secret") return refuse("Start the set-up again: scan the new QR code, then enter its code.");
    if (accepted.reason === "replayed") return refuse("That code was already used. Wait for the next code in your app, then enter it.", "code");
    return refuse("That code is not right. Check that your phone's clock is set automatically, then enter the code your app shows now.", "code");
  }
  const recoveryCodes = await db.$transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(input.userId, tx);
    await recordAudit(
      {
        action: "identity.two_factor_enabled",
        actor: { userId: input.userId, role: input.role },
        subjectType: "User",
        subjectId: input.userId,
        ip: input.ip,
        details: { method: "totp" },
      },
      tx,
    );
    await queueTwoFactorNotice(tx, user.email, true, "totp");
    return codes;
  });
  void kickOutboxWorker();
  return { ok: true, recoveryCodes };
}

// ───────────────────────────── Turning it on: email or SMS codes ─────────────────────────────

type CodeChannel = "email" | "sms";

/** Where codes for this channel go, or why they cannot: only verified addresses and mobiles receive sign-in codes. */
async function codeTarget(userId: string, channel: CodeChannel): Promise<{ ok: true; target: string } | Refusal> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, emailVerifiedAt: true, phoneE164: true, phoneVerifiedAt: true },
  });
  if (channel === "email") return user.emailVerifiedAt ? { ok: true, target: user.email } : refuse("Verify your email address first.");
  return user.phoneE164 && user.phoneVerifiedAt
    ? { ok: true, target: user.phoneE164 }
    : refuse("Add and verify a mobile number first (Account → Mobile number).");
}

export type CodeSent = { ok: true; maskedTarget: string; resendAvailableAt: string; expiresAt: string };

async function sendSecondFactorCode(
  userId: string,
  channel: CodeChannel,
  ip: string,
  purpose: "two_factor_setup" | "sign_in_second_factor",
): Promise<CodeSent | Refusal> {
  const target = await codeTarget(userId, channel);
  if (!target.ok) return target;
  const issued = await issueChallenge({ purpose, channel, target: target.target, userId, requestIp: ip });
  if (!issued.ok) return { ...refuse(issued.message), ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
  return { ok: true, maskedTarget: issued.maskedTarget, resendAvailableAt: issued.resendAvailableAt.toISOString(), expiresAt: issued.expiresAt.toISOString() };
}

/** Sends a code to confirm that codes by this channel reach the person, before turning them on. */
export async function sendSetupCode(input: { userId: string; channel: CodeChannel; ip: string }): Promise<CodeSent | Refusal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { twoFactorMethod: true } });
  if (user.twoFactorMethod) return refuse(ALREADY_ON);
  return sendSecondFactorCode(input.userId, input.channel, input.ip, "two_factor_setup");
}

export async function confirmCodeSetup(input: {
  userId: string;
  role: Role;
  channel: CodeChannel;
  code: string;
  ip: string;
  now?: Date;
}): Promise<TurnedOn | Refusal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true, twoFactorMethod: true } });
  if (user.twoFactorMethod) return refuse(ALREADY_ON);
  const target = await codeTarget(input.userId, input.channel);
  if (!target.ok) return target;
  let recoveryCodes: string[] = [];
  const verified = await verifyCode({
    purpose: "two_factor_setup",
    userId: input.userId,
    target: target.target,
    code: input.code,
    requestIp: input.ip,
    now: input.now,
    onVerified: async (tx) => {
      await tx.user.update({ where: { id: input.userId }, data: { twoFactorMethod: input.channel, totpSecretEncrypted: null } });
      recoveryCodes = await replaceRecoveryCodes(input.userId, tx);
      await recordAudit(
        {
          action: "identity.two_factor_enabled",
          actor: { userId: input.userId, role: input.role },
          subjectType: "User",
          subjectId: input.userId,
          ip: input.ip,
          details: { method: input.channel },
        },
        tx,
      );
      await queueTwoFactorNotice(tx, user.email, true, input.channel);
    },
  });
  if (!verified.ok) return refuse(verified.message, "code");
  void kickOutboxWorker();
  return { ok: true, recoveryCodes };
}

// ───────────────────────────── Turning it off, new recovery codes ─────────────────────────────

/** Turns two-factor sign-in off, in the caller's transaction (below, or the owner's approval by text). */
export async function applyTwoFactorOff(tx: Prisma.TransactionClient, input: { userId: string; role: Role; ip: string }): Promise<void> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true, twoFactorMethod: true } });
  if (!user.twoFactorMethod) return;
  await tx.user.update({ where: { id: input.userId }, data: { twoFactorMethod: null, totpSecretEncrypted: null } });
  await tx.recoveryCode.deleteMany({ where: { userId: input.userId } });
  await recordAudit(
    {
      action: "identity.two_factor_disabled",
      actor: { userId: input.userId, role: input.role },
      subjectType: "User",
      subjectId: input.userId,
      ip: input.ip,
      details: { method: user.twoFactorMethod },
    },
    tx,
  );
  await queueTwoFactorNotice(tx, user.email, false, null);
}

/** The password, then off at once; or, for a customer with a verified mobile, off once they approve it by text. */
export async function turnOffTwoFactor(input: {
  userId: string;
  role: Role;
  password: string;
  ip: string;
  staffTwoFactorRequired: boolean;
  now?: Date;
}): Promise<{ ok: true; pending: false } | ({ ok: true } & PendingChangeOutcome) | Refusal> {
  const now = input.now ?? new Date();
  if (input.staffTwoFactorRequired && input.role !== "customer") {
    return refuse("This site requires two-factor sign-in for staff accounts, so it cannot be turned off.");
  }
  const password = await checkCurrentPassword(input.userId, input.password);
  if (!password.ok) return refuse(password.message, "password");
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { twoFactorMethod: true } });
  if (!user.twoFactorMethod) return refuse("Two-factor sign-in is already off.");
  const outcome = await holdForTextOrApply({
    userId: input.userId,
    kind: "two_factor_off",
    payload: {},
    summary: "turn off two-factor sign-in",
    ip: input.ip,
    now,
    apply: (tx) => applyTwoFactorOff(tx, { userId: input.userId, role: input.role, ip: input.ip }),
  });
  if ("refused" in outcome) return refuse(outcome.refused);
  if (outcome.pending) return { ok: true, ...outcome };
  void kickOutboxWorker();
  return { ok: true, pending: false };
}

export async function regenerateRecoveryCodes(input: { userId: string; role: Role; password: string; ip: string }): Promise<TurnedOn | Refusal> {
  const password = await checkCurrentPassword(input.userId, input.password);
  if (!password.ok) return refuse(password.message, "password");
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { twoFactorMethod: true } });
  if (!user.twoFactorMethod) return refuse("Turn on two-factor sign-in first.");
  const recoveryCodes = await db.$transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(input.userId, tx);
    await recordAudit(
      {
        action: "identity.recovery_codes_replaced",
        actor: { userId: input.userId, role: input.role },
        subjectType: "User",
        subjectId: input.userId,
        ip: input.ip,
      },
      tx,
    );
    return codes;
  });
  return { ok: true, recoveryCodes };
}

// ───────────────────────────── The sign-in's second step ─────────────────────────────

export interface PendingSignIn {
  sessionId: string;
  userId: string;
}

/**
 * Where a new-device sign-in code goes (an account without two-factor, on a browser it has not
 * used: features/accounts/devices/): the verified email address, else the verified mobile.
 */
async function newDeviceCodeTarget(userId: string): Promise<{ ok: true; channel: CodeChannel; target: string } | Refusal> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, emailVerifiedAt: true, phoneE164: true, phoneVerifiedAt: true },
  });
  if (user.emailVerifiedAt) return { ok: true, channel: "email", target: user.email };
  if (user.phoneE164 && user.phoneVerifiedAt) return { ok: true, channel: "sms", target: user.phoneE164 };
  return refuse("This account has no verified email address or mobile to send a sign-in code to. Contact support.");
}

/** For email / SMS two-factor, or a new browser without two-factor: sends the sign-in code (engine rules: cooldown, caps, lock). */
export async function sendSignInCode(pending: PendingSignIn, ip: string): Promise<CodeSent | Refusal> {
  const user = await db.user.findUniqueOrThrow({ where: { id: pending.userId }, select: { twoFactorMethod: true } });
  if (user.twoFactorMethod === null) {
    const target = await newDeviceCodeTarget(pending.userId);
    if (!target.ok) return target;
    const issued = await issueChallenge({
      purpose: "new_device_sign_in",
      channel: target.channel,
      target: target.target,
      userId: pending.userId,
      requestIp: ip,
    });
    if (!issued.ok) return { ...refuse(issued.message), ...(issued.availableAt ? { availableAt: issued.availableAt.toISOString() } : {}) };
    return {
      ok: true,
      maskedTarget: issued.maskedTarget,
      resendAvailableAt: issued.resendAvailableAt.toISOString(),
      expiresAt: issued.expiresAt.toISOString(),
    };
  }
  if (user.twoFactorMethod !== "email" && user.twoFactorMethod !== "sms")
    return refuse("This account signs in with an authenticator app, not with a sent code.");
  return sendSecondFactorCode(pending.userId, user.twoFactorMethod, ip, "sign_in_second_factor");
}

export type SecondFactorKind = "totp" | "code" | "recovery";
export type SecondFactorOutcome =
  | { ok: true; recoveryCodesLeft: number | null }
  /** `restart`: the pending sign-in is over (too many wrong entries, or it timed out); sign in again. */
  | { ok: false; message: string; restart: boolean };

/** Counts a wrong TOTP or recovery code toward the account's consecutive-failure lock (as the engine does for its codes). */
async function countAccountFailure(userId: string, ip: string, kind: SecondFactorKind, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id: userId },
      data: { codeFailureCount: { increment: 1 } },
      select: { codeFailureCount: true, codeLockedAt: true },
    });
    await recordAudit({ action: "auth.second_factor_failed", subjectType: "User", subjectId: userId, ip, details: { kind } }, tx);
    if (user.codeFailureCount < MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT || user.codeLockedAt) return user.codeLockedAt !== null;
    await tx.user.update({ where: { id: userId }, data: { codeLockedAt: now } });
    await tx.verificationChallenge.updateMany({ where: { userId, consumedAt: null, invalidatedAt: null }, data: { invalidatedAt: now } });
    await recordAudit(
      {
        action: "identity.code_verification_locked",
        subjectType: "User",
        subjectId: userId,
        ip,
        details: { consecutiveFailures: user.codeFailureCount, lastPurpose: "sign_in_second_factor", kind },
      },
      tx,
    );
    return true;
  });
}

/**
 * Checks the second factor of a pending sign-in and, when right, completes the session. A wrong
 * entry counts toward the account lock and toward this sign-in's MAX_WRONG_ENTRIES_PER_SIGN_IN.
 */
export async function verifySignInSecondFactor(
  pending: PendingSignIn,
  input: { kind: SecondFactorKind; code: string },
  ip: string,
  now: Date = new Date(),
): Promise<SecondFactorOutcome> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: pending.userId },
    select: { role: true, twoFactorMethod: true, codeLockedAt: true, phoneE164: true, email: true },
  });
  if (user.codeLockedAt) return { ok: false, message: LOCKED_MESSAGE, restart: false };
  const method = user.twoFactorMethod;
  // No two-factor: this pending sign-in is a new browser's, proven by the code sent to the verified email or mobile.
  if (!method && input.kind !== "code") return { ok: false, message: "Enter the code we sent you.", restart: false };

  let failure: string | null = null;
  let countHere = false;
  if (input.kind === "totp") {
    if (method !== "totp") return { ok: false, message: "This account does not use an authenticator app. Use the code we send you.", restart: false };
    const accepted = await acceptTotpCode(pending.userId, input.code, { now });
    if (!accepted.ok) {
      countHere = true;
      failure =
        accepted.reason === "replayed"
          ? "That code was already used. Wait for the next code in your app, then enter it."
          : "That code is not right. Enter the code your app shows now.";
    }
  } else if (input.kind === "recovery") {
    if (!(await consumeRecoveryCode(pending.userId, input.code, now))) {
      countHere = true;
      failure = "That recovery code is not right, or it was already used. Each code works once.";
    }
  } else {
    if (method === "totp")
      return { ok: false, message: "This account signs in with an authenticator app. Enter the code from the app, or a recovery code.", restart: false };
    const deviceTarget = method ? null : await newDeviceCodeTarget(pending.userId);
    if (deviceTarget && !deviceTarget.ok) return { ok: false, message: deviceTarget.message, restart: false };
    // The engine checks the code and counts failures on the account itself.
    const verified = await verifyCode({
      purpose: method ? "sign_in_second_factor" : "new_device_sign_in",
      userId: pending.userId,
      target: deviceTarget?.ok ? deviceTarget.target : method === "email" ? user.email : (user.phoneE164 ?? ""),
      code: input.code,
      requestIp: ip,
      now,
    });
    if (!verified.ok) {
      if (verified.reason === "locked") return { ok: false, message: verified.message, restart: false };
      failure = verified.message;
    }
  }

  if (failure !== null) {
    if (countHere && (await countAccountFailure(pending.userId, ip, input.kind, now))) return { ok: false, message: LOCKED_MESSAGE, restart: false };
    const tries = await consumeRateLimit(`second-factor:session:${pending.sessionId}`, MAX_WRONG_ENTRIES_PER_SIGN_IN, 60 * 60);
    if (tries.count >= MAX_WRONG_ENTRIES_PER_SIGN_IN) {
      await revokeAuthSession(pending.sessionId);
      await recordAudit({
        action: "auth.second_factor_abandoned",
        subjectType: "User",
        subjectId: pending.userId,
        ip,
        details: { reason: "too_many_wrong_entries" },
      });
      return { ok: false, message: "Too many wrong codes for this sign-in. Sign in again with your password.", restart: true };
    }
    return { ok: false, message: failure, restart: false };
  }

  if (!(await completeSecondFactor(pending.sessionId, now)))
    return { ok: false, message: "This sign-in has timed out. Sign in again with your password.", restart: true };
  await db.user.update({ where: { id: pending.userId }, data: { lastSignInAt: now, ...(input.kind !== "code" ? { codeFailureCount: 0 } : {}) } });
  await recordAudit({
    action: "auth.sign_in",
    actor: { userId: pending.userId, role: user.role },
    subjectType: "User",
    subjectId: pending.userId,
    ip,
    details: { secondFactor: input.kind === "code" ? (method ?? "new_device_code") : input.kind },
  });
  return { ok: true, recoveryCodesLeft: input.kind === "recovery" ? await recoveryCodesLeft(pending.userId) : null };
}

/** "j•••@example.com" or "+44 •••• •••123": where sign-in codes of this account go. */
export async function signInCodeDestination(userId: string): Promise<string | null> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { twoFactorMethod: true, email: true, phoneE164: true, emailVerifiedAt: true, phoneVerifiedAt: true },
  });
  if (user.twoFactorMethod === null) {
    if (user.emailVerifiedAt) return maskEmail(user.email);
    return user.phoneE164 && user.phoneVerifiedAt ? maskPhone(user.phoneE164) : null;
  }
  if (user.twoFactorMethod === "email") return maskEmail(user.email);
  if (user.twoFactorMethod === "sms" && user.phoneE164) return maskPhone(user.phoneE164);
  return null;
}
