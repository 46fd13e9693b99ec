import "server-only";
import { randomUUID } from "node:crypto";
import { db, type Prisma } from "@/platform/db/client";
import { enqueueWebhooks } from "@/platform/outbox/outbox";
import { type WebhookEventType, WEBHOOK_EVENT_TYPES } from "./event-types";

/**
 * Telling subscribed endpoints about an event. Called in the transaction that made the event
 * happen, so an event is announced exactly when it committed (and never when it rolled back); the
 * outbox then delivers and retries. The payload follows the Standard Webhooks shape:
 * `{ "type": "ticket.created", "timestamp": "…", "data": { … } }`, with ids only in `data` (the
 * receiver fetches details through the API, so nothing personal travels in a webhook by default).
 */

type Writer = Prisma.TransactionClient | typeof db;

export type WebhookEventData = Record<string, string | number | boolean | null>;

/** "msg_" + 32 hex: the webhook-id every endpoint gets for this event, kept across retries and resends. */
export function newWebhookId(): string {
  return `msg_${randomUUID().replaceAll("-", "")}`;
}

export function webhookPayload(type: WebhookEventType | "ping", data: WebhookEventData, at: Date = new Date()): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}

/** Queues `type` for every enabled endpoint subscribed to it. Returns how many deliveries were queued. */
export async function emitWebhookEvent(type: WebhookEventType, data: WebhookEventData, writer: Writer = db): Promise<number> {
  if (!WEBHOOK_EVENT_TYPES.includes(type)) throw new Error(`Unknown webhook event type: ${type}`);
  const endpoints = await writer.webhookEndpoint.findMany({ where: { enabled: true, events: { has: type } }, select: { id: true } });
  if (endpoints.length === 0) return 0;
  const webhookId = newWebhookId();
  const payload = webhookPayload(type, data);
  await enqueueWebhooks(
    endpoints.map((endpoint) => ({ endpointId: endpoint.id, eventType: type, webhookId, payload })),
    writer === db ? undefined : (writer as Prisma.TransactionClient),
  );
  return endpoints.length;
}
