import "server-only";
import { Webhook } from "standardwebhooks";
import { recordAudit } from "@/platform/audit";
import { db } from "@/platform/db/client";
import { safePost, UnsafeTargetError } from "@/platform/http/safe-post";
import { enqueueEmail } from "@/platform/outbox/outbox";
import { openSealedText } from "@/platform/outbox/sealed";
import { registerWebhookTransport } from "@/platform/outbox/transports/index";
import { DeliveryError, type OutgoingMessage, PROVIDER_TIMEOUT_MS, type Transport } from "@/platform/outbox/transports/transport";

/**
 * Sending one webhook (the outbox's "webhook" channel; the outbox claims, retries on the
 * Standard Webhooks schedule and records the outcome). Each try is signed afresh with the
 * endpoint's current secret, plus the previous one while a rotation is in its grace period, and
 * logged in the endpoint's delivery log. A 410 Gone disables the endpoint at once; failing for
 * five days in a row disables it and tells the admins.
 */

export const ALLOW_PRIVATE_TARGETS_KEY = "webhooks.allow-private-targets";
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3_600_000;
const EXCERPT_LENGTH = 500;

export async function privateTargetsAllowed(): Promise<boolean> {
  const row = await db.appSetting.findUnique({ where: { key: ALLOW_PRIVATE_TARGETS_KEY }, select: { value: true } });
  return row?.value === true;
}

/** The webhook-signature header: "v1,<sig>" for the current secret, then the previous one during a rotation. */
export function signatureHeader(secrets: readonly string[], webhookId: string, timestamp: Date, payload: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(webhookId, timestamp, payload)).join(" ");
}

export function createWebhookTransport(options: { now?: () => Date; timeoutMs?: number } = {}): Transport {
  const now = options.now ?? (() => new Date());
  return {
    name: "webhook",
    async send(message: OutgoingMessage) {
      const endpoint = await db.webhookEndpoint.findUnique({ where: { id: message.recipient } });
      if (!endpoint) throw new DeliveryError("Not sent: the endpoint was deleted", false);
      if (!endpoint.enabled) throw new DeliveryError(`Not sent: the endpoint is disabled (${endpoint.disabledReason ?? "by an admin"})`, false);
      const webhookId = message.headers["webhook-id"] ?? message.id;
      const payload = message.textBody ?? "";
      const eventType = message.subject ?? "unknown";
      const at = now();
      const secrets = [openSealedText(endpoint.secretSealed)];
      if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > at) {
        secrets.push(openSealedText(endpoint.previousSecretSealed));
      }
      const headers = {
        "Content-Type": "application/json",
        "User-Agent": "Veridesk-Webhooks/1",
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signatureHeader(secrets, webhookId, at, payload),
      };
      const log = { endpointId: endpoint.id, outboxMessageId: message.id, eventType, webhookId };

      let answer: Awaited<ReturnType<typeof safePost>>;
      try {
        answer = await safePost(endpoint.url, payload, headers, {
          timeoutMs: options.timeoutMs ?? PROVIDER_TIMEOUT_MS,
          allowPrivate: await privateTargetsAllowed(),
        });
      } catch (error) {
        const unsafe = error instanceof UnsafeTargetError;
        const reason = error instanceof Error ? error.message : String(error);
        await db.webhookDeliveryAttempt.create({ data: { ...log, error: reason.slice(0, EXCERPT_LENGTH) } });
        await noteFailure(endpoint.id, endpoint.failingSince, at);
        // A private target stays private until an admin allows them; the next event tries again.
        throw new DeliveryError(unsafe ? reason : `No answer: ${reason}`, !unsafe);
      }
      await db.webhookDeliveryAttempt.create({
        data: { ...log, statusCode: answer.status, latencyMs: answer.latencyMs, responseExcerpt: answer.body.slice(0, EXCERPT_LENGTH) },
      });
      if (answer.status >= 200 && answer.status < 300) {
        if (endpoint.failingSince) await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: null } });
        return { providerMessageId: webhookId };
      }
      if (answer.status === 410) {
        await disableEndpoint(endpoint.id, "The endpoint answered 410 Gone", at);
        throw new DeliveryError("The endpoint answered 410 Gone: it is disabled", false);
      }
      const disabled = await noteFailure(endpoint.id, endpoint.failingSince, at);
      throw new DeliveryError(`The endpoint answered HTTP ${answer.status}`, !disabled);
    },
  };
}

/** Starts or continues the endpoint's run of failures; past five days it is disabled. True when that happened now. */
async function noteFailure(endpointId: string, failingSince: Date | null, at: Date): Promise<boolean> {
  if (!failingSince) {
    await db.webhookEndpoint.update({ where: { id: endpointId }, data: { failingSince: at } });
    return false;
  }
  if (at.getTime() - failingSince.getTime() < DISABLE_AFTER_FAILING_MS) return false;
  await disableEndpoint(endpointId, "Every delivery failed for 5 days", at);
  return true;
}

async function disableEndpoint(endpointId: string, reason: string, at: Date): Promise<void> {
  const { count } = await db.webhookEndpoint.updateMany({
    where: { id: endpointId, enabled: true },
    data: { enabled: false, disabledReason: reason, disabledAt: at },
  });
  if (count === 0) return;
  await recordAudit({ action: "webhook.endpoint_disabled", subjectType: "webhook_endpoint", subjectId: endpointId, details: { reason } });
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { url: true } });
  const admins = await db.user.findMany({ where: { role: "admin", disabledAt: null }, select: { email: true } });
  for (const admin of admins) {
    await enqueueEmail({
      kind: "webhook-endpoint-disabled",
      to: admin.email,
      subject: "A webhook endpoint was disabled",
      text: `Veridesk stopped sending webhooks to ${endpoint?.url ?? "an endpoint"}: ${reason}.\n\nFix the receiver, then enable the endpoint again under Admin → Webhooks; deliveries that failed can be resent from its delivery log.`,
    });
  }
}

/** Lets this process's outbox worker send webhooks (called at server start-up, before the worker starts). */
export function registerWebhookDelivery(): void {
  registerWebhookTransport(createWebhookTransport());
}
