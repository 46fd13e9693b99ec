import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { recordAudit } from "@/platform/audit";
import { DomainError } from "@/platform/errors";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, Prisma, type Role } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { type CodeChannel as CodeChannelKind, codeChannelOf, issueChallenge, verifyCode } from "@/features/verification/challenges";
import { describeRiskTime, recentlyChangedChannels, recentRiskWindowHours } from "@/features/identity/recent-risk";
import { identityCheckExpiresAt } from "@/features/callers/check-expiry";
import { MAX_WRONG_TRIES_PER_CODE } from "@/features/verification/limits";
import { maskEmail, maskPhone } from "@/platform/mask";
import { consumeRateLimit } from "@/platform/rate-limit";
import { emitWebhookEvent } from "@/features/webhooks/events";

/**
 * "Verify caller": the agent types what a caller states (full name, account number or email,
 * phone number) and learns per field whether it matches the customer record — never the stored
 * value, nor anything derived from it (no mask, no "did you mean", no length), so the tool cannot
 * be used to harvest data. Then, optionally, a one-time code to one of the customer's VERIFIED
 * channels (chosen by an opaque reference, shown masked) that the caller reads back.
 * Server only. Every outcome is an IdentityCheck bound to the conversation (ticket) and expiring
 * (features/callers/check-expiry.ts); every use is audited with the results, never the values.
 *
 * Field rules (each answer depends on the stored value only through match / close / no_match):
 *  - Name: case, accents, punctuation and spacing are ignored. Match = equal to the customer's
 *    name or a linked portal user's name. Close = a small typo (Damerau-Levenshtein ≤ 1 for names
 *    under 8 letters, ≤ 2 from 8 letters) or the same words in another order, or a middle name
 *    left out / added (first and last word the same).
 *  - Account number: case, spaces, dashes and dots ignored ("acc 10001" = "ACC-10001"). Only the
 *    whole number matches. Close = one wrong or two swapped characters, same length. Anything
 *    else — including a truncated number ("10001", "ACC-100") — does not match. Whether a typed
 *    value looks like PART of an account number is judged from the typed value alone (digits only,
 *    or under 6 characters), never from the stored one, which would be an oracle.
 *  - Email: match = the customer's primary address. Close = another address of the same customer
 *    (alias, or a linked portal account's address), or within 2 typos of one of its addresses.
 *  - Phone: parsed with libphonenumber-js (default region from the agent's browser). An impossible
 *    number is not compared (not_given) and the agent is told so. Match = same E.164 as one of the
 *    customer's or its portal users' numbers (a number said in national form also matches a stored
 *    number of its own country). Close = same national number under another country code, or one
 *    wrong / two swapped digits.
 * Outcome: passed = the name and at least one more field given, and everything given matches;
 * failed = at least as many fields do not match as match; otherwise partial.
 */

export type FieldResult = "match" | "close" | "no_match" | "not_given";
export type CallerField = "name" | "accountOrEmail" | "phone";
export type CallerFieldResults = Record<CallerField, FieldResult>;
export type CallerCheckOutcome = "passed" | "partial" | "failed";

export interface CallerActor {
  userId: string;
  role: Role;
}

/** Per agent and per customer: enough for a real call (a few retries), far too few to harvest. */
export const CALLER_CHECKS_PER_AGENT = 30;
export const CALLER_CHECKS_PER_CUSTOMER = 10;
export const CALLER_CHECK_WINDOW_SECONDS = 15 * 60;
/** Wrong codes on one conversation after which the tool offers escalation to a supervisor. */
export const CODE_FAILURES_BEFORE_ESCALATION = 3;

// The region a national number is read in when nothing says otherwise (browser-safe: the schemas use it too).
export { DEFAULT_PHONE_REGION } from "@/features/accounts/registration/schemas";
import { DEFAULT_PHONE_REGION } from "@/features/accounts/registration/schemas";

const auditActor = (actor: CallerActor) => ({ userId: actor.userId, role: actor.role });

// ───────────────────────────── Pure comparison ─────────────────────────────

/** Optimal-string-alignment Damerau-Levenshtein distance over code points (a swap of neighbours costs 1). */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const rows: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[x.length]![y.length]!;
}

/** Same length and one substitution or one swap of neighbours: a typo, not a truncation. */
function isOneSlip(a: string, b: string): boolean {
  return a.length === b.length && a !== b && editDistance(a, b) === 1;
}

/** "  José  O'Brien-Smith " → "jose obrien smith". */
export function normalizeName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export function compareName(given: string, stored: readonly string[]): FieldResult {
  const typed = normalizeName(given);
  if (!typed) return "not_given";
  const candidates = stored.map(normalizeName).filter(Boolean);
  if (candidates.includes(typed)) return "match";
  const typedWords = typed.split(" ");
  for (const candidate of candidates) {
    const allowed = candidate.replace(/ /g, "").length < 8 ? 1 : 2;
    if (editDistance(typed, candidate) <= allowed) return "close";
    const words = candidate.split(" ");
    const sorted = (list: string[]) => [...list].sort().join(" ");
    if (typedWords.length > 1 && sorted(typedWords) === sorted(words)) return "close";
    // A middle name left out or added: first and last words agree, the rest is a subset.
    const [shorter, longer] = typedWords.length <= words.length ? [typedWords, words] : [words, typedWords];
    if (
      shorter.length >= 2 &&
      shorter.length < longer.length &&
      shorter[0] === longer[0] &&
      shorter.at(-1) === longer.at(-1) &&
      shorter.every((word) => longer.includes(word))
    )
      return "close";
  }
  return "no_match";
}

/** "acc 10001" / "ACC-10001" / "acc.10001" → "ACC10001". */
export function normalizeAccountNumber(value: string): string {
  return value
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/**
 * Judged from the typed value alone: digits only (the letters left off), or under 6 characters.
 * (A longer run of letters is more likely a name or half an email address than part of a number.)
 */
export function looksLikePartialAccountNumber(value: string): boolean {
  const normalized = normalizeAccountNumber(value);
  return normalized.length < 6 || /^\p{N}+$/u.test(normalized);
}

export function compareAccountNumber(given: string, stored: string): FieldResult {
  const typed = normalizeAccountNumber(given);
  if (!typed) return "not_given";
  const record = normalizeAccountNumber(stored);
  if (typed === record) return "match";
  return isOneSlip(typed, record) ? "close" : "no_match";
}

export function compareEmail(given: string, addresses: readonly { address: string; isPrimary: boolean }[]): FieldResult {
  const typed = normalizeEmail(given);
  if (!typed) return "not_given";
  const normalized = addresses.map((entry) => ({ address: normalizeEmail(entry.address), isPrimary: entry.isPrimary }));
  const same = normalized.filter((entry) => entry.address === typed);
  if (same.some((entry) => entry.isPrimary)) return "match";
  if (same.length > 0) return "close";
  return normalized.some((entry) => editDistance(typed, entry.address) <= 2) ? "close" : "no_match";
}

export type ParsedCallerPhone = { ok: true; e164: string; national: string } | { ok: false };

/** A number as the caller says it; `ok: false` when it cannot be a phone number anywhere. */
export function parseCallerPhone(value: string, region: string = DEFAULT_PHONE_REGION): ParsedCallerPhone {
  const trimmed = value.trim();
  if (!trimmed) return { ok: false };
  const parsed = parsePhoneNumberFromString(trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed, region as CountryCode);
  if (!parsed || !parsed.isPossible()) return { ok: false };
  return { ok: true, e164: parsed.number, national: parsed.nationalNumber };
}

/**
 * `typed` (what the caller said) lets a number said in national form ("0491 570 157") match a
 * stored number of its own country, as people say their numbers, whatever the agent's region.
 */
export function comparePhone(given: ParsedCallerPhone, stored: readonly string[], typed?: string): FieldResult {
  if (!given.ok) return "not_given";
  // The number as read in the agent's region, and (said in national form) in each stored number's country.
  const readings = new Set([given.e164]);
  if (typed && !/^\s*(\+|00)/.test(typed)) {
    for (const e164 of stored) {
      const country = parsePhoneNumberFromString(e164)?.country;
      const local = country ? parsePhoneNumberFromString(typed.trim(), country) : undefined;
      if (local?.isPossible()) readings.add(local.number);
    }
  }
  if (stored.some((e164) => readings.has(e164))) return "match";
  for (const e164 of stored) {
    const national = parsePhoneNumberFromString(e164)?.nationalNumber;
    if (national && national === given.national) return "close";
    for (const reading of readings) if (isOneSlip(reading, e164)) return "close";
  }
  return "no_match";
}

export function callerCheckOutcome(fields: CallerFieldResults): CallerCheckOutcome {
  const results = Object.values(fields);
  const given = results.filter((result) => result !== "not_given");
  const matches = results.filter((result) => result === "match").length;
  const misses = results.filter((result) => result === "no_match").length;
  if (fields.name === "match" && given.length >= 2 && matches === given.length) return "passed";
  if (misses > 0 && misses >= matches) return "failed";
  return "partial";
}

// ───────────────────────────── Checking the caller's details ─────────────────────────────

export interface CheckCallerFieldsInput {
  customerId: string;
  ticketId?: string;
  fullName?: string;
  accountOrEmail?: string;
  phone?: string;
  /** Region for numbers said without a country code (the agent's locale). */
  phoneRegion?: string;
  ip: string;
  now?: Date;
}

export interface CallerCheckResult {
  outcome: CallerCheckOutcome;
  fields: CallerFieldResults;
  /** Advice per field for the agent, derived from the typed value only. */
  notes: Partial<Record<CallerField, string>>;
  checkedAt: string;
}

const IMPOSSIBLE_PHONE = "That is not a possible phone number. Ask the caller to repeat it, with the country code if they are abroad.";
const PARTIAL_ACCOUNT = "That looks like part of an account number. Ask for the whole account number, letters and digits.";

async function conversationOf(customerId: string, ticketId: string | undefined) {
  if (!ticketId) return null;
  const ticket = await db.ticket.findUnique({ where: { id: ticketId }, select: { id: true, customerId: true, channel: true } });
  if (!ticket) throw new DomainError("That ticket no longer exists.", "not_found");
  if (ticket.customerId !== customerId) throw new DomainError("This ticket is not linked to that customer.", "conflict");
  return ticket;
}

/** The customer's facts the comparison needs. Never leaves this module. */
async function recordFor(customerId: string) {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: {
      name: true,
      accountNumber: true,
      emails: { select: { address: true, isPrimary: true } },
      phones: { select: { e164: true } },
      users: { where: { role: "customer", disabledAt: null }, select: { name: true, email: true, phoneE164: true } },
      mergedIntoId: true,
    },
  });
  if (!customer) throw new DomainError("That customer no longer exists.", "not_found");
  if (customer.mergedIntoId) throw new DomainError("This customer record was merged into another one: verify the caller on that record.", "conflict");
  // Records merged into this one (features/customers/merge/): their account numbers are this customer's too.
  const absorbed = await db.customer.findMany({ where: { mergedIntoId: customerId }, select: { accountNumber: true } });
  return { ...customer, accountNumbers: [customer.accountNumber, ...absorbed.map((row) => row.accountNumber)] };
}

async function limitCallerChecks(actor: CallerActor, customerId: string, ip: string) {
  const perAgent = await consumeRateLimit(`caller-check:agent:${actor.userId}`, CALLER_CHECKS_PER_AGENT, CALLER_CHECK_WINDOW_SECONDS);
  const perCustomer = perAgent.allowed
    ? await consumeRateLimit(`caller-check:customer:${customerId}`, CALLER_CHECKS_PER_CUSTOMER, CALLER_CHECK_WINDOW_SECONDS)
    : null;
  if (perAgent.allowed && perCustomer?.allowed) return;
  const limit = perAgent.allowed ? "customer" : "agent";
  const wait = Math.max(1, Math.ceil((perCustomer ?? perAgent).retryAfterSeconds / 60));
  await recordAudit({
    action: "identity.caller_check_limited",
    actor: auditActor(actor),
    subjectType: "Customer",
    subjectId: customerId,
    ip,
    details: { limit },
  });
  throw new DomainError(
    limit === "agent"
      ? `You have run ${CALLER_CHECKS_PER_AGENT} caller checks in 15 minutes, the most allowed. Try again in ${wait} minute${wait === 1 ? "" : "s"}, or escalate to a supervisor.`
      : `This customer has been checked ${CALLER_CHECKS_PER_CUSTOMER} times in 15 minutes, the most allowed. Try again in ${wait} minute${wait === 1 ? "" : "s"}, or escalate to a supervisor.`,
    "rate_limited",
  );
}

/** Compares what the caller stated with the record, records the IdentityCheck and the audit event. */
export async function checkCallerFields(actor: CallerActor, input: CheckCallerFieldsInput): Promise<CallerCheckResult> {
  const now = input.now ?? new Date();
  const fullName = input.fullName?.trim() ?? "";
  const accountOrEmail = input.accountOrEmail?.trim() ?? "";
  const phoneText = input.phone?.trim() ?? "";
  const phone = parseCallerPhone(phoneText, input.phoneRegion);
  const notes: Partial<Record<CallerField, string>> = {};
  if (phoneText && !phone.ok) notes.phone = IMPOSSIBLE_PHONE;
  // Nothing comparable: a validation error, nothing counted or recorded.
  if (!normalizeName(fullName) && !normalizeAccountNumber(accountOrEmail) && !phone.ok) {
    throw new DomainError(
      notes.phone ?? "Enter at least one detail the caller gave.",
      "invalid",
      notes.phone ? { phone: [notes.phone] } : { fullName: ["Enter at least one detail the caller gave."] },
    );
  }

  const ticket = await conversationOf(input.customerId, input.ticketId);
  await limitCallerChecks(actor, input.customerId, input.ip);
  const record = await recordFor(input.customerId);

  const isEmail = accountOrEmail.includes("@");
  let accountResult: FieldResult;
  if (isEmail) {
    const addresses = [...record.emails, ...record.users.map((user) => ({ address: user.email, isPrimary: false }))];
    accountResult = compareEmail(accountOrEmail, addresses);
  } else {
    const results = record.accountNumbers.map((stored) => compareAccountNumber(accountOrEmail, stored));
    accountResult = results.includes("match") ? "match" : results.includes("close") ? "close" : results[0]!;
    if (accountResult === "no_match" && looksLikePartialAccountNumber(accountOrEmail)) notes.accountOrEmail = PARTIAL_ACCOUNT;
  }
  const fields: CallerFieldResults = {
    name: compareName(fullName, [record.name, ...record.users.map((user) => user.name)]),
    accountOrEmail: accountResult,
    phone: comparePhone(
      phone,
      [...record.phones.map((entry) => entry.e164), ...record.users.flatMap((user) => (user.phoneE164 ? [user.phoneE164] : []))],
      phoneText,
    ),
  };
  const outcome = callerCheckOutcome(fields);

  await db.$transaction(async (tx) => {
    const check = await tx.identityCheck.create({
      data: {
        ticketId: ticket?.id ?? null,
        customerId: input.customerId,
        method: "caller_fields",
        outcome,
        fieldResults: { ...fields },
        conversationChannel: ticket?.channel ?? null,
        performedById: actor.userId,
        createdAt: now,
        expiresAt: identityCheckExpiresAt(now),
      },
      select: { id: true },
    });
    await recordAudit(
      {
        action: "identity.caller_check",
        actor: auditActor(actor),
        subjectType: "Customer",
        subjectId: input.customerId,
        ip: input.ip,
        details: {
          checkId: check.id,
          ...(ticket ? { ticketId: ticket.id } : {}),
          outcome,
          fields: { ...fields },
          accountOrEmailKind: accountOrEmail ? (isEmail ? "email" : "account_number") : "none",
        },
      },
      tx,
    );
    if (outcome === "passed" || outcome === "failed") {
      await emitWebhookEvent(
        outcome === "passed" ? "identity.verified" : "identity.check_failed",
        { customerId: input.customerId, ticketId: ticket?.id ?? null, checkId: check.id, method: "caller_fields" },
        tx,
      );
    }
  });
  return { outcome, fields, notes, checkedAt: now.toISOString() };
}

// ───────────────────────────── Codes to verified channels ─────────────────────────────

export interface CodeChannel {
  /** Opaque reference ("email:<CustomerEmail id>"); the address itself never reaches the browser. */
  id: string;
  channel: CodeChannelKind;
  masked: string;
  /** A number that replied STOP: listed so the agent knows, but no code can go there. */
  optedOut?: boolean;
  /**
   * "mobile changed 8 min ago": the account changed to this address or number within the risk
   * window (features/identity/recent-risk.ts), so it proves nothing yet and no code can go there.
   */
  changedRecently?: string;
}

type ResolvedChannel = CodeChannel & { target: string };

async function verifiedChannels(customerId: string): Promise<ResolvedChannel[]> {
  // Prepared statements: the ticket page lists these on every open (ARCHITECTURE.md, "Hot paths").
  const [emails, phones, users] = await Promise.all([
    // A bouncing address would not deliver the code.
    queryPrepared<{ id: string; address: string }>(Prisma.sql`
      SELECT "id", "address" FROM "CustomerEmail"
       WHERE "customerId" = ${customerId}::uuid AND "verifiedAt" IS NOT NULL AND "deliverability" NOT IN ('bouncing', 'complained')
       ORDER BY "isPrimary" DESC, "createdAt", "id"`),
    queryPrepared<{ id: string; e164: string }>(Prisma.sql`
      SELECT "id", "e164" FROM "CustomerPhone"
       WHERE "customerId" = ${customerId}::uuid AND "kind" = 'mobile' AND "verifiedAt" IS NOT NULL
       ORDER BY "createdAt", "id"`),
    queryPrepared<{ id: string; email: string; emailVerified: boolean; phoneE164: string | null; phoneVerified: boolean }>(Prisma.sql`
      SELECT "id", "email", "emailVerifiedAt" IS NOT NULL AS "emailVerified", "phoneE164", "phoneVerifiedAt" IS NOT NULL AS "phoneVerified"
        FROM "User"
       WHERE "customerId" = ${customerId}::uuid AND "role" = 'customer' AND "disabledAt" IS NULL AND "frozenAt" IS NULL
       ORDER BY "createdAt", "id"`),
  ]);
  const channels: ResolvedChannel[] = [];
  const seen = new Set<string>();
  const add = (id: string, channel: CodeChannelKind, target: string) => {
    const key = `${channel}:${channel === "email" ? normalizeEmail(target) : target}`;
    if (seen.has(key)) return;
    seen.add(key);
    channels.push({
      id,
      channel,
      target: channel === "email" ? normalizeEmail(target) : target,
      masked: channel === "email" ? maskEmail(target) : maskPhone(target),
    });
  };
  for (const email of emails) add(`email:${email.id}`, "email", email.address);
  for (const user of users) if (user.emailVerified) add(`user-email:${user.id}`, "email", user.email);
  for (const phone of phones) add(`sms:${phone.id}`, "sms", phone.e164);
  for (const user of users) if (user.phoneE164 && user.phoneVerified) add(`user-sms:${user.id}`, "sms", user.phoneE164);
  return channels;
}

/** The customer's verified channels a code may go to, masked, each with an opaque reference. */
export async function listCodeChannels(customerId: string, now: Date = new Date()): Promise<CodeChannel[]> {
  const channels = await verifiedChannels(customerId);
  const changed = await recentlyChangedChannels(customerId, now);
  const numbers = channels.filter((channel) => channel.channel === "sms").map((channel) => channel.target);
  const optedOut = new Set(
    numbers.length > 0 ? (await db.smsOptOut.findMany({ where: { e164: { in: numbers } }, select: { e164: true } })).map((row) => row.e164) : [],
  );
  return channels.map(({ id, channel, masked, target }) => {
    const changedAt = changed.get(target);
    return {
      id,
      channel,
      masked,
      ...(channel === "sms" && optedOut.has(target) ? { optedOut: true } : {}),
      ...(changedAt ? { changedRecently: `${channel === "sms" ? "mobile" : "email"} changed ${describeRiskTime(changedAt, now)}` } : {}),
    };
  });
}

export interface CallerCodeSent {
  channel: CodeChannelKind;
  maskedTarget: string;
  expiresAt: string;
  resendAvailableAt: string;
}

/** Sends a caller-verification code to one of the customer's verified channels (engine limits apply). */
export async function sendCallerCode(
  actor: CallerActor,
  input: { customerId: string; ticketId: string; channelRef: string; ip: string; now?: Date },
): Promise<CallerCodeSent> {
  await conversationOf(input.customerId, input.ticketId);
  const chosen = (await verifiedChannels(input.customerId)).find((channel) => channel.id === input.channelRef);
  if (!chosen)
    throw new DomainError("That channel is not one of the customer's verified channels any more. Choose another.", "invalid", {
      channelRef: ["Choose one of the verified channels."],
    });
  // A channel the account changed to within the risk window is what a takeover would use: no code goes there.
  const changedAt = (await recentlyChangedChannels(input.customerId, input.now ?? new Date())).get(chosen.target);
  if (changedAt) {
    const what = chosen.channel === "sms" ? "mobile number" : "email address";
    await recordAudit({
      action: "identity.caller_code_refused",
      actor: auditActor(actor),
      subjectType: "Customer",
      subjectId: input.customerId,
      ip: input.ip,
      details: { ticketId: input.ticketId, channel: chosen.channel, reason: "recently_changed" },
    });
    throw new DomainError(
      `No code sent: this ${what} was put on the account ${describeRiskTime(changedAt, input.now ?? new Date())}, within the last ${recentRiskWindowHours()} h. A recently changed channel proves nothing: send the code to another verified channel, or check the caller another way.`,
      "invalid",
      { channelRef: [`This ${what} changed recently: choose another channel.`] },
    );
  }
  // The engine audits the send (identity.code_sent, masked target, ticket) and each refusal worth noting.
  const issued = await issueChallenge({
    purpose: "caller_verification",
    channel: chosen.channel,
    target: chosen.target,
    customerId: input.customerId,
    ticketId: input.ticketId,
    requestIp: input.ip,
    actor: auditActor(actor),
    now: input.now,
  });
  if (!issued.ok) throw new DomainError(issued.message, "rate_limited", undefined, issued.availableAt?.toISOString());
  return {
    channel: chosen.channel,
    maskedTarget: issued.maskedTarget,
    expiresAt: issued.expiresAt.toISOString(),
    resendAvailableAt: issued.resendAvailableAt.toISOString(),
  };
}

export type CallerCodeResult =
  | { ok: true; method: "email_code" | "sms_code"; channel: CodeChannelKind; verifiedAt: string; expiresAt: string }
  | {
      ok: false;
      reason: "wrong_code" | "expired" | "used" | "too_many_tries" | "no_challenge";
      message: string;
      triesLeft: number | null;
      /** Wrong codes on this conversation so far (all its codes). */
      failures: number;
      /** Offer "Escalate to a supervisor": the code is used up, or too many wrong codes. */
      offerEscalation: boolean;
    };

/** Wrong codes typed on this conversation, across all of its caller-verification codes. */
async function codeFailures(customerId: string, ticketId: string): Promise<number> {
  const total = await db.verificationChallenge.aggregate({ where: { purpose: "caller_verification", customerId, ticketId }, _sum: { attempts: true } });
  return total._sum.attempts ?? 0;
}

/** Checks the code the caller read back against the latest one sent for this customer and ticket. */
export async function verifyCallerCode(
  actor: CallerActor,
  input: { customerId: string; ticketId: string; code: string; ip: string; now?: Date },
): Promise<CallerCodeResult> {
  const now = input.now ?? new Date();
  const ticket = (await conversationOf(input.customerId, input.ticketId))!;
  const latest = await db.verificationChallenge.findFirst({
    where: { purpose: "caller_verification", customerId: input.customerId, ticketId: input.ticketId },
    orderBy: { createdAt: "desc" },
    select: { id: true, attempts: true, channel: true },
  });
  let passed: { method: "email_code" | "sms_code"; channel: CodeChannelKind; expiresAt: Date } | null = null;
  // The engine audits identity.code_verified / identity.code_failed with the agent as actor.
  const result = await verifyCode({
    purpose: "caller_verification",
    challengeId: latest?.id,
    customerId: input.customerId,
    ticketId: input.ticketId,
    code: input.code,
    requestIp: input.ip,
    actor: auditActor(actor),
    now,
    onVerified: async (tx: Prisma.TransactionClient, challenge) => {
      const method = challenge.channel === "sms" ? "sms_code" : "email_code";
      const expiresAt = identityCheckExpiresAt(now);
      await tx.identityCheck.create({
        data: {
          ticketId: ticket.id,
          customerId: input.customerId,
          method,
          outcome: "passed",
          codeChannel: challenge.channel,
          conversationChannel: ticket.channel,
          performedById: actor.userId,
          createdAt: now,
          expiresAt,
        },
      });
      passed = { method, channel: codeChannelOf(challenge.channel), expiresAt };
      await emitWebhookEvent("identity.verified", { customerId: input.customerId, ticketId: ticket.id, method }, tx);
    },
  });
  if (result.ok && passed) {
    const done = passed as { method: "email_code" | "sms_code"; channel: CodeChannelKind; expiresAt: Date };
    return { ok: true, method: done.method, channel: done.channel, verifiedAt: now.toISOString(), expiresAt: done.expiresAt.toISOString() };
  }
  if (result.ok) throw new Error("code verified without recording the check");

  // This entry killed the code: the conversation's check failed (for the badge and reporting).
  if (result.reason === "too_many_tries" && latest && latest.attempts < MAX_WRONG_TRIES_PER_CODE) {
    const channel = latest.channel;
    await db.$transaction(async (tx) => {
      const check = await tx.identityCheck.create({
        data: {
          ticketId: ticket.id,
          customerId: input.customerId,
          method: channel === "sms" ? "sms_code" : "email_code",
          outcome: "failed",
          codeChannel: channel,
          conversationChannel: ticket.channel,
          performedById: actor.userId,
          createdAt: now,
          expiresAt: identityCheckExpiresAt(now),
        },
        select: { id: true },
      });
      await emitWebhookEvent(
        "identity.check_failed",
        { customerId: input.customerId, ticketId: ticket.id, checkId: check.id, method: channel === "sms" ? "sms_code" : "email_code" },
        tx,
      );
    });
  }
  const failures = await codeFailures(input.customerId, input.ticketId);
  const reason = result.reason === "locked" ? "too_many_tries" : result.reason;
  return {
    ok: false,
    reason,
    message: result.message,
    triesLeft: result.triesLeft ?? null,
    failures,
    offerEscalation: reason === "too_many_tries" || failures >= CODE_FAILURES_BEFORE_ESCALATION,
  };
}
