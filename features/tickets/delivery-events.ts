import "server-only";
import { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { dateInRange, storableDeep, truncateText } from "@/platform/text/schemas";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, type MessageDeliveryStatus, type Prisma } from "@/platform/db/client";
import { errorResponse, processResendReceivedEvent, readSignedWebhook } from "@/features/tickets/inbound/inbound-http";
import { isUniqueViolation } from "@/platform/db/errors";

/**
 * What Resend tells us about emails we sent (POST /api/webhooks/resend, Svix-signed):
 *
 *   email.sent             → the reply's deliveryStatus queued → sent
 *   email.delivered        → delivered; the address is "delivering" again unless it bounced later
 *   email.delivery_delayed → deliveryDetail says so (status stays "sent")
 *   email.bounced          → the reply is "bounced" with the provider's reason; the customer's
 *                            address is "bouncing" (bounceCount + 1, lastBouncedAt)
 *   email.complained       → the address is "complained" (marked as spam: stop writing to it)
 *   email.failed / email.suppressed → the reply is "failed" with the reason
 *
 * Matching is by OutboxMessage.providerMessageId (Resend's email id); the address is the outbox
 * row's recipient. Each delivery's svix-id is recorded (WebhookReceipt) FIRST, in the same
 * transaction as its effects: a replay — even a concurrent one, which waits on the unique index —
 * changes nothing and is acknowledged. Unknown email ids are acknowledged and ignored. Every
 * applied event is audited.
 */

export const RESEND_EVENTS_RECEIPT_SOURCE = "resend";

const eventSchema = z.object({
  type: z.string().max(100),
  created_at: z.string().max(100).optional(),
  data: z
    .object({
      email_id: z.string().max(200).optional(),
      created_at: z.string().max(100).optional(),
      bounce: z.object({ message: z.string().optional(), type: z.string().optional(), subType: z.string().optional() }).partial().optional(),
      failed: z.object({ reason: z.string().optional() }).partial().optional(),
      suppressed: z.object({ message: z.string().optional(), type: z.string().optional() }).partial().optional(),
    })
    .passthrough()
    .optional(),
});

export type ResendDeliveryEvent = z.infer<typeof eventSchema>;

export type DeliveryEventOutcome =
  | { status: "applied"; type: string; outboxMessageId: string; ticketMessageId: string | null }
  | { status: "already_processed" }
  | { status: "unknown_email" }
  | { status: "ignored"; type: string };

const HANDLED = new Set(["email.sent", "email.delivered", "email.delivery_delayed", "email.bounced", "email.complained", "email.failed", "email.suppressed"]);
const MAX_DETAIL = 500;

function detailText(value: string): string {
  const line = value.replace(/\s+/g, " ").trim();
  return truncateText(line, MAX_DETAIL);
}

/** When the event happened: the top-level created_at (data.created_at is when the email was created). */
function eventTime(event: ResendDeliveryEvent): Date {
  for (const candidate of [event.created_at, event.data?.created_at]) {
    const time = candidate ? new Date(candidate) : null;
    if (time && dateInRange(time)) return time;
  }
  return new Date();
}

function bounceDetail(bounce: NonNullable<NonNullable<ResendDeliveryEvent["data"]>["bounce"]>): string {
  const kind = [bounce.type, bounce.subType].filter(Boolean).join(", ");
  if (bounce.message?.trim()) return detailText(kind ? `${bounce.message} (${kind})` : bounce.message);
  return kind ? `Bounced (${kind})` : "Bounced; the provider gave no reason.";
}

type Tx = Prisma.TransactionClient;

// A reply's status only moves forward: a late "sent" never hides "delivered" or "bounced".
const MAY_BECOME: Record<MessageDeliveryStatus, readonly (MessageDeliveryStatus | null)[]> = {
  queued: [null],
  sent: [null, "queued"],
  delivered: [null, "queued", "sent", "failed"],
  bounced: [null, "queued", "sent", "delivered", "failed"],
  failed: [null, "queued", "sent"],
};

async function setReplyStatus(tx: Tx, outboxMessageId: string, status: MessageDeliveryStatus, detail: string | null): Promise<string | null> {
  const reply = await tx.ticketMessage.findUnique({ where: { outboxMessageId }, select: { id: true, deliveryStatus: true } });
  if (!reply) return null;
  if (MAY_BECOME[status].includes(reply.deliveryStatus)) {
    await tx.ticketMessage.update({ where: { id: reply.id }, data: { deliveryStatus: status, deliveryDetail: detail }, select: { id: true } });
  }
  return reply.id;
}

/**
 * Applies one verified Resend event, recording `svixId` first. Idempotent per svix-id.
 */
export async function applyResendDeliveryEvent(svixId: string, event: ResendDeliveryEvent): Promise<DeliveryEventOutcome> {
  try {
    return await db.$transaction(async (tx): Promise<DeliveryEventOutcome> => {
      await tx.webhookReceipt.create({ data: { id: `${RESEND_EVENTS_RECEIPT_SOURCE}:${svixId}`, source: RESEND_EVENTS_RECEIPT_SOURCE, type: event.type } });
      if (!HANDLED.has(event.type)) return { status: "ignored", type: event.type };
      const emailId = event.data?.email_id;
      const outbox = emailId
        ? await tx.outboxMessage.findFirst({
            where: { providerMessageId: emailId, channel: "email" },
            select: { id: true, recipient: true },
            orderBy: { createdAt: "desc" },
          })
        : null;
      if (!outbox) return { status: "unknown_email" };

      const at = eventTime(event);
      const normalized = normalizeEmail(outbox.recipient);
      let ticketMessageId: string | null = null;
      let detail: string | null = null;

      switch (event.type) {
        case "email.sent":
          ticketMessageId = await setReplyStatus(tx, outbox.id, "sent", null);
          break;
        case "email.delivery_delayed": {
          const reply = await tx.ticketMessage.findUnique({ where: { outboxMessageId: outbox.id }, select: { id: true, deliveryStatus: true } });
          ticketMessageId = reply?.id ?? null;
          if (reply && (reply.deliveryStatus === null || reply.deliveryStatus === "queued" || reply.deliveryStatus === "sent")) {
            detail = "Delivery is delayed: the customer's mail server has not accepted it yet; the provider keeps trying.";
            await tx.ticketMessage.update({ where: { id: reply.id }, data: { deliveryStatus: "sent", deliveryDetail: detail }, select: { id: true } });
          }
          break;
        }
        case "email.delivered":
          ticketMessageId = await setReplyStatus(tx, outbox.id, "delivered", null);
          // Delivering again, unless a bounce was reported for a later moment; a complaint stays.
          await tx.customerEmail.updateMany({
            where: { normalized, deliverability: { in: ["unknown", "delivering", "bouncing"] }, OR: [{ lastBouncedAt: null }, { lastBouncedAt: { lt: at } }] },
            data: { deliverability: "delivering" },
          });
          break;
        case "email.bounced":
          detail = bounceDetail(event.data?.bounce ?? {});
          ticketMessageId = await setReplyStatus(tx, outbox.id, "bounced", detail);
          await tx.customerEmail.updateMany({
            where: { normalized },
            data: { deliverability: "bouncing", bounceCount: { increment: 1 }, lastBouncedAt: at },
          });
          break;
        case "email.complained":
          ticketMessageId = (await tx.ticketMessage.findUnique({ where: { outboxMessageId: outbox.id }, select: { id: true } }))?.id ?? null;
          await tx.customerEmail.updateMany({ where: { normalized }, data: { deliverability: "complained" } });
          break;
        case "email.failed":
        case "email.suppressed": {
          const reason = event.type === "email.failed" ? event.data?.failed?.reason : event.data?.suppressed?.message;
          detail = detailText(
            reason?.trim() || (event.type === "email.suppressed" ? "The address is on the provider's suppression list." : "The provider could not send it."),
          );
          ticketMessageId = await setReplyStatus(tx, outbox.id, "failed", detail);
          break;
        }
      }

      await recordAudit(
        {
          action: event.type.replace(/^email\./, "email_delivery."),
          subjectType: ticketMessageId ? "ticket_message" : "outbox_message",
          subjectId: ticketMessageId ?? outbox.id,
          details: { provider: "resend", providerMessageId: emailId ?? "", outboxMessageId: outbox.id, detailGiven: Boolean(detail) },
        },
        tx,
      );
      return { status: "applied", type: event.type, outboxMessageId: outbox.id, ticketMessageId };
    });
  } catch (error) {
    // Recorded already, by an earlier or concurrent delivery of the same svix-id.
    if (isUniqueViolation(error)) return { status: "already_processed" };
    throw error;
  }
}

/**
 * Deletes receipts older than `days` (default 7). Svix retries one delivery, re-signed with the
 * same svix-id, for about a day and a half; older receipts can no longer stop anything.
 */
export async function pruneWebhookReceipts(days = 7, now: Date = new Date()): Promise<number> {
  const { count } = await db.webhookReceipt.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - days * 24 * 3600_000) } } });
  return count;
}

/** POST /api/webhooks/resend. An "email.received" event is passed on to email in (features/tickets/inbound/inbound-http.ts). */
export async function handleResendDeliveryWebhook(
  request: Request,
  config: { secret: string | undefined; apiKey?: string | undefined; now?: Date },
): Promise<Response> {
  const signed = await readSignedWebhook(request, { secret: config.secret, now: config.now, what: "Resend webhooks" });
  if (!signed.ok) return signed.response;
  let event: ResendDeliveryEvent;
  try {
    event = eventSchema.parse(storableDeep(JSON.parse(signed.payload)));
  } catch {
    return errorResponse(400, "The webhook body is not a Resend event.");
  }
  if (event.type === "email.received") return processResendReceivedEvent(signed.id, event, { apiKey: config.apiKey });
  try {
    const outcome = await applyResendDeliveryEvent(signed.id, event);
    if (outcome.status === "unknown_email") {
      // Once per delivery (a replay stops at its receipt); never the body.
      console.info(
        `[webhooks] Resend ${event.type} for an email id we did not send (${(event.data?.email_id ?? "none").slice(0, 100)}): acknowledged and ignored`,
      );
    }
    return Response.json({ status: outcome.status });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message.split("\n").filter(Boolean).at(-1) ?? ""}` : String(error);
    console.error(`[webhooks] could not apply a Resend ${event.type} event: ${reason}`);
    return errorResponse(500, "The event could not be recorded; deliver it again later.");
  }
}
