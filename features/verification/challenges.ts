import { isSmsOptedOut, SMS_OPTED_OUT_MESSAGE } from "@/platform/outbox/sms-opt-outs";
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { isSendableAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { ChallengePurpose, db, DeliveryChannel, Prisma, type Role, type VerificationChallenge } from "@/platform/db/client";
import { enqueueEmail, enqueueSms, kickOutboxWorker } from "@/platform/outbox/outbox";
import { publicBaseUrl } from "@/platform/env";
import { mayEnter } from "@/platform/auth/policy";
import { codeMatches, generateCode, generateLinkToken, hashCode, hashLinkToken, isLinkTokenShape, normalizeCodeInput } from "@/features/verification/codes";
import { renderSecurityCodeEmail } from "@/features/verification/emails/security-code-email";
import { renderVerificationCodeEmail } from "@/features/verification/emails/verification-code-email";
import {
  CODE_DIGITS,
  EMAIL_CODE_LIFETIME_SECONDS,
  EMAIL_LINK_LIFETIME_SECONDS,
  MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT,
  MAX_SENDS_PER_TARGET_PER_HOUR,
  MAX_CHANGE_SENDS_PER_ACCOUNT_PER_HOUR,
  ACCOUNT_CHANGE_PURPOSES,
  MAX_SMS_PER_IP_PER_DAY,
  MAX_SMS_PER_NUMBER_PER_DAY,
  MAX_WRONG_TRIES_PER_CODE,
  RESEND_COOLDOWN_SECONDS,
  SENDS_PER_TARGET_WINDOW_SECONDS,
  SMS_CODE_LIFETIME_SECONDS,
  SMS_DAILY_WINDOW_SECONDS,
} from "@/features/verification/limits";
import { maskTarget } from "@/platform/mask";
import { smsCodeText } from "@/features/verification/sms-texts";

/**
 * The one-time code engine: registration (email code + link), mobile verification, two-factor
 * sign-in by email or SMS, password reset, email/phone change, and agent-run caller verification.
 * Server only.
 *
 *   issueChallenge(…)  creates the challenge row and queues the email/SMS in ONE transaction;
 *   verifyCode(…)      checks a typed code;
 *   peekLink(token)    reads what an emailed link is for, changing nothing (the page's GET);
 *   verifyLink(…)      consumes an emailed link (the page's POST);
 *   unlockCodeVerification(…) lets staff lift the per-account lock.
 *
 * Rules (numbers in ./limits.ts): codes are stored only as keyed hashes bound to purpose and
 * target; single use, consumed by one conditional UPDATE so two concurrent correct entries
 * succeed once; MAX_WRONG_TRIES_PER_CODE wrong entries kill a code; consecutive failures are also
 * counted per account, and at MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT the account is locked for
 * codes until staff unlock it; a new code supersedes older ones; sending is limited by a cooldown
 * per (account or target, purpose, target) that never delays another purpose's first code, an hourly cap per target and, for SMS, daily caps per number and per requesting IP, all counted
 * from VerificationChallenge rows so every instance shares them.
 *
 * Codes never appear in logs, errors, audit entries or return values of this module: the only
 * place a code exists in clear is the message body, which the outbox stores sealed.
 *
 * ── Acting on a verified code ──
 * Pass `onVerified(tx, challenge)` to make your change (set emailVerifiedAt, reset the password…)
 * in the same transaction that consumes the code: if your change fails, the code is not used up.
 *
 * ── No account enumeration ──
 * Flows that start from an address someone typed (password reset, "send me a sign-in code") must
 * answer the same whether or not an account exists, in words and in time:
 *
 *   const user = await findUserByEmail(email);
 *   const sent = await issueChallengeOrSimulate(user && { purpose: "password_reset", channel: "email", target: user.email, userId: user.id, requestIp });
 *   // `sent` (null, a refusal or a success) is for your logs, never for the answer:
 *   return "If an account uses that address, we have sent it a code."; // same words, same status
 *
 * (issueChallengeOrSimulate = issueChallenge when there is an account, simulateIssueDelay() when
 * there is none, and pads refusals, which are quicker than sends, to the time of a send.)
 * When such a flow later checks the code, show `no_challenge` exactly like `wrong_code` and leave
 * out `triesLeft`, which only an existing challenge has.
 *
 * Only flows where the person is already identified (signed in, or mid sign-in after the
 * password check) should show `reason`, `message` and `retryAfterSeconds`.
 */

// ───────────────────────────── Types ─────────────────────────────

/** Who started the action, for the audit trail (agent-run caller verification, staff unlock). */
export interface ChallengeActor {
  userId: string;
  role: Role;
}

/** The channels a one-time code travels by (the outbox's third channel, webhooks, carries none). */
export const CODE_CHANNELS = ["email", "sms"] as const satisfies readonly DeliveryChannel[];
export type CodeChannel = (typeof CODE_CHANNELS)[number];

/** A stored challenge's channel, which only ever holds a code channel. */
export function codeChannelOf(channel: DeliveryChannel): CodeChannel {
  if (channel === "webhook") throw new Error("A verification challenge cannot go by webhook.");
  return channel;
}

export interface IssueChallengeInput {
  purpose: ChallengePurpose;
  channel: CodeChannel;
  /** Email address (normalised here) or E.164 number the code goes to. */
  target: string;
  /** Required for every purpose except caller_verification: the account the code proves. */
  userId?: string;
  /** caller_verification: the customer (and conversation) the code proves. */
  customerId?: string;
  ticketId?: string;
  /** Client IP of the request (platform/request.ts clientIpFrom); counts toward the SMS cap per IP. */
  requestIp: string;
  /**
   * Also send a one-click link: email_verification and contact_verification by email (valid
   * EMAIL_LINK_LIFETIME_SECONDS), contact_verification by SMS (a short link, valid as long as the code).
   */
  withLink?: boolean;
  actor?: ChallengeActor | null;
  /** change_confirmation: what the text asks the owner to approve, in masked words ("email address to j•••@example.com"). */
  changeSummary?: string;
  /** The current time; tests pass it to move the clock. */
  now?: Date;
}

export type IssueRefusalReason = "cooldown" | "hourly_limit" | "account_hourly_limit" | "daily_number_limit" | "daily_ip_limit" | "locked" | "opted_out";

export type IssueChallengeResult =
  | {
      ok: true;
      challengeId: string;
      /** When the code stops working. */
      expiresAt: Date;
      /** When the link stops working (with `withLink`). */
      linkExpiresAt?: Date;
      /** When the same (user or target, purpose) may ask for another code. */
      resendAvailableAt: Date;
      /** "j•••@example.com", "+44 •••• •••058": where the code went, for the page to say. */
      maskedTarget: string;
    }
  | {
      ok: false;
      reason: IssueRefusalReason;
      retryAfterSeconds?: number;
      /** When this request may be made again (every reason but "locked"): for the page's countdown. */
      availableAt?: Date;
      message: string;
    };

export type VerifyRefusalReason = "wrong_code" | "expired" | "used" | "too_many_tries" | "locked" | "no_challenge";

/** The challenge as callers see it: without its hashes, which nothing outside this module needs. */
export type VerifiedChallenge = Omit<VerificationChallenge, "codeHash" | "linkTokenHash">;

export type VerifyResult = { ok: true; challenge: VerifiedChallenge } | { ok: false; reason: VerifyRefusalReason; triesLeft?: number; message: string };

/** What every verification may carry besides the code. */
interface VerifyContext {
  /** Client IP, for the audit trail. */
  requestIp?: string | null;
  /** Staff member entering the code (caller verification), for the audit trail. */
  actor?: ChallengeActor | null;
  /**
   * Runs inside the transaction that consumes the challenge: make your change here (mark the
   * email verified, set the new password…) so that the code is used up only if it succeeds.
   * If it throws, nothing is consumed and the error propagates.
   */
  onVerified?: (tx: Prisma.TransactionClient, challenge: VerifiedChallenge) => Promise<void>;
}

export interface VerifyCodeInput extends VerifyContext {
  purpose: ChallengePurpose;
  /** What the person typed; spaces and dashes are ignored. */
  code: string;
  /**
   * Which challenge: any of these narrow the search, and all given must match. The latest
   * challenge that matches is the one checked (older ones have been superseded anyway).
   */
  challengeId?: string;
  userId?: string;
  target?: string;
  customerId?: string;
  ticketId?: string;
  now?: Date;
}

export interface VerifyLinkInput extends VerifyContext {
  token: string;
  /** The code from the link's #fragment (the page fills it in). When given it must be right. */
  code?: string;
  /** What the link must be for; only email verification sends links. */
  purpose?: ChallengePurpose;
  now?: Date;
}

export type PeekLinkResult =
  | { ok: true; challengeId: string; purpose: ChallengePurpose; maskedTarget: string; linkExpiresAt: Date }
  | { ok: false; reason: Exclude<VerifyRefusalReason, "wrong_code">; message: string };

export type UnlockResult = { ok: true; failuresCleared: number } | { ok: false; reason: "forbidden" | "not_locked" | "no_user" };

// ───────────────────────────── Input validation ─────────────────────────────

/** A malformed request from our own code (not a user mistake). The message names fields, never values. */
export class InvalidChallengeRequestError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid verification request: ${issues.join("; ")}`);
    this.name = "InvalidChallengeRequestError";
  }
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Purposes whose message may carry a link, and the page that opens it. */
const LINK_PURPOSES: readonly ChallengePurpose[] = ["email_verification", "contact_verification"];
const LINK_PAGE: Partial<Record<ChallengePurpose, string>> = { email_verification: "/verify/email", contact_verification: "/verify/contact" };
const purposeSchema = z.enum(ChallengePurpose);
const actorSchema = z.object({ userId: z.uuid(), role: z.enum(["customer", "agent", "supervisor", "admin"]) });

const issueSchema = z
  .object({
    purpose: purposeSchema,
    channel: z.enum(CODE_CHANNELS),
    target: z.string().trim().min(1).max(320),
    userId: z.uuid().optional(),
    customerId: z.uuid().optional(),
    ticketId: z.uuid().optional(),
    requestIp: z.string().trim().min(1).max(64),
    withLink: z.boolean().default(false),
    actor: actorSchema.nullish(),
    changeSummary: z.string().trim().min(1).max(80).optional(),
    now: z.date().optional(),
  })
  .transform((input) => ({ ...input, target: input.channel === "email" ? normalizeEmail(input.target) : input.target }))
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (input.channel === "email" && !isSendableAddress(input.target)) issue("target", "must be an email address for the email channel");
    if (input.channel === "sms" && !E164.test(input.target)) issue("target", "must be an E.164 number for the sms channel");
    if (input.purpose === "email_verification" && input.channel !== "email") issue("channel", "email_verification is sent by email");
    if (input.purpose === "phone_verification" && input.channel !== "sms") issue("channel", "phone_verification is sent by sms");
    // Links exist where a page opens them: /verify/email (registration) and /verify/contact (an agent's request).
    if (input.withLink && !LINK_PURPOSES.includes(input.purpose)) issue("withLink", "only email_verification and contact_verification send a link");
    if (input.withLink && input.purpose === "email_verification" && input.channel !== "email") issue("withLink", "email_verification links go by email");
    // The owner answers by replying to the text: there is no page to type it into.
    const answeredByText = input.purpose === "change_confirmation" || input.purpose === "staff_change_confirmation";
    if (answeredByText && input.channel !== "sms") issue("channel", `${input.purpose} is sent by sms`);
    if (answeredByText && !input.changeSummary) issue("changeSummary", `${input.purpose} says what it approves`);
    if (input.purpose === "caller_verification") {
      if (!input.customerId && !input.ticketId) issue("customerId", "caller_verification needs the customer or ticket it proves");
    } else if (input.purpose === "contact_verification") {
      // Proves one of a customer's addresses or numbers: bound to the customer, not to an account.
      if (!input.customerId) issue("customerId", "contact_verification needs the customer whose address or number it proves");
    } else if (!input.userId) {
      // Without an account the per-account failure lock could not apply.
      issue("userId", `${input.purpose} needs the account it proves`);
    }
  });

// Callers pass user input straight in: an odd code or token is a refusal, never an exception.
const contextSchema = { requestIp: z.string().trim().max(64).nullish(), actor: actorSchema.nullish() };

const verifySchema = z
  .object({
    purpose: purposeSchema,
    code: z.string(),
    // May come back from a form field: checked below, a bad one finds no challenge.
    challengeId: z.string().optional(),
    userId: z.uuid().optional(),
    target: z.string().trim().min(1).optional(),
    customerId: z.uuid().optional(),
    ticketId: z.uuid().optional(),
    now: z.date().optional(),
    ...contextSchema,
  })
  .refine((input) => input.challengeId ?? input.userId ?? input.target ?? input.customerId ?? input.ticketId, {
    message: "needs challengeId, userId, target, customerId or ticketId to find the challenge",
    path: ["challengeId"],
  });

const verifyLinkSchema = z.object({
  token: z.string(),
  code: z.string().optional(),
  purpose: purposeSchema.default("email_verification"),
  now: z.date().optional(),
  ...contextSchema,
});

function parse<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidChallengeRequestError(result.error.issues.map((issue) => `${issue.path.join(".") || "request"} ${issue.message}`));
  return result.data;
}

/** The one form a target is compared in: email addresses normalised, numbers as given (E.164). */
function normalizeTarget(target: string): string {
  return target.includes("@") ? normalizeEmail(target) : target.trim();
}

// ───────────────────────────── Messages ─────────────────────────────

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function waitText(seconds: number): string {
  if (seconds < 90) return plural(seconds, "second", "seconds");
  if (seconds < 90 * 60) return plural(Math.ceil(seconds / 60), "minute", "minutes");
  return plural(Math.ceil(seconds / 3600), "hour", "hours");
}

const LOCKED_MESSAGE = "Code verification is locked on this account after too many wrong codes. Contact support: a member of staff must unlock it.";

function refusalMessage(reason: IssueRefusalReason, retryAfterSeconds: number): string {
  switch (reason) {
    case "cooldown":
      return `Please wait ${waitText(retryAfterSeconds)} before asking for another code.`;
    case "hourly_limit":
      return `Too many codes have been sent to this address in the last hour. Try again in ${waitText(retryAfterSeconds)}.`;
    case "account_hourly_limit":
      return `This account has asked for too many codes to new addresses or numbers in the last hour. Try again in ${waitText(retryAfterSeconds)}.`;
    case "daily_number_limit":
      return `This number has received as many codes as we send in a day. Try again in ${waitText(retryAfterSeconds)}, or use email.`;
    case "daily_ip_limit":
      return `Too many text messages have been requested from your network today. Try again in ${waitText(retryAfterSeconds)}, or use email.`;
    case "locked":
      return LOCKED_MESSAGE;
    case "opted_out":
      return SMS_OPTED_OUT_MESSAGE;
  }
}

type Via = "code" | "link";

const VERIFY_MESSAGES = {
  expired: { code: "This code has expired. Send a new one.", link: "This link has expired. Send a new one." },
  superseded: {
    code: "This code was replaced by a newer one. Use the code in the latest message, or send a new one.",
    link: "This link was replaced by a newer one. Use the link in the latest email, or send a new one.",
  },
  used: { code: "This code has already been used. Send a new one if you need to.", link: "This link has already been used." },
  too_many_tries: {
    code: "This code no longer works after too many wrong tries. Request a new one.",
    link: "This link no longer works after too many wrong tries. Request a new one.",
  },
  no_challenge: {
    code: "There is no code to check. Send a new one.",
    link: "This link is not valid. Check that you copied all of it, or send a new one.",
  },
} as const;

const wrongCode = (triesLeft: number) => `That code is not right. ${plural(triesLeft, "try", "tries")} left.`;
const LAST_WRONG_CODE = "That code is not right, and after too many wrong tries it no longer works. Request a new one.";
const MALFORMED_CODE = `Enter the ${CODE_DIGITS}-digit code from the message.`;

// ───────────────────────────── Issuing ─────────────────────────────

/** Durations of recent real sends, so simulateIssueDelay() can take about as long. */
const recentIssueMillis: number[] = [];
const ISSUE_SAMPLES = 50;
const DEFAULT_ISSUE_MILLIS = 60;

/**
 * Creates a challenge and queues its email or SMS in one transaction, or refuses with a reason.
 * Throws InvalidChallengeRequestError for a malformed request (a bug in the caller, not a user
 * error). See the module comment for flows that must not reveal whether an account exists.
 */
export async function issueChallenge(input: IssueChallengeInput): Promise<IssueChallengeResult> {
  const startedAt = performance.now();
  const request = parse(issueSchema, input);
  const now = request.now ?? new Date();
  const subject = request.userId ? { userId: request.userId } : { target: request.target };

  const code = generateCode();
  const linkToken = request.withLink ? generateLinkToken() : null;
  const codeLifetime = request.channel === "email" ? EMAIL_CODE_LIFETIME_SECONDS : SMS_CODE_LIFETIME_SECONDS;
  const expiresAt = new Date(now.getTime() + codeLifetime * 1000);
  // A texted link lives as long as the texted code: an SMS is read at once or not at all.
  const linkLifetime = request.channel === "email" ? EMAIL_LINK_LIFETIME_SECONDS : SMS_CODE_LIFETIME_SECONDS;
  const linkExpiresAt = linkToken ? new Date(now.getTime() + linkLifetime * 1000) : null;
  // Rendered before the transaction, so the locks below are held only for the database work.
  const outgoing = await composeMessage(request.purpose, request.channel, code, codeLifetime, linkToken, request.changeSummary);
  const maskedTarget = maskTarget(request.channel, request.target);
  // A customer's contact details are PII that erasure must remove: their audit entries carry ids only.
  const auditSubject = request.userId
    ? { subjectType: "User", subjectId: request.userId }
    : { subjectType: "Customer", subjectId: request.customerId ?? undefined };

  // A number that replied STOP gets no code (the outbox would fail it anyway): say so, and offer email.
  // Read before the transaction (no lock needed: the outbox checks again when it sends).
  if (request.channel === "sms" && (await isSmsOptedOut(request.target))) {
    await recordAudit({
      action: "identity.code_send_refused",
      actor: request.actor,
      ...auditSubject,
      ip: request.requestIp,
      details: { purpose: request.purpose, channel: request.channel, reason: "opted_out" },
    });
    return { ok: false, reason: "opted_out", message: SMS_OPTED_OUT_MESSAGE };
  }

  const result = await db.$transaction(async (tx): Promise<IssueChallengeResult> => {
    const auditRefusal = (reason: IssueRefusalReason) =>
      recordAudit(
        {
          action: "identity.code_send_refused",
          actor: request.actor,
          ...auditSubject,
          ip: request.requestIp,
          details: { purpose: request.purpose, channel: request.channel, reason },
        },
        tx,
      );

    await lockSendingFor(tx, request, subject);

    if (request.userId) {
      const user = await tx.user.findUnique({ where: { id: request.userId }, select: { codeLockedAt: true } });
      if (!user) throw new InvalidChallengeRequestError(["userId does not name an account"]);
      if (user.codeLockedAt) {
        await auditRefusal("locked");
        return { ok: false, reason: "locked", message: LOCKED_MESSAGE };
      }
    }

    const refusal = await sendingRefusal(tx, request, subject, now);
    if (refusal) {
      // Pumping signals go to the audit trail; a cooldown or hourly refusal is ordinary impatience.
      if (refusal.reason === "daily_number_limit" || refusal.reason === "daily_ip_limit") await auditRefusal(refusal.reason);
      return {
        ok: false,
        reason: refusal.reason,
        retryAfterSeconds: refusal.retryAfterSeconds,
        availableAt: refusal.availableAt,
        message: refusalMessage(refusal.reason, refusal.retryAfterSeconds),
      };
    }

    // A new code supersedes every older unused one for the same (user or target, purpose).
    await tx.verificationChallenge.updateMany({
      where: { ...subject, purpose: request.purpose, consumedAt: null, invalidatedAt: null },
      data: { invalidatedAt: now },
    });
    const challenge = await tx.verificationChallenge.create({
      data: {
        purpose: request.purpose,
        channel: request.channel,
        target: request.target,
        userId: request.userId ?? null,
        customerId: request.customerId ?? null,
        ticketId: request.ticketId ?? null,
        codeHash: hashCode(code, { purpose: request.purpose, target: request.target }),
        linkTokenHash: linkToken ? hashLinkToken(linkToken) : null,
        expiresAt,
        linkExpiresAt,
        requestIp: request.requestIp,
        createdAt: now,
      },
      select: { id: true },
    });

    // Same transaction: if the commit succeeds the message is queued; if not, neither exists.
    if (outgoing.channel === "email") {
      // Past the code's (or its link's) lifetime the outbox neither sends nor requeues it.
      await enqueueEmail(
        {
          kind: outgoing.kind,
          to: request.target,
          subject: outgoing.subject,
          text: outgoing.text,
          html: outgoing.html,
          sensitive: true,
          expiresAt: linkExpiresAt ?? expiresAt,
        },
        tx,
      );
    } else {
      await enqueueSms({ kind: outgoing.kind, to: request.target, text: outgoing.text, sensitive: true, expiresAt }, tx);
    }
    await recordAudit(
      {
        action: "identity.code_sent",
        actor: request.actor,
        ...auditSubject,
        ip: request.requestIp,
        details: {
          challengeId: challenge.id,
          purpose: request.purpose,
          channel: request.channel,
          withLink: linkToken !== null,
          ...(request.ticketId ? { ticketId: request.ticketId } : {}),
        },
      },
      tx,
    );

    return {
      ok: true,
      challengeId: challenge.id,
      expiresAt,
      ...(linkExpiresAt ? { linkExpiresAt } : {}),
      resendAvailableAt: new Date(now.getTime() + RESEND_COOLDOWN_SECONDS * 1000),
      maskedTarget,
    };
  });

  if (result.ok) {
    void kickOutboxWorker();
    recentIssueMillis.push(performance.now() - startedAt);
    if (recentIssueMillis.length > ISSUE_SAMPLES) recentIssueMillis.shift();
  }
  return result;
}

/** How long a real send takes here: one of the last sends of this process, ±10%. */
function typicalIssueMillis(): number {
  const sample = recentIssueMillis.length > 0 ? recentIssueMillis[randomInt(recentIssueMillis.length)]! : DEFAULT_ISSUE_MILLIS;
  return sample * (0.9 + randomInt(201) / 1000);
}

/**
 * Waits about as long as a real issueChallenge() that sent something, and does nothing else.
 * Call it where an account does not exist, so the answer's timing does not tell that it does not.
 */
export async function simulateIssueDelay(): Promise<void> {
  await sleep(typicalIssueMillis());
}

/**
 * For flows that must not reveal whether an account exists (see the module comment): issues
 * when given an input, only waits when given null, and takes about the time of a send either
 * way. The result is for logs and tests, not for the person asking.
 */
export async function issueChallengeOrSimulate(input: IssueChallengeInput | null | undefined): Promise<IssueChallengeResult | null> {
  const startedAt = performance.now();
  if (!input) {
    await simulateIssueDelay();
    return null;
  }
  const result = await issueChallenge(input);
  // A refusal skips the writes and the queuing: pad it to the time of a send.
  if (!result.ok) await sleep(Math.max(0, typicalIssueMillis() - (performance.now() - startedAt)));
  return result;
}

/**
 * The texts that ask a verified mobile to approve a change (features/accounts/text-confirmation/)
 * are counted apart from every other code, each purpose in its own bucket: whoever holds a
 * session must not be able to spend the number's allowance of sign-in codes by asking for changes
 * (nor a supervisor's texts the owner's), and they go only to an already verified number, which no
 * stranger chooses (the pumping the shared caps stop).
 */
const SEPARATELY_COUNTED_PURPOSES: readonly ChallengePurpose[] = ["change_confirmation", "staff_change_confirmation"];
function capBucketOf(purpose: ChallengePurpose): Prisma.VerificationChallengeWhereInput {
  return SEPARATELY_COUNTED_PURPOSES.includes(purpose) ? { purpose } : { purpose: { notIn: [...SEPARATELY_COUNTED_PURPOSES] } };
}

/** Codes that signed-in staff send to a customer (never self-service): not counted toward the SMS cap per IP. */
const STAFF_SENT_PURPOSES: readonly ChallengePurpose[] = ["caller_verification", "contact_verification", "staff_change_confirmation"];

type OutgoingMessage = { channel: "email"; kind: string; subject: string; text: string; html: string } | { channel: "sms"; kind: string; text: string };

async function composeMessage(
  purpose: ChallengePurpose,
  channel: CodeChannel,
  code: string,
  codeLifetimeSeconds: number,
  linkToken: string | null,
  changeSummary?: string,
): Promise<OutgoingMessage> {
  const linkPage = LINK_PAGE[purpose];
  if (channel === "sms") {
    const originHost = new URL(publicBaseUrl()).hostname;
    // No #code in a texted link: it stays short, and the token alone proves the number.
    const link = linkToken && linkPage ? `${publicBaseUrl()}${linkPage}?token=${linkToken}` : undefined;
    return { channel, kind: `sms-code.${purpose}`, text: smsCodeText({ purpose, code, codeLifetimeSeconds, originHost, link, changeSummary }) };
  }
  if (purpose === "email_verification") {
    // The code rides in the #fragment: browsers never send it, so it stays out of server logs.
    const link = linkToken ? `${publicBaseUrl()}/verify/email?token=${linkToken}#code=${code}` : undefined;
    const email = await renderVerificationCodeEmail({ code, codeLifetimeSeconds, link, linkLifetimeSeconds: EMAIL_LINK_LIFETIME_SECONDS });
    return { channel, kind: "verification-code", ...email };
  }
  if (purpose === "phone_verification") throw new InvalidChallengeRequestError(["channel phone_verification is sent by sms"]);
  if (purpose === "change_confirmation" || purpose === "staff_change_confirmation")
    throw new InvalidChallengeRequestError([`channel ${purpose} is sent by sms`]);
  const link = linkToken && linkPage ? `${publicBaseUrl()}${linkPage}?token=${linkToken}#code=${code}` : undefined;
  const email = await renderSecurityCodeEmail({
    purpose,
    code,
    codeLifetimeSeconds,
    ...(link ? { link, linkLifetimeSeconds: EMAIL_LINK_LIFETIME_SECONDS } : {}),
  });
  return { channel, kind: `security-code.${purpose}`, ...email };
}

/**
 * Serialises concurrent sends that share a limit (same subject and purpose, same target, same
 * IP for SMS), so two parallel requests cannot both pass a check that only one should. Locks are
 * transaction-scoped and taken in a fixed order, so two sends never wait on each other in a cycle.
 */
async function lockSendingFor(tx: Prisma.TransactionClient, request: z.output<typeof issueSchema>, subject: { userId: string } | { target: string }) {
  const keys = new Set([
    `code-send:subject:${"userId" in subject ? `user:${subject.userId}` : `target:${subject.target}`}:${request.purpose}`,
    `code-send:target:${request.target}`,
  ]);
  if (request.channel === "sms") keys.add(`code-send:ip:${request.requestIp}`);
  for (const key of [...keys].sort()) {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  }
}

/**
 * The first sending limit this request would break, or null. All counted from challenge rows.
 *
 * The resend cooldown is per (account or target, purpose, target): a cooldown never blocks a
 * different purpose's first code (turning on two-factor, then signing in with it at once). The
 * hourly cap per target and the SMS daily caps per number and per client stay across purposes,
 * as does the account-wide lock on consecutive failures (counted when verifying).
 */
async function sendingRefusal(
  tx: Prisma.TransactionClient,
  request: z.output<typeof issueSchema>,
  subject: { userId: string } | { target: string },
  now: Date,
): Promise<{ reason: Exclude<IssueRefusalReason, "locked" | "opted_out">; retryAfterSeconds: number; availableAt: Date } | null> {
  const secondsUntil = (moment: Date) => Math.max(1, Math.ceil((moment.getTime() - now.getTime()) / 1000));
  const since = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  const until = (reason: Exclude<IssueRefusalReason, "locked" | "opted_out">, moment: Date) => ({
    reason,
    retryAfterSeconds: secondsUntil(moment),
    availableAt: new Date(Math.max(moment.getTime(), now.getTime() + 1000)),
  });

  const latest = await tx.verificationChallenge.findFirst({
    where: { ...subject, purpose: request.purpose, target: request.target, createdAt: { gt: since(RESEND_COOLDOWN_SECONDS) } },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  if (latest) return until("cooldown", new Date(latest.createdAt.getTime() + RESEND_COOLDOWN_SECONDS * 1000));

  /** Null if fewer than `limit` rows match within the window; else when the oldest counted one leaves it. */
  const capped = async (where: Prisma.VerificationChallengeWhereInput, limit: number, windowSeconds: number) => {
    const rows = await tx.verificationChallenge.findMany({
      where: { ...where, createdAt: { gt: since(windowSeconds) } },
      orderBy: { createdAt: "desc" },
      take: limit,
      select: { createdAt: true },
    });
    return rows.length < limit ? null : new Date(rows[limit - 1]!.createdAt.getTime() + windowSeconds * 1000);
  };

  const bucket = capBucketOf(request.purpose);
  const hourly = await capped({ target: request.target, ...bucket }, MAX_SENDS_PER_TARGET_PER_HOUR, SENDS_PER_TARGET_WINDOW_SECONDS);
  if (hourly !== null) return until("hourly_limit", hourly);

  const changePurposes: readonly ChallengePurpose[] = ACCOUNT_CHANGE_PURPOSES;
  if ("userId" in subject && changePurposes.includes(request.purpose)) {
    const perAccount = await capped(
      { userId: subject.userId, purpose: { in: [...ACCOUNT_CHANGE_PURPOSES] } },
      MAX_CHANGE_SENDS_PER_ACCOUNT_PER_HOUR,
      SENDS_PER_TARGET_WINDOW_SECONDS,
    );
    if (perAccount !== null) return until("account_hourly_limit", perAccount);
  }

  if (request.channel === "sms") {
    const perNumber = await capped({ channel: "sms", target: request.target, ...bucket }, MAX_SMS_PER_NUMBER_PER_DAY, SMS_DAILY_WINDOW_SECONDS);
    if (perNumber !== null) return until("daily_number_limit", perNumber);
    // Caller and contact verification are sent by signed-in staff (and audited): an office of agents
    // shares one IP and must not exhaust the self-service allowance of that IP, nor be stopped by it.
    if (!STAFF_SENT_PURPOSES.includes(request.purpose)) {
      const perIp = await capped(
        { channel: "sms", requestIp: request.requestIp, purpose: { notIn: [...STAFF_SENT_PURPOSES] } },
        MAX_SMS_PER_IP_PER_DAY,
        SMS_DAILY_WINDOW_SECONDS,
      );
      if (perIp !== null) return until("daily_ip_limit", perIp);
    }
  }
  return null;
}

// ───────────────────────────── Verifying ─────────────────────────────

/** Checks a typed code against the latest matching challenge, and consumes it when right. */
export async function verifyCode(input: VerifyCodeInput): Promise<VerifyResult> {
  const { onVerified, ...fields } = input;
  const request = parse(verifySchema, fields);
  const now = request.now ?? new Date();
  if ((request.challengeId !== undefined && !z.uuid().safeParse(request.challengeId).success) || (request.target?.length ?? 0) > 320) {
    return { ok: false, reason: "no_challenge", message: VERIFY_MESSAGES.no_challenge.code };
  }
  const challenge = await db.verificationChallenge.findFirst({
    where: {
      purpose: request.purpose,
      ...(request.challengeId ? { id: request.challengeId } : {}),
      ...(request.userId ? { userId: request.userId } : {}),
      ...(request.target ? { target: normalizeTarget(request.target) } : {}),
      ...(request.customerId ? { customerId: request.customerId } : {}),
      ...(request.ticketId ? { ticketId: request.ticketId } : {}),
    },
    orderBy: { createdAt: "desc" },
  });
  if (!challenge) return { ok: false, reason: "no_challenge", message: VERIFY_MESSAGES.no_challenge.code };
  return attempt(challenge, request.code, now, "code", { requestIp: request.requestIp, actor: request.actor, onVerified });
}

/**
 * What an emailed link is for, without consuming or counting anything: for the page's GET (and
 * for mail scanners that open links before the person does). Never shows the target unmasked.
 */
export async function peekLink(token: string, now: Date = new Date(), purpose: ChallengePurpose = "email_verification"): Promise<PeekLinkResult> {
  const challenge = await findByLinkToken(token, purpose);
  if (!challenge?.linkExpiresAt) return { ok: false, reason: "no_challenge", message: VERIFY_MESSAGES.no_challenge.link };
  const refusal = (await lockedRefusal(challenge.userId)) ?? stateRefusal(challenge, now, "link");
  if (refusal) return { ok: false, reason: refusal.reason as Exclude<VerifyRefusalReason, "wrong_code">, message: refusal.message };
  return {
    ok: true,
    challengeId: challenge.id,
    purpose: challenge.purpose,
    maskedTarget: maskTarget(codeChannelOf(challenge.channel), challenge.target),
    linkExpiresAt: challenge.linkExpiresAt,
  };
}

/**
 * Consumes an emailed link: for the POST the /verify/email page submits (never on GET). The token
 * identifies the challenge, so no session is needed and the link works in any browser. The link
 * lives EMAIL_LINK_LIFETIME_SECONDS even after the code's own 10 minutes; a code, when given
 * (from the link's #fragment), must be the right one and counts as a try when wrong.
 */
export async function verifyLink(input: VerifyLinkInput): Promise<VerifyResult> {
  const { onVerified, ...fields } = input;
  const request = parse(verifyLinkSchema, fields);
  const now = request.now ?? new Date();
  const challenge = await findByLinkToken(request.token, request.purpose);
  if (!challenge?.linkExpiresAt) return { ok: false, reason: "no_challenge", message: VERIFY_MESSAGES.no_challenge.link };
  return attempt(challenge, request.code ?? null, now, "link", { requestIp: request.requestIp, actor: request.actor, onVerified });
}

async function findByLinkToken(token: string, purpose: ChallengePurpose): Promise<VerificationChallenge | null> {
  if (typeof token !== "string" || !isLinkTokenShape(token)) return null;
  const challenge = await db.verificationChallenge.findUnique({ where: { linkTokenHash: hashLinkToken(token) } });
  return challenge?.purpose === purpose ? challenge : null;
}

type Refusal = { ok: false; reason: VerifyRefusalReason; triesLeft?: number; message: string };

async function lockedRefusal(userId: string | null): Promise<Refusal | null> {
  if (!userId) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { codeLockedAt: true } });
  return user?.codeLockedAt ? { ok: false, reason: "locked", message: LOCKED_MESSAGE } : null;
}

/** Why a challenge can no longer be used, or null while it is live. */
function stateRefusal(
  challenge: Pick<VerificationChallenge, "consumedAt" | "invalidatedAt" | "attempts" | "expiresAt" | "linkExpiresAt">,
  now: Date,
  via: Via,
): Refusal | null {
  if (challenge.consumedAt) return { ok: false, reason: "used", message: VERIFY_MESSAGES.used[via] };
  if (challenge.attempts >= MAX_WRONG_TRIES_PER_CODE)
    return { ok: false, reason: "too_many_tries", triesLeft: 0, message: VERIFY_MESSAGES.too_many_tries[via] };
  if (challenge.invalidatedAt) return { ok: false, reason: "expired", message: VERIFY_MESSAGES.superseded[via] };
  const endsAt = via === "code" ? challenge.expiresAt : challenge.linkExpiresAt;
  if (!endsAt || endsAt.getTime() <= now.getTime()) return { ok: false, reason: "expired", message: VERIFY_MESSAGES.expired[via] };
  return null;
}

async function attempt(challenge: VerificationChallenge, code: string | null, now: Date, via: Via, context: VerifyContext): Promise<VerifyResult> {
  const refusal = (await lockedRefusal(challenge.userId)) ?? stateRefusal(challenge, now, via);
  if (refusal) return refusal;

  if (code !== null) {
    const typed = normalizeCodeInput(code);
    // Not 6 digits cannot be a guess at the code, so it costs no try.
    if (typed === null) return { ok: false, reason: "wrong_code", triesLeft: MAX_WRONG_TRIES_PER_CODE - challenge.attempts, message: MALFORMED_CODE };
    if (!codeMatches(typed, challenge.codeHash, { purpose: challenge.purpose, target: challenge.target })) return recordWrongCode(challenge, now, via, context);
  }
  return consume(challenge, now, via, context);
}

/** After a refusal by one of the conditional UPDATEs: re-read and say why (a concurrent request won). */
async function refusalAfterRace(challengeId: string, userId: string | null, now: Date, via: Via, tx: Prisma.TransactionClient): Promise<Refusal> {
  const current = await tx.verificationChallenge.findUnique({ where: { id: challengeId } });
  if (!current) return { ok: false, reason: "no_challenge", message: VERIFY_MESSAGES.no_challenge[via] };
  if (userId) {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { codeLockedAt: true } });
    if (user?.codeLockedAt) return { ok: false, reason: "locked", message: LOCKED_MESSAGE };
  }
  return stateRefusal(current, now, via) ?? { ok: false, reason: "used", message: VERIFY_MESSAGES.used[via] };
}

/**
 * Consumes the challenge with ONE conditional UPDATE: of two concurrent correct submissions,
 * PostgreSQL lets exactly one match `consumedAt IS NULL`, the other updates nothing.
 */
async function consume(challenge: VerificationChallenge, now: Date, via: Via, context: VerifyContext): Promise<VerifyResult> {
  return db.$transaction(async (tx): Promise<VerifyResult> => {
    // A typed code lives until expiresAt; an emailed link until linkExpiresAt.
    const endsAt = via === "code" ? Prisma.sql`c."expiresAt"` : Prisma.sql`c."linkExpiresAt"`;
    const consumed = await tx.$executeRaw`
      UPDATE "VerificationChallenge" AS c SET "consumedAt" = ${now}::timestamp(3)
      WHERE c."id" = ${challenge.id}::uuid
        AND c."consumedAt" IS NULL AND c."invalidatedAt" IS NULL AND c."attempts" < ${MAX_WRONG_TRIES_PER_CODE}
        AND ${endsAt} > ${now}::timestamp(3)
        AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."id" = c."userId" AND u."codeLockedAt" IS NOT NULL)`;
    if (consumed !== 1) return refusalAfterRace(challenge.id, challenge.userId, now, via, tx);

    if (challenge.userId) {
      // A success ends the run of consecutive failures.
      await tx.user.update({ where: { id: challenge.userId }, data: { codeFailureCount: 0 } });
    }
    await recordAudit(
      {
        action: "identity.code_verified",
        actor: context.actor,
        subjectType: challenge.userId ? "User" : "Customer",
        subjectId: challenge.userId ?? challenge.customerId ?? undefined,
        ip: context.requestIp,
        details: { challengeId: challenge.id, purpose: challenge.purpose, channel: challenge.channel, via },
      },
      tx,
    );
    const {
      codeHash: _codeHash,
      linkTokenHash: _linkTokenHash,
      ...visible
    } = await tx.verificationChallenge.findUniqueOrThrow({ where: { id: challenge.id } });
    await context.onVerified?.(tx, visible);
    return { ok: true, challenge: visible };
  });
}

/**
 * Counts a wrong code on the challenge (killing it at MAX_WRONG_TRIES_PER_CODE) and on the account
 * (locking it at MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT), each with one atomic UPDATE.
 */
async function recordWrongCode(challenge: VerificationChallenge, now: Date, via: Via, context: VerifyContext): Promise<VerifyResult> {
  return db.$transaction(async (tx): Promise<VerifyResult> => {
    const counted = await tx.$queryRaw<{ attempts: number }[]>`
      UPDATE "VerificationChallenge"
      SET "attempts" = "attempts" + 1,
          "invalidatedAt" = CASE WHEN "attempts" + 1 >= ${MAX_WRONG_TRIES_PER_CODE} THEN ${now}::timestamp(3) ELSE NULL END
      WHERE "id" = ${challenge.id}::uuid AND "consumedAt" IS NULL AND "invalidatedAt" IS NULL AND "attempts" < ${MAX_WRONG_TRIES_PER_CODE}
      RETURNING "attempts"`;
    const attempts = counted[0]?.attempts;
    if (attempts === undefined) return refusalAfterRace(challenge.id, challenge.userId, now, via, tx);
    const triesLeft = Math.max(0, MAX_WRONG_TRIES_PER_CODE - attempts);

    let accountLocked = false;
    if (challenge.userId) {
      // The UPDATE holds the user's row lock until commit, so exactly one failure sees the cap crossed.
      const user = await tx.user.update({
        where: { id: challenge.userId },
        data: { codeFailureCount: { increment: 1 } },
        select: { codeFailureCount: true, codeLockedAt: true },
      });
      if (user.codeFailureCount >= MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT && !user.codeLockedAt) {
        await tx.user.update({ where: { id: challenge.userId }, data: { codeLockedAt: now } });
        // Codes already sent die with the lock: unlocking must not hand back live codes to guess at.
        await tx.verificationChallenge.updateMany({ where: { userId: challenge.userId, consumedAt: null, invalidatedAt: null }, data: { invalidatedAt: now } });
        await recordAudit(
          {
            action: "identity.code_verification_locked",
            subjectType: "User",
            subjectId: challenge.userId,
            ip: context.requestIp,
            details: { consecutiveFailures: user.codeFailureCount, lastPurpose: challenge.purpose },
          },
          tx,
        );
        accountLocked = true;
      }
    }

    await recordAudit(
      {
        action: "identity.code_failed",
        actor: context.actor,
        subjectType: challenge.userId ? "User" : "Customer",
        subjectId: challenge.userId ?? challenge.customerId ?? undefined,
        ip: context.requestIp,
        details: {
          challengeId: challenge.id,
          purpose: challenge.purpose,
          channel: challenge.channel,
          via,
          attempt: attempts,
          codeInvalidated: triesLeft === 0,
        },
      },
      tx,
    );

    if (accountLocked) return { ok: false, reason: "locked", message: LOCKED_MESSAGE };
    if (triesLeft === 0) return { ok: false, reason: "too_many_tries", triesLeft: 0, message: LAST_WRONG_CODE };
    return { ok: false, reason: "wrong_code", triesLeft, message: wrongCode(triesLeft) };
  });
}

// ───────────────────────────── Staff unlock ─────────────────────────────

/**
 * Lifts the code-verification lock of an account and clears its failure count. Supervisors and
 * admins only: a lock means someone made 100 wrong guesses in a row, which deserves a second look
 * rather than a routine click. The guard should check too; this refuses on its own as well.
 */
export async function unlockCodeVerification(userId: string, actor: ChallengeActor, ip?: string | null, reason?: string): Promise<UnlockResult> {
  parse(z.object({ userId: z.uuid(), actor: actorSchema, reason: z.string().trim().max(500).optional() }), { userId, actor, reason });
  if (!mayEnter(actor.role, "supervisor")) return { ok: false, reason: "forbidden" };
  return db.$transaction(async (tx): Promise<UnlockResult> => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { codeLockedAt: true, codeFailureCount: true } });
    if (!user) return { ok: false, reason: "no_user" };
    const unlocked = await tx.user.updateMany({ where: { id: userId, codeLockedAt: { not: null } }, data: { codeLockedAt: null, codeFailureCount: 0 } });
    if (unlocked.count !== 1) return { ok: false, reason: "not_locked" };
    await recordAudit(
      {
        action: "identity.code_verification_unlocked",
        actor,
        subjectType: "User",
        subjectId: userId,
        ip: ip ?? null,
        // The staff's reason may name the person: the audit log keeps only that one was given.
        details: { failuresCleared: user.codeFailureCount, reasonGiven: Boolean(reason?.trim()) },
      },
      tx,
    );
    return { ok: true, failuresCleared: user.codeFailureCount };
  });
}
