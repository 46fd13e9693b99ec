import "server-only";
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { recordAudit } from "@/platform/audit";
import { type MatchOutcome, matchVerifiedAccount } from "@/features/customers/matching";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, Prisma } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { enqueueEmail } from "@/platform/outbox/outbox";
import { publicBaseUrl } from "@/platform/env";
import { issueChallenge, simulateIssueDelay, verifyCode, verifyLink, type IssueChallengeResult, type VerifyResult } from "@/features/verification/challenges";
import { DISPOSABLE_EMAIL_MESSAGE, isDisposableEmail } from "@/platform/email-address/disposable-domains";
import {
  EMAIL_CODE_LIFETIME_SECONDS,
  MAX_SENDS_PER_TARGET_PER_HOUR,
  MAX_WRONG_TRIES_PER_CODE,
  RESEND_COOLDOWN_SECONDS,
  SENDS_PER_TARGET_WINDOW_SECONDS,
} from "@/features/verification/limits";
import { maskEmail } from "@/platform/mask";
import { hashPassword } from "@/features/accounts/password/password";
import {
  decoyId,
  PENDING_REGISTRATION_MAX_AGE_SECONDS,
  type PendingDraft,
  type PendingRegistration,
} from "@/features/accounts/registration/pending-registration";
import { EXISTING_ACCOUNT_NOTICE_SUBJECT, renderExistingAccountNotice } from "@/features/accounts/registration/registration-emails";
import type { RegistrationInput } from "@/features/accounts/registration/schemas";
import { consumeRateLimit, isRateLimited } from "@/platform/rate-limit";

/**
 * Self-service registration of customer accounts, and the proof of their email address. Server
 * only; the pages and actions are app/register and app/verify/email, which keep the returned
 * PendingRegistration in a sealed cookie (features/accounts/registration/pending-registration.ts).
 *
 *   registerCustomer(input)            → account + code (or, for a taken address, a decoy + a notice to its owner)
 *   verifyPendingCode(state, code)     → proves the address, links the customer (features/customers/matching.ts)
 *   verifyEmailLinkAndMatch({token})   → the same from the emailed link, in any browser
 *   resendPendingCode(state)           → a new code, within the engine's cooldown and hourly cap
 *   correctPendingAddress(state, email)→ "Wrong address?": the account moves to the corrected address
 *   startVerificationForAccount(user)  → a signed-in, unverified customer asks for a code
 *
 * Codes, tries, expiry, cooldown and caps are the engine's (features/verification/challenges.ts); this
 * module only decides who gets what.
 *
 * ── No account enumeration ──
 * An address that already has an account answers exactly like a new one: same result shape, same
 * page, about the same time (the password is hashed anyway and simulateIssueDelay() stands in for
 * the send). Its owner gets "someone tried to register with your address" instead of a code. The
 * registrant holds a decoy state whose codes are all "not right", counted and timed like a real
 * code's, whose resends keep the same cooldown and cap, and which "Wrong address?" turns into a
 * real account when the corrected address is free.
 */

// ───────────────────────────── Limits of this flow ─────────────────────────────

/** Registrations and address corrections from one IP address per hour (all instances share the count). */
export const REGISTRATIONS_PER_IP_PER_HOUR = 20;
/** "Someone tried to register with your address" emails to one address per hour. */
export const EXISTING_ACCOUNT_NOTICES_PER_HOUR = 3;
/** Times one registration may change its address with "Wrong address?". */
export const MAX_ADDRESS_CORRECTIONS = 5;

// ───────────────────────────── Results and errors ─────────────────────────────

/** A refusal the person should see (rate limit, disposable address…): never depends on whether an account exists. */
export class RegistrationRefusedError extends Error {
  constructor(
    message: string,
    readonly code: "invalid" | "rate_limited" | "conflict",
    /** The form field the message belongs to, if any. */
    readonly field?: "email",
  ) {
    super(message);
    this.name = "RegistrationRefusedError";
  }
}

/** What the verification page shows about a pending registration. */
export interface PendingView {
  /** "a•••@example.com" */
  maskedEmail: string;
  resendAvailableAt: Date;
}

export interface PendingOutcome {
  state: PendingRegistration;
  view: PendingView;
}

export type CodeRefusalReason = "wrong_code" | "too_many_tries" | "expired" | "used" | "locked" | "no_code" | "already_verified";

export type VerifyPendingResult =
  | { ok: true; userId: string; match: MatchOutcome }
  | { ok: false; reason: CodeRefusalReason; message: string; state: PendingRegistration };

export type VerifyLinkResult = { ok: true; userId: string; match: MatchOutcome } | { ok: false; reason: string; message: string };

export type ResendResult =
  | { ok: true; state: PendingRegistration; view: PendingView }
  | { ok: false; state: PendingRegistration; message: string; retryAfterSeconds?: number };

interface Context {
  /** Client IP (platform/request.ts), for rate limits and the audit trail. */
  ip: string;
  /** The current time; tests pass it to move the clock. */
  now?: Date;
}

export function pendingView(state: PendingRegistration): PendingView {
  return { maskedEmail: maskEmail(state.email), resendAvailableAt: new Date(state.resendAvailableAt) };
}

// ───────────────────────────── Messages ─────────────────────────────

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function waitText(seconds: number): string {
  if (seconds < 90) return plural(seconds, "second", "seconds");
  if (seconds < 90 * 60) return plural(Math.ceil(seconds / 60), "minute", "minutes");
  return plural(Math.ceil(seconds / 3600), "hour", "hours");
}

export const CODE_MESSAGES = {
  wrong: (triesLeft: number) => `That code is not right. ${plural(triesLeft, "try", "tries")} left.`,
  lastWrong: `That code is not right, and after ${MAX_WRONG_TRIES_PER_CODE} wrong tries it no longer works. Send a new code.`,
  tooManyTries: "This code no longer works after too many wrong tries. Send a new code.",
  expired: "This code has expired. Send a new code.",
  used: "This code has already been used. Send a new code if you still need one.",
  noCode: "There is no code to check yet. Send a new code.",
  alreadyVerified: "This email address is already verified. Sign in to continue.",
  cooldown: (seconds: number) => `You can ask for a new code in ${waitText(seconds)}.`,
  hourly: (seconds: number) => `We have sent as many codes to this address as we can in an hour. Try again in ${waitText(seconds)}.`,
} as const;

// ───────────────────────────── Timing ─────────────────────────────

/** Durations of recent real code checks, so a decoy's check can take about as long. */
const recentVerifyMillis: number[] = [];

function rememberVerifyTime(startedAt: number) {
  recentVerifyMillis.push(performance.now() - startedAt);
  if (recentVerifyMillis.length > 50) recentVerifyMillis.shift();
}

async function padLikeVerify(startedAt: number) {
  const sample = recentVerifyMillis.length > 0 ? recentVerifyMillis[randomInt(recentVerifyMillis.length)]! : 25;
  const target = sample * (0.9 + randomInt(201) / 1000);
  await sleep(Math.max(0, target - (performance.now() - startedAt)));
}

// ───────────────────────────── Shared steps ─────────────────────────────

function refuseDisposable(email: string) {
  if (isDisposableEmail(email)) throw new RegistrationRefusedError(DISPOSABLE_EMAIL_MESSAGE, "invalid", "email");
}

async function limitByIp(ip: string) {
  const limit = await consumeRateLimit(`registration:ip:${ip}`, REGISTRATIONS_PER_IP_PER_HOUR, 60 * 60);
  if (!limit.allowed) {
    throw new RegistrationRefusedError(`Too many sign-ups from your network. Try again in ${waitText(Math.max(1, limit.retryAfterSeconds))}.`, "rate_limited");
  }
}

/** Sends to the current address within the last hour, oldest first. */
function recentSends(sends: readonly number[], now: Date): number[] {
  const since = now.getTime() - SENDS_PER_TARGET_WINDOW_SECONDS * 1000;
  return sends.filter((at) => at > since).slice(-MAX_SENDS_PER_TARGET_PER_HOUR);
}

/**
 * A decoy's sends, kept on the server like a real code's challenge rows (one row per send, keyed
 * by address and decoy id), never only in the cookie: replaying an earlier cookie must meet the
 * same cooldown and hourly cap as a real registration's, which the engine counts from its rows.
 */
const DECOY_SEND_KEY = "registration-decoy-send:";

async function recordDecoySend(email: string, decoyUserId: string, now: Date): Promise<void> {
  await db.rateLimitCounter.create({
    data: {
      key: `${DECOY_SEND_KEY}${email}:${decoyUserId}:${now.getTime()}:${randomInt(1_000_000_000)}`,
      windowStart: now,
      count: 1,
      expiresAt: new Date(now.getTime() + SENDS_PER_TARGET_WINDOW_SECONDS * 1000),
    },
  });
}

/** The engine's cooldown (per registration) and hourly cap (per address), for a decoy. */
async function decoySendingRefusal(email: string, decoyUserId: string, now: Date): Promise<{ reason: "cooldown" | "hourly_limit"; seconds: number } | null> {
  const secondsUntil = (moment: number) => Math.max(1, Math.ceil((moment - now.getTime()) / 1000));
  const since = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const latest = await db.rateLimitCounter.findFirst({
    where: { key: { startsWith: `${DECOY_SEND_KEY}${email}:${decoyUserId}:` }, windowStart: { gt: since(RESEND_COOLDOWN_SECONDS) } },
    orderBy: { windowStart: "desc" },
  });
  if (latest) return { reason: "cooldown", seconds: secondsUntil(latest.windowStart.getTime() + RESEND_COOLDOWN_SECONDS * 1000) };
  const recent = await db.rateLimitCounter.findMany({
    where: { key: { startsWith: `${DECOY_SEND_KEY}${email}:` }, windowStart: { gt: since(SENDS_PER_TARGET_WINDOW_SECONDS) } },
    orderBy: { windowStart: "desc" },
    take: MAX_SENDS_PER_TARGET_PER_HOUR,
  });
  if (recent.length < MAX_SENDS_PER_TARGET_PER_HOUR) return null;
  return {
    reason: "hourly_limit",
    seconds: secondsUntil(recent[MAX_SENDS_PER_TARGET_PER_HOUR - 1]!.windowStart.getTime() + SENDS_PER_TARGET_WINDOW_SECONDS * 1000),
  };
}

function stateAfterSend(
  base: { userId: string; challengeId: string; email: string; draft: PendingDraft; sends: readonly number[]; corrections: number },
  now: Date,
): PendingRegistration {
  return {
    v: 1,
    userId: base.userId,
    challengeId: base.challengeId,
    email: base.email,
    draft: base.draft,
    issuedAt: now.getTime(),
    resendAvailableAt: now.getTime() + RESEND_COOLDOWN_SECONDS * 1000,
    sends: [...recentSends(base.sends, now), now.getTime()].slice(-MAX_SENDS_PER_TARGET_PER_HOUR),
    attempts: 0,
    corrections: base.corrections,
  };
}

/** The unverified account a state names, or null (a decoy, or an account that moved on). */
async function pendingAccount(state: Pick<PendingRegistration, "userId" | "email">) {
  const user = await db.user.findUnique({ where: { id: state.userId }, select: { id: true, email: true, role: true, emailVerifiedAt: true } });
  return user && user.role === "customer" && user.email === state.email ? user : null;
}

/** Creates the unverified customer account, or null when the address was taken meanwhile. */
async function createAccount(email: string, draft: PendingDraft, ip: string, now: Date): Promise<{ id: string } | null> {
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email,
          name: draft.name,
          role: "customer",
          passwordHash: draft.passwordHash,
          phoneE164: draft.phoneE164,
          accountHint: draft.accountHint,
          createdAt: now,
        },
        select: { id: true },
      });
      await recordAudit(
        {
          action: "registration.account_created",
          subjectType: "User",
          subjectId: user.id,
          ip,
          details: { phoneGiven: draft.phoneE164 !== null, hintGiven: draft.accountHint !== null },
        },
        tx,
      );
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Issues the verification code (and link) for a real account; a refusal keeps what the state had. */
async function sendCode(
  base: { userId: string; email: string; draft: PendingDraft; sends: readonly number[]; corrections: number; challengeId?: string },
  ctx: Context,
  now: Date,
): Promise<{ issued: IssueChallengeResult; state: PendingRegistration }> {
  const issued = await issueChallenge({
    purpose: "email_verification",
    channel: "email",
    target: base.email,
    userId: base.userId,
    requestIp: ctx.ip,
    withLink: true,
    now,
  });
  if (issued.ok) return { issued, state: stateAfterSend({ ...base, challengeId: issued.challengeId }, now) };
  const state: PendingRegistration = {
    ...stateAfterSend({ ...base, challengeId: base.challengeId ?? decoyId() }, now),
    sends: recentSends(base.sends, now),
    resendAvailableAt: now.getTime() + (issued.retryAfterSeconds ?? RESEND_COOLDOWN_SECONDS) * 1000,
  };
  return { issued, state };
}

/**
 * The answer for an address that already has an account: its owner is told, the registrant gets
 * a decoy, and it takes about as long as a real send.
 */
async function answerForTakenAddress(
  email: string,
  draft: PendingDraft,
  base: { sends: readonly number[]; corrections: number },
  ctx: Context,
  now: Date,
): Promise<PendingOutcome> {
  const owner = await db.user.findUnique({ where: { email }, select: { id: true } });
  const notice = await consumeRateLimit(`registration-notice:${email}`, EXISTING_ACCOUNT_NOTICES_PER_HOUR, 60 * 60);
  if (notice.allowed) {
    const rendered = await renderExistingAccountNotice({ signInUrl: `${publicBaseUrl()}/signin` });
    await enqueueEmail({
      kind: "registration-existing-account",
      to: email,
      subject: EXISTING_ACCOUNT_NOTICE_SUBJECT,
      text: rendered.text,
      html: rendered.html,
    });
  }
  await recordAudit({
    action: "registration.existing_address",
    subjectType: "User",
    subjectId: owner?.id,
    ip: ctx.ip,
    details: { noticeQueued: notice.allowed },
  });
  await simulateIssueDelay();
  const state = stateAfterSend({ userId: decoyId(), challengeId: decoyId(), email, draft, sends: base.sends, corrections: base.corrections }, now);
  await recordDecoySend(email, state.userId, now);
  return { state, view: pendingView(state) };
}

// ───────────────────────────── Registering ─────────────────────────────

/**
 * Registers a customer account (unverified, role customer, mobile stored unverified, hint kept
 * for agents) and sends the code and link, or, when the address already has an account, answers
 * the same way with a decoy. Input is the parsed registrationSchema output.
 * Throws RegistrationRefusedError for a disposable address or too many sign-ups from one IP.
 */
export async function registerCustomer(input: RegistrationInput, ctx: Context): Promise<PendingOutcome> {
  const now = ctx.now ?? new Date();
  const email = normalizeEmail(input.email);
  refuseDisposable(email);
  await limitByIp(ctx.ip);

  // Hashed whether or not the address is taken, so both answers take as long.
  const draft: PendingDraft = {
    name: input.name,
    passwordHash: await hashPassword(input.password),
    phoneE164: input.phoneE164,
    accountHint: input.accountHint,
  };
  const fresh = { sends: [] as number[], corrections: 0 };

  const taken = await db.user.findUnique({ where: { email }, select: { id: true } });
  const account = taken ? null : await createAccount(email, draft, ctx.ip, now);
  if (!account) return answerForTakenAddress(email, draft, fresh, ctx, now);

  const { state } = await sendCode({ userId: account.id, email, draft, ...fresh }, ctx, now);
  return { state, view: pendingView(state) };
}

// ───────────────────────────── Verifying ─────────────────────────────

function refusal(reason: CodeRefusalReason, message: string, state: PendingRegistration): VerifyPendingResult {
  return { ok: false, reason, message, state };
}

/**
 * A decoy's code check, following the engine's rules so it reads exactly like a real one. Its
 * wrong tries are counted on the server, keyed by the decoy's challenge id (as a real challenge's
 * are kept in its row), never in the cookie: replaying an earlier cookie must not reset them, or
 * "4, 4, 4 tries left" would tell a taken address from a new one's "4, 3, 2".
 */
async function decoyAttempt(state: PendingRegistration, now: Date): Promise<VerifyPendingResult> {
  const key = `registration-decoy-tries:${state.challengeId}`;
  if ((await isRateLimited(key, MAX_WRONG_TRIES_PER_CODE)).limited) {
    // As the real path: the try that killed the code and every later one read by the cookie's count.
    const justKilled = state.attempts < MAX_WRONG_TRIES_PER_CODE;
    return refusal("too_many_tries", justKilled ? CODE_MESSAGES.lastWrong : CODE_MESSAGES.tooManyTries, { ...state, attempts: MAX_WRONG_TRIES_PER_CODE });
  }
  if (now.getTime() >= state.issuedAt + EMAIL_CODE_LIFETIME_SECONDS * 1000) return refusal("expired", CODE_MESSAGES.expired, state);
  const { count: attempts } = await consumeRateLimit(key, MAX_WRONG_TRIES_PER_CODE, PENDING_REGISTRATION_MAX_AGE_SECONDS);
  const next = { ...state, attempts: Math.min(attempts, MAX_WRONG_TRIES_PER_CODE) };
  if (attempts >= MAX_WRONG_TRIES_PER_CODE) return refusal("too_many_tries", CODE_MESSAGES.lastWrong, next);
  return refusal("wrong_code", CODE_MESSAGES.wrong(MAX_WRONG_TRIES_PER_CODE - attempts), next);
}

function realRefusal(result: Extract<VerifyResult, { ok: false }>, state: PendingRegistration): VerifyPendingResult {
  switch (result.reason) {
    case "wrong_code": {
      const triesLeft = result.triesLeft ?? MAX_WRONG_TRIES_PER_CODE - state.attempts - 1;
      return refusal("wrong_code", CODE_MESSAGES.wrong(triesLeft), { ...state, attempts: MAX_WRONG_TRIES_PER_CODE - triesLeft });
    }
    case "too_many_tries": {
      // The engine says the same for the try that killed the code and for every try after it.
      const justKilled = state.attempts < MAX_WRONG_TRIES_PER_CODE;
      return refusal("too_many_tries", justKilled ? CODE_MESSAGES.lastWrong : CODE_MESSAGES.tooManyTries, { ...state, attempts: MAX_WRONG_TRIES_PER_CODE });
    }
    case "expired":
      return refusal("expired", CODE_MESSAGES.expired, state);
    case "used":
      return refusal("used", CODE_MESSAGES.used, state);
    case "locked":
      return refusal("locked", result.message, state);
    case "no_challenge":
      return refusal("no_code", CODE_MESSAGES.noCode, state);
  }
}

/**
 * Checks the code typed on the verification page. Right: the address is verified and the account
 * linked to its customer in the same transaction that consumes the code. Wrong (or a decoy): the
 * refusal, and the state to store back (it counts the tries).
 */
export async function verifyPendingCode(state: PendingRegistration, code: string, ctx: Context): Promise<VerifyPendingResult> {
  const startedAt = performance.now();
  const now = ctx.now ?? new Date();
  const account = await pendingAccount(state);
  if (!account) {
    // A decoy: the engine finds nothing to check (and the check takes as long as a real one).
    await verifyCode({ purpose: "email_verification", code, userId: state.userId, challengeId: state.challengeId, requestIp: ctx.ip, now });
    const result = await decoyAttempt(state, now);
    await padLikeVerify(startedAt);
    return result;
  }
  if (account.emailVerifiedAt) return refusal("already_verified", CODE_MESSAGES.alreadyVerified, state);

  let match: MatchOutcome | undefined;
  const result = await verifyCode({
    purpose: "email_verification",
    code,
    // The account's latest code, whichever browser or page asked for it.
    userId: account.id,
    requestIp: ctx.ip,
    now,
    onVerified: async (tx, challenge) => {
      match = await matchVerifiedAccount(tx, { userId: account.id, email: challenge.target, verifiedAt: now, ip: ctx.ip });
    },
  });
  rememberVerifyTime(startedAt);
  if (result.ok && match) return { ok: true, userId: account.id, match };
  if (result.ok) throw new Error("The code was accepted but the account was not updated.");
  return realRefusal(result, state);
}

/**
 * The emailed link: consumes it (with the code from its #fragment when the page could read it)
 * and verifies and links the account. For the page's POST only, never its GET. Works in any
 * browser: the token names the challenge.
 */
export async function verifyEmailLinkAndMatch(input: { token: string; code?: string }, ctx: Context): Promise<VerifyLinkResult> {
  const now = ctx.now ?? new Date();
  let verified: { userId: string; match: MatchOutcome } | undefined;
  const result = await verifyLink({
    token: input.token,
    ...(input.code ? { code: input.code } : {}),
    purpose: "email_verification",
    requestIp: ctx.ip,
    now,
    onVerified: async (tx, challenge) => {
      if (!challenge.userId) throw new Error("An email verification challenge without an account.");
      verified = {
        userId: challenge.userId,
        match: await matchVerifiedAccount(tx, { userId: challenge.userId, email: challenge.target, verifiedAt: now, ip: ctx.ip }),
      };
    },
  });
  if (result.ok && verified) return { ok: true, ...verified };
  if (result.ok) throw new Error("The link was accepted but the account was not updated.");
  return { ok: false, reason: result.reason, message: result.message };
}

// ───────────────────────────── Sending again ─────────────────────────────

/** "Send a new code": a new code (and link) to the same address, or why not yet. */
export async function resendPendingCode(state: PendingRegistration, ctx: Context): Promise<ResendResult> {
  const now = ctx.now ?? new Date();
  const account = await pendingAccount(state);
  if (account?.emailVerifiedAt) return { ok: false, state, message: CODE_MESSAGES.alreadyVerified };

  if (account) {
    const { issued, state: next } = await sendCode({ ...state, userId: account.id }, ctx, now);
    if (issued.ok) return { ok: true, state: next, view: pendingView(next) };
    const seconds = issued.retryAfterSeconds ?? RESEND_COOLDOWN_SECONDS;
    const message =
      issued.reason === "cooldown" ? CODE_MESSAGES.cooldown(seconds) : issued.reason === "hourly_limit" ? CODE_MESSAGES.hourly(seconds) : issued.message;
    return { ok: false, state: next, message, ...(issued.retryAfterSeconds ? { retryAfterSeconds: issued.retryAfterSeconds } : {}) };
  }

  // A decoy keeps the engine's cooldown and hourly cap, counted on the server as the engine counts its rows.
  const refused = await decoySendingRefusal(state.email, state.userId, now);
  if (refused) {
    const sends = recentSends(state.sends, now);
    const next = { ...state, sends, resendAvailableAt: now.getTime() + refused.seconds * 1000 };
    const message = refused.reason === "cooldown" ? CODE_MESSAGES.cooldown(refused.seconds) : CODE_MESSAGES.hourly(refused.seconds);
    return { ok: false, state: next, message, retryAfterSeconds: refused.seconds };
  }
  await simulateIssueDelay();
  await recordDecoySend(state.email, state.userId, now);
  const next = stateAfterSend({ ...state, challengeId: decoyId(), sends: recentSends(state.sends, now) }, now);
  return { ok: true, state: next, view: pendingView(next) };
}

// ───────────────────────────── "Wrong address?" ─────────────────────────────

/**
 * Moves the pending registration to a corrected address and sends a new code there; the code
 * and link sent to the old address stop working. Answers the same whether or not the corrected
 * address already has an account (then its owner gets the notice, and the unverified account at
 * the mistyped address is removed, since this browser created it and nobody has proved it).
 */
export async function correctPendingAddress(state: PendingRegistration, newAddress: string, ctx: Context): Promise<PendingOutcome> {
  const now = ctx.now ?? new Date();
  const email = normalizeEmail(newAddress);
  refuseDisposable(email);
  if (email === state.email) {
    throw new RegistrationRefusedError("That is the address we already sent the code to. Check it, or use Send a new code.", "invalid", "email");
  }
  if (state.corrections >= MAX_ADDRESS_CORRECTIONS) {
    throw new RegistrationRefusedError("This registration has changed its address too many times. Start again from Create an account.", "rate_limited");
  }
  const account = await pendingAccount(state);
  if (account?.emailVerifiedAt) throw new RegistrationRefusedError(CODE_MESSAGES.alreadyVerified, "conflict");
  await limitByIp(ctx.ip);

  const base = { draft: state.draft, sends: [] as number[], corrections: state.corrections + 1 };
  // Ids only in the audit log (it cannot be erased): the addresses stay out.
  const audit = { addressChanged: true };

  // Old codes die, and are detached from the account so the corrected address starts without the
  // old address's cooldown (the rows stay, so the old address's hourly cap still counts them).
  const retireOldCodes = (tx: Prisma.TransactionClient, userId: string) =>
    tx.verificationChallenge
      .updateMany({ where: { userId, consumedAt: null, invalidatedAt: null }, data: { invalidatedAt: now } })
      .then(() => tx.verificationChallenge.updateMany({ where: { userId }, data: { userId: null } }));

  const taken = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!taken && account) {
    const moved = await db
      .$transaction(async (tx) => {
        await retireOldCodes(tx, account.id);
        await tx.user.update({ where: { id: account.id }, data: { email } });
        await recordAudit({ action: "registration.address_corrected", subjectType: "User", subjectId: account.id, ip: ctx.ip, details: audit }, tx);
        return true;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) return false;
        throw error;
      });
    if (moved) {
      const { state: next } = await sendCode({ ...base, userId: account.id, email }, ctx, now);
      return { state: next, view: pendingView(next) };
    }
  } else if (!taken) {
    // A decoy (its first address was taken) moving to a free address: now the account is created.
    const created = await createAccount(email, state.draft, ctx.ip, now);
    if (created) {
      const { state: next } = await sendCode({ ...base, userId: created.id, email }, ctx, now);
      return { state: next, view: pendingView(next) };
    }
  }

  // The corrected address has an account: the mistyped one's unverified account goes.
  if (account) {
    await db.$transaction(async (tx) => {
      await retireOldCodes(tx, account.id);
      await tx.user.delete({ where: { id: account.id } });
      await recordAudit({ action: "registration.abandoned_for_existing_address", subjectType: "User", subjectId: account.id, ip: ctx.ip, details: audit }, tx);
    });
  }
  return answerForTakenAddress(email, state.draft, base, ctx, now);
}

// ───────────────────────────── Signed in, not verified ─────────────────────────────

/**
 * A signed-in customer whose address is not verified (another browser, or days later) asks for a
 * code from the portal's banner. Returns the state for the verification page, or null when there
 * is nothing to verify (verified already, or not a customer).
 */
export async function startVerificationForAccount(userId: string, ctx: Context): Promise<(PendingOutcome & { refusal?: string }) | null> {
  const now = ctx.now ?? new Date();
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || user.role !== "customer" || user.emailVerifiedAt || !user.passwordHash) return null;
  const draft: PendingDraft = { name: user.name, passwordHash: user.passwordHash, phoneE164: user.phoneE164, accountHint: user.accountHint };
  const { issued, state } = await sendCode({ userId: user.id, email: user.email, draft, sends: [], corrections: 0 }, ctx, now);
  const refusalText = issued.ok
    ? undefined
    : issued.reason === "cooldown"
      ? CODE_MESSAGES.cooldown(issued.retryAfterSeconds ?? RESEND_COOLDOWN_SECONDS)
      : issued.message;
  return { state, view: pendingView(state), ...(refusalText ? { refusal: refusalText } : {}) };
}
