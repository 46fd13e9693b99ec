import { isSmsOptedOut, SMS_OPTED_OUT_MESSAGE } from "@/platform/outbox/sms-opt-outs";
import { z } from "zod";
import { db, type DeliveryChannel, type OutboxMessage, Prisma } from "@/platform/db/client";
import { nextAttemptDelay, nextWebhookAttemptDelay } from "./backoff";
import { MissingAttachmentError, resolveEmailAttachments } from "./attachments";
import { openSealedText, SealedTextError } from "./sealed";
import { DeliveryError, transportFor, TransportNotConfiguredError, type OutgoingMessage, type Transport } from "./transports/index";

/**
 * Sending what the outbox holds. Any number of app instances may run this at once against one
 * database: rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so each due row goes to
 * exactly one worker, and a worker that dies mid-send simply lets its lease run out.
 *
 * Delivery is at-least-once: if a worker crashes after the provider accepted a message but before
 * it was marked sent, it is sent again once the lease expires (Resend drops that duplicate
 * through the idempotency key; the dev mailbox checks for it; an SMS may arrive twice).
 */

/** How long a claim protects a row. Sends in a batch run in parallel, each capped at 15 s. */
export const DEFAULT_LEASE_MS = 2 * 60_000;
export const DEFAULT_BATCH_SIZE = 20;
const MAX_ERROR_LENGTH = 500;
export const EXPIRED_MESSAGE_ERROR = "Not sent: the one-time code or link it carries expired before it could be delivered";

export interface DeliveryRunOptions {
  /** Most rows to claim in this run. */
  limit?: number;
  /** The run's clock (defaults to the current time); due-ness, leases and retry times use it. */
  now?: Date;
  /** Replace the configured providers, e.g. with fakes in tests. */
  transports?: Partial<Record<DeliveryChannel, Transport>>;
  leaseMs?: number;
  /** Random source for the retry jitter. */
  random?: () => number;
  /** Only these messages (a test delivering its own, whatever else other tests left due). */
  onlyIds?: readonly string[];
}

export interface DeliveryRunSummary {
  claimed: number;
  sent: number;
  /** Failed this time, will be tried again later. */
  retrying: number;
  /** Gave up: permanent error or out of attempts. */
  failed: number;
  /** Our lease ran out before we finished and another worker took the row over; we left it alone. */
  leaseLost: number;
  /** The outcome could not be written (database trouble): the lease runs out and the row is taken again. */
  unrecorded: number;
}

type Outcome = keyof Omit<DeliveryRunSummary, "claimed">;

/** Claims and sends the due messages, once. Never throws for a single message's failure. */
export async function deliverDueMessages(options: DeliveryRunOptions = {}): Promise<DeliveryRunSummary> {
  const now = options.now ?? new Date();
  const limit = Math.max(1, Math.floor(options.limit ?? DEFAULT_BATCH_SIZE));
  const leaseUntil = new Date(now.getTime() + (options.leaseMs ?? DEFAULT_LEASE_MS));

  const rows = await claimDueMessages(now, limit, leaseUntil, options.onlyIds);
  const summary: DeliveryRunSummary = { claimed: rows.length, sent: 0, retrying: 0, failed: 0, leaseLost: 0, unrecorded: 0 };
  const outcomes = await Promise.all(rows.map((row) => deliverClaimedMessage(row, leaseUntil, now, options)));
  for (const outcome of outcomes) summary[outcome] += 1;
  return summary;
}

/**
 * One statement takes the due rows: queued ones whose time has come, and "sending" ones whose
 * worker's lease ran out (it crashed or hung). SKIP LOCKED makes a concurrent claimer pass over
 * rows this one is taking instead of waiting for them and then taking them too. Counting the
 * attempt at claim time means a message that crashes its worker every time still runs out of tries.
 */
async function claimDueMessages(now: Date, limit: number, leaseUntil: Date, onlyIds?: readonly string[]): Promise<OutboxMessage[]> {
  // Dates go to PostgreSQL as UTC wall-clock text, matching how Prisma stores these
  // "timestamp without time zone" columns, whatever the session's TimeZone is.
  const only = onlyIds ? Prisma.sql`AND "id" = ANY(CAST(${[...onlyIds]} AS uuid[]))` : Prisma.empty;
  const claimed = await db.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxMessage"
    SET "status" = 'sending', "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxMessage"
      WHERE (("status" = 'queued' AND "nextAttemptAt" <= ${now})
         OR ("status" = 'sending' AND "leaseUntil" < ${now})) ${only}
      ORDER BY "nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id"`;
  if (claimed.length === 0) return [];
  return db.outboxMessage.findMany({ where: { id: { in: claimed.map((row) => row.id) } }, orderBy: { nextAttemptAt: "asc" } });
}

async function deliverClaimedMessage(row: OutboxMessage, leaseUntil: Date, now: Date, options: DeliveryRunOptions): Promise<Outcome> {
  const attempt = await attemptSend(row, now, options);
  try {
    if (attempt.ok) return await recordSent(row, leaseUntil, attempt.provider, attempt.providerMessageId);

    const provider = attempt.provider ?? row.provider;
    const lastError = describeError(attempt.error, row.sensitive);
    if (!attempt.retryable || row.attempts >= row.maxAttempts) {
      const outcome = await recordFailed(row, leaseUntil, provider, lastError);
      if (outcome === "failed") console.error(`[outbox] ${row.kind} message ${row.id} failed after ${row.attempts} attempt(s): ${lastError}`);
      return outcome;
    }
    const delayMs = row.channel === "webhook" ? nextWebhookAttemptDelay(row.attempts, options.random) : nextAttemptDelay(row.attempts, options.random);
    const outcome = await recordRetry(row, leaseUntil, provider, new Date(now.getTime() + delayMs), lastError);
    if (outcome === "retrying") {
      console.warn(
        `[outbox] ${row.kind} message ${row.id}: attempt ${row.attempts}/${row.maxAttempts} failed, retrying in ${Math.round(delayMs / 1000)} s: ${lastError}`,
      );
    }
    return outcome;
  } catch (error) {
    // The database refused the bookkeeping: the lease will run out and the row be taken again.
    console.error(`[outbox] could not record the outcome for message ${row.id}: ${describeError(error, row.sensitive)}`);
    return "unrecorded";
  }
}

type SendAttempt = { ok: true; provider: string; providerMessageId: string } | { ok: false; provider: string | null; error: unknown; retryable: boolean };

async function attemptSend(row: OutboxMessage, now: Date, options: DeliveryRunOptions): Promise<SendAttempt> {
  if (row.expiresAt && row.expiresAt <= now) {
    // A code or link past its lifetime would only confuse whoever gets it (and cannot be used).
    return { ok: false, provider: null, error: new DeliveryError(EXPIRED_MESSAGE_ERROR, false), retryable: false };
  }
  if (row.attempts > row.maxAttempts) {
    // Only possible when the worker holding the final attempt died: never try beyond the budget.
    return { ok: false, provider: null, error: new DeliveryError("The worker stopped during the final attempt", false), retryable: false };
  }
  if (row.channel === "sms" && (await isSmsOptedOut(row.recipient))) {
    // Texting a number that replied STOP breaks carrier rules (Twilio refuses it too, error 21610).
    return { ok: false, provider: null, error: new DeliveryError(`Not sent: ${SMS_OPTED_OUT_MESSAGE}`, false), retryable: false };
  }
  let transport: Transport | undefined;
  try {
    transport = options.transports?.[row.channel] ?? transportFor(row.channel);
    const { providerMessageId } = await transport.send(await outgoingMessageFrom(row));
    return { ok: true, provider: transport.name, providerMessageId };
  } catch (error) {
    return { ok: false, provider: transport?.name ?? null, error, retryable: isRetryable(error) };
  }
}

const storedHeaders = z.record(z.string(), z.string()).catch({});

/** The row as a provider needs it: sensitive bodies opened (only in memory, only for the send). */
async function outgoingMessageFrom(row: OutboxMessage): Promise<OutgoingMessage> {
  const open = (body: string | null) => (body !== null && row.sensitive ? openSealedText(body) : body);
  const attachments = row.attachmentIds.length > 0 ? await resolveEmailAttachments(row.attachmentIds) : undefined;
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    ...(row.senderName ? { senderName: row.senderName } : {}),
    textBody: open(row.textBody),
    htmlBody: open(row.htmlBody),
    headers: storedHeaders.parse(row.headers ?? {}),
    attachments,
  };
}

function isRetryable(error: unknown): boolean {
  if (error instanceof DeliveryError) return error.retryable;
  // A body that cannot be opened stays unopenable; the rest (database hiccups, a provider
  // left unconfigured until the next restart) may clear up, and attempts are bounded anyway.
  if (error instanceof SealedTextError) return false;
  // A deleted attachment does not come back.
  if (error instanceof MissingAttachmentError) return false;
  return true;
}

/**
 * A short, single-line reason for lastError and the log. Our own errors are written never to
 * contain a body. Other errors (database, bugs) keep only their last line: Prisma prints the
 * call's arguments, which may include a body, above the actual reason at the end. For sensitive
 * messages those keep nothing but their name and code.
 */
export function describeError(error: unknown, sensitive: boolean): string {
  let text: string;
  if (
    error instanceof DeliveryError ||
    error instanceof SealedTextError ||
    error instanceof TransportNotConfiguredError ||
    error instanceof MissingAttachmentError
  ) {
    text = error.message;
  } else if (error instanceof Error) {
    const { code: rawCode } = error as Error & { code?: unknown };
    const code = typeof rawCode === "string" ? ` ${rawCode}` : "";
    const lastLine =
      error.message
        .split("\n")
        .filter((line) => line.trim() !== "")
        .at(-1) ?? "";
    text = sensitive ? `${error.name}${code} (details withheld: sensitive message)` : `${error.name}${code}: ${lastLine}`;
  } else {
    text = sensitive ? "unknown error (details withheld: sensitive message)" : String(error);
  }
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_ERROR_LENGTH ? `${oneLine.slice(0, MAX_ERROR_LENGTH - 1)}…` : oneLine;
}

// The three writes below only apply while our lease is the row's lease: if it ran out and
// another worker re-claimed the row, that worker's result is the one that counts.
function heldByUs(row: OutboxMessage, leaseUntil: Date) {
  return { id: row.id, status: "sending" as const, leaseUntil };
}

// A ticket reply's status follows its outbox row, but never overwrites what a provider webhook
// already reported (delivered, bounced).
function linkedReplyAwaitingSend(outboxMessageId: string) {
  return { outboxMessageId, OR: [{ deliveryStatus: null }, { deliveryStatus: "queued" as const }] };
}

async function recordSent(row: OutboxMessage, leaseUntil: Date, provider: string, providerMessageId: string): Promise<Outcome> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.outboxMessage.updateMany({
      where: heldByUs(row, leaseUntil),
      data: {
        status: "sent",
        sentAt: new Date(),
        provider,
        providerMessageId,
        leaseUntil: null,
        lastError: null,
        // Once delivered, a code has no business staying in the database, even sealed.
        ...(row.sensitive ? { textBody: null, htmlBody: null } : {}),
      },
    });
    if (count === 0) return "leaseLost";
    await tx.ticketMessage.updateMany({ where: linkedReplyAwaitingSend(row.id), data: { deliveryStatus: "sent" } });
    return "sent";
  });
}

async function recordRetry(row: OutboxMessage, leaseUntil: Date, provider: string | null, nextAttemptAt: Date, lastError: string): Promise<Outcome> {
  const { count } = await db.outboxMessage.updateMany({
    where: heldByUs(row, leaseUntil),
    data: { status: "queued", nextAttemptAt, leaseUntil: null, lastError, provider },
  });
  return count === 0 ? "leaseLost" : "retrying";
}

async function recordFailed(row: OutboxMessage, leaseUntil: Date, provider: string | null, lastError: string): Promise<Outcome> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.outboxMessage.updateMany({
      where: heldByUs(row, leaseUntil),
      data: {
        status: "failed",
        leaseUntil: null,
        lastError,
        provider,
        // A code that could not be delivered will have expired long before anyone looks: drop it.
        ...(row.sensitive ? { textBody: null, htmlBody: null } : {}),
      },
    });
    if (count === 0) return "leaseLost";
    await tx.ticketMessage.updateMany({ where: linkedReplyAwaitingSend(row.id), data: { deliveryStatus: "failed" } });
    return "failed";
  });
}
