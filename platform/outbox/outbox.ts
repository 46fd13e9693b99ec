import { z } from "zod";
import { emailAddressSchema } from "@/platform/email-address/email-address";
import { db, type OutboxMessage, type OutboxStatus, type Prisma } from "@/platform/db/client";
import { DEFAULT_MAX_ATTEMPTS, WEBHOOK_MAX_ATTEMPTS } from "./backoff";
import { sealText } from "./sealed";
import { kickOutboxWorker } from "./worker";

/**
 * The outbox: every outgoing email and SMS is first written to OutboxMessage, then delivered by
 * the worker with retries (deliver.ts, worker.ts). Writing first means a provider outage or a
 * crash between "decided to send" and "sent" loses nothing, and the status stays visible.
 *
 *   await enqueueEmail({ kind: "ticket-reply", to, subject, text, headers: { "Message-ID": id } });
 *   await db.$transaction(async (tx) => { const row = await enqueueSms({ ... }, tx); ...; });
 *   void kickOutboxWorker(); // after that commit, for immediate delivery
 */

export { deliverDueMessages, type DeliveryRunOptions, type DeliveryRunSummary } from "./deliver";
export {
  isOutboxWorkerRunning,
  kickOutboxWorker,
  startOutboxKickRunner,
  startOutboxWorker,
  stopOutboxWorker,
  type OutboxWorkerOptions,
} from "./worker";

export { DEFAULT_MAX_ATTEMPTS } from "./backoff";

const E164 = /^\+[1-9]\d{6,14}$/;
const NO_LINE_BREAKS = /^[^\r\n]*$/;
// RFC 5322 field name: printable ASCII except ":".
const HEADER_NAME = /^[!-9;-~]+$/;

const kindSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'must be a short template name such as "verification-code"' });

const attemptsSchema = z.number().int().min(1).max(200).default(DEFAULT_MAX_ATTEMPTS);
/** A one-time code's or link's end of life: past it the message is never sent (nor requeued). */
const expiresAtSchema = z.date().optional();

export const emailInputSchema = z
  .object({
    /** Template name, e.g. "verification-code" or "ticket-reply". */
    kind: kindSchema,
    to: emailAddressSchema({ format: "must be an email address" }, { maxLength: 320 }),
    // Never put a code in the subject: only bodies are sealed.
    subject: z.string().trim().min(1).max(998).regex(NO_LINE_BREAKS, { message: "must be one line" }),
    text: z.string().min(1).optional(),
    html: z.string().min(1).optional(),
    /** Display name to send from, with EMAIL_FROM's address ("Dana from Veridesk Support"). */
    senderName: z.string().trim().min(1).max(200).regex(NO_LINE_BREAKS, { message: "must be one line" }).optional(),
    /** Message-ID, In-Reply-To, References, Reply-To… Line breaks are refused (header injection). */
    headers: z.record(z.string().regex(HEADER_NAME), z.string().regex(NO_LINE_BREAKS, { message: "must be one line" })).optional(),
    /** Carries a code or a sign-in link: bodies are stored sealed and wiped once sent. */
    sensitive: z.boolean().default(false),
    maxAttempts: attemptsSchema,
    expiresAt: expiresAtSchema,
    /** TicketAttachment ids to send as files; their bytes are loaded at send time, never copied here. */
    attachmentIds: z.array(z.uuid()).max(20).default([]),
  })
  .refine((email) => email.text !== undefined || email.html !== undefined, { message: "needs a text or an HTML body", path: ["text"] });

export const smsInputSchema = z.object({
  kind: kindSchema,
  to: z.string().trim().regex(E164, { message: "must be an E.164 number such as +15005550006" }),
  // Twilio refuses bodies over 1,600 characters.
  text: z.string().min(1).max(1600),
  sensitive: z.boolean().default(false),
  maxAttempts: attemptsSchema,
  expiresAt: expiresAtSchema,
});

export type EmailInput = z.input<typeof emailInputSchema>;
export type SmsInput = z.input<typeof smsInputSchema>;

export class InvalidOutboxMessageError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid outgoing message: ${issues.join("; ")}`);
    this.name = "InvalidOutboxMessageError";
  }
}

function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  // Issue texts name the field and the rule, never the value (which may be a body with a code).
  if (!result.success) throw new InvalidOutboxMessageError(result.error.issues.map((issue) => `${issue.path.join(".") || "message"} ${issue.message}`));
  return result.data;
}

/**
 * Queues an email. Pass `tx` to enqueue atomically with your own writes; then the worker finds
 * it on its next tick (≤ 2 s), or call kickOutboxWorker() after the commit. Without `tx` the
 * worker of this instance is kicked at once.
 */
export async function enqueueEmail(input: EmailInput, tx?: Prisma.TransactionClient): Promise<OutboxMessage> {
  const email = parseInput(emailInputSchema, input);
  const protect = (body: string | undefined) => (body === undefined ? null : email.sensitive ? sealText(body) : body);
  const row = await (tx ?? db).outboxMessage.create({
    data: {
      channel: "email",
      kind: email.kind,
      recipient: email.to,
      subject: email.subject,
      senderName: email.senderName ?? null,
      textBody: protect(email.text),
      htmlBody: protect(email.html),
      sensitive: email.sensitive,
      headers: email.headers,
      maxAttempts: email.maxAttempts,
      expiresAt: email.expiresAt ?? null,
      attachmentIds: email.attachmentIds,
      // From the app's clock like every other outbox time (the column default is the database's).
      nextAttemptAt: new Date(),
    },
  });
  if (!tx) void kickOutboxWorker();
  return row;
}

/** Queues an SMS; see enqueueEmail for `tx`. */
export async function enqueueSms(input: SmsInput, tx?: Prisma.TransactionClient): Promise<OutboxMessage> {
  const sms = parseInput(smsInputSchema, input);
  const row = await (tx ?? db).outboxMessage.create({
    data: {
      channel: "sms",
      kind: sms.kind,
      recipient: sms.to,
      textBody: sms.sensitive ? sealText(sms.text) : sms.text,
      sensitive: sms.sensitive,
      maxAttempts: sms.maxAttempts,
      expiresAt: sms.expiresAt ?? null,
      nextAttemptAt: new Date(),
    },
  });
  if (!tx) void kickOutboxWorker();
  return row;
}

/** One outgoing webhook delivery: an event for one endpoint (features/webhooks/ builds these). */
export type WebhookInput = {
  /** The endpoint's id: the transport reads its URL and secrets at send time, so a rotation or an edit applies to retries. */
  endpointId: string;
  eventType: string;
  /** The Standard Webhooks message id ("msg_…"), the same on every retry and resend. */
  webhookId: string;
  /** The JSON body, exactly as it will be signed and sent. */
  payload: string;
};

/** Queues webhook deliveries (several endpoints at once); see enqueueEmail for `tx`. */
export async function enqueueWebhooks(inputs: readonly WebhookInput[], tx?: Prisma.TransactionClient): Promise<void> {
  if (inputs.length === 0) return;
  const now = new Date();
  await (tx ?? db).outboxMessage.createMany({
    data: inputs.map((input) => ({
      channel: "webhook" as const,
      kind: "webhook",
      recipient: input.endpointId,
      subject: input.eventType,
      textBody: input.payload,
      headers: { "webhook-id": input.webhookId },
      maxAttempts: WEBHOOK_MAX_ATTEMPTS,
      nextAttemptAt: now,
    })),
  });
  if (!tx) void kickOutboxWorker();
}

// ───────────────────────────── Status ─────────────────────────────

/** How many outbox rows are in each status, for a status view. */
export async function outboxStatusCounts(): Promise<Record<OutboxStatus, number>> {
  const groups = await db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const counts: Record<OutboxStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

/** Outbox rows without their bodies (which may hold codes), newest first. */
export async function listOutboxMessages(filter: { status?: OutboxStatus; take?: number } = {}) {
  return db.outboxMessage.findMany({
    where: filter.status ? { status: filter.status } : {},
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(filter.take ?? 50, 1), 200),
    select: {
      id: true,
      channel: true,
      kind: true,
      recipient: true,
      subject: true,
      sensitive: true,
      status: true,
      attempts: true,
      maxAttempts: true,
      nextAttemptAt: true,
      expiresAt: true,
      provider: true,
      providerMessageId: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
    },
  });
}
