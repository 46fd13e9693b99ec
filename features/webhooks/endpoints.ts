import "server-only";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { enqueueWebhooks } from "@/platform/outbox/outbox";
import { sealText } from "@/platform/outbox/sealed";
import { ALLOW_PRIVATE_TARGETS_KEY } from "./delivery";
import { newWebhookId, webhookPayload } from "./events";
import type { createWebhookEndpointSchema, updateWebhookEndpointSchema } from "./schemas";

/**
 * Admins' webhook endpoints: register, edit, rotate the secret, disable / enable, delete, read the
 * delivery log and resend. Every change is audited (ids and URLs, never secrets).
 */

type Actor = { userId: string; role: "admin" | "supervisor" | "agent" | "customer" };

/** How long deliveries keep carrying the old secret's signature after a rotation. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;
const SUBJECT = "webhook_endpoint";

/** A Standard Webhooks secret: "whsec_" + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export type EndpointSummary = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  failingSince: Date | null;
  createdAt: Date;
  lastAttempt: { statusCode: number | null; error: string | null; createdAt: Date } | null;
};

export async function listWebhookEndpoints(): Promise<EndpointSummary[]> {
  const endpoints = await db.webhookEndpoint.findMany({
    orderBy: { createdAt: "desc" },
    include: { attempts: { orderBy: { id: "desc" }, take: 1, select: { statusCode: true, error: true, createdAt: true } } },
  });
  return endpoints.map(({ attempts, secretSealed: _secret, previousSecretSealed: _previous, ...endpoint }) => ({
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince,
    createdAt: endpoint.createdAt,
    lastAttempt: attempts[0] ?? null,
  }));
}

export async function createWebhookEndpoint(input: z.output<typeof createWebhookEndpointSchema>, actor: Actor, ip: string | null) {
  const secret = newWebhookSecret();
  const endpoint = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { url: input.url, description: input.description || null, events: input.events, secretSealed: sealText(secret), createdById: actor.userId },
    });
    await recordAudit(
      { action: "webhook.endpoint_created", actor, ip, subjectType: SUBJECT, subjectId: created.id, details: { url: input.url, events: input.events } },
      tx,
    );
    return created;
  });
  // The secret is shown once; the receiver stores it to verify signatures.
  return { endpointId: endpoint.id, secret };
}

export async function updateWebhookEndpoint(input: z.output<typeof updateWebhookEndpointSchema>, actor: Actor, ip: string | null) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: input.endpointId },
      data: { url: input.url, description: input.description || null, events: input.events },
    });
    if (count === 0) throw new DomainError("This endpoint no longer exists.", "not_found");
    await recordAudit(
      { action: "webhook.endpoint_updated", actor, ip, subjectType: SUBJECT, subjectId: input.endpointId, details: { url: input.url, events: input.events } },
      tx,
    );
  });
  return { message: "Endpoint saved." };
}

/** A new secret; the old one keeps signing (as a second signature) for ROTATION_GRACE_MS so receivers can switch over. */
export async function rotateWebhookSecret(endpointId: string, actor: Actor, ip: string | null) {
  const secret = newWebhookSecret();
  await db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { secretSealed: true } });
    if (!endpoint) throw new DomainError("This endpoint no longer exists.", "not_found");
    await tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: { secretSealed: sealText(secret), previousSecretSealed: endpoint.secretSealed, previousSecretExpiresAt: new Date(Date.now() + ROTATION_GRACE_MS) },
    });
    await recordAudit({ action: "webhook.secret_rotated", actor, ip, subjectType: SUBJECT, subjectId: endpointId }, tx);
  });
  return { secret };
}

export async function setWebhookEndpointEnabled(endpointId: string, enabled: boolean, actor: Actor, ip: string | null) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId },
      data: enabled
        ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null }
        : { enabled: false, disabledReason: "Disabled by an admin", disabledAt: new Date() },
    });
    if (count === 0) throw new DomainError("This endpoint no longer exists.", "not_found");
    await recordAudit(
      { action: enabled ? "webhook.endpoint_enabled" : "webhook.endpoint_disabled", actor, ip, subjectType: SUBJECT, subjectId: endpointId },
      tx,
    );
  });
  return { message: enabled ? "Endpoint enabled." : "Endpoint disabled." };
}

export async function deleteWebhookEndpoint(endpointId: string, actor: Actor, ip: string | null) {
  await db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { url: true } });
    if (!endpoint) throw new DomainError("This endpoint no longer exists.", "not_found");
    await tx.webhookEndpoint.delete({ where: { id: endpointId } });
    // Deliveries still queued for it would only fail: drop them.
    await tx.outboxMessage.deleteMany({ where: { channel: "webhook", recipient: endpointId, status: { in: ["queued"] } } });
    await recordAudit({ action: "webhook.endpoint_deleted", actor, ip, subjectType: SUBJECT, subjectId: endpointId, details: { url: endpoint.url } }, tx);
  });
  return { message: "Endpoint deleted." };
}

/** A "ping" event to this endpoint alone, whatever it subscribes to: to check the receiver's signature code. */
export async function sendTestWebhook(endpointId: string, actor: Actor, ip: string | null) {
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true, enabled: true } });
  if (!endpoint) throw new DomainError("This endpoint no longer exists.", "not_found");
  if (!endpoint.enabled) throw new DomainError("Enable the endpoint before sending it a test event.", "conflict");
  await db.$transaction(async (tx) => {
    await enqueueWebhooks([{ endpointId, eventType: "ping", webhookId: newWebhookId(), payload: webhookPayload("ping", { endpointId }) }], tx);
    await recordAudit({ action: "webhook.test_sent", actor, ip, subjectType: SUBJECT, subjectId: endpointId }, tx);
  });
  return { message: "Test event queued: it appears in the delivery log below within seconds." };
}

/** Queues the delivery again with the same webhook-id and body (the receiver can tell it is the same event). */
export async function resendWebhook(endpointId: string, attemptId: bigint, actor: Actor, ip: string | null) {
  const attempt = await db.webhookDeliveryAttempt.findFirst({ where: { id: attemptId, endpointId }, select: { outboxMessageId: true } });
  if (!attempt) throw new DomainError("That delivery is not in this endpoint's log.", "not_found");
  const original = await db.outboxMessage.findUnique({ where: { id: attempt.outboxMessageId }, select: { subject: true, textBody: true, headers: true } });
  if (!original?.textBody) throw new DomainError("That delivery's event is no longer kept, so it cannot be resent.", "conflict");
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { enabled: true } });
  if (!endpoint?.enabled) throw new DomainError("Enable the endpoint before resending to it.", "conflict");
  const headers = (original.headers ?? {}) as Record<string, string>;
  await db.$transaction(async (tx) => {
    await enqueueWebhooks(
      [{ endpointId, eventType: original.subject ?? "unknown", webhookId: headers["webhook-id"] ?? newWebhookId(), payload: original.textBody as string }],
      tx,
    );
    await recordAudit({ action: "webhook.resent", actor, ip, subjectType: SUBJECT, subjectId: endpointId, details: { attemptId: attemptId.toString() } }, tx);
  });
  return { message: "Delivery queued again." };
}

export async function loadWebhookEndpoint(endpointId: string) {
  const endpoint = await db.webhookEndpoint.findUnique({
    where: { id: endpointId },
    select: {
      id: true,
      url: true,
      description: true,
      events: true,
      enabled: true,
      disabledReason: true,
      disabledAt: true,
      failingSince: true,
      previousSecretExpiresAt: true,
      createdAt: true,
    },
  });
  if (!endpoint) return null;
  const attempts = await db.webhookDeliveryAttempt.findMany({ where: { endpointId }, orderBy: { id: "desc" }, take: 50 });
  return { endpoint, attempts: attempts.map((attempt) => ({ ...attempt, id: attempt.id.toString() })) };
}

export async function setPrivateTargetsAllowed(allow: boolean, actor: Actor, ip: string | null) {
  await db.$transaction(async (tx) => {
    await tx.appSetting.upsert({
      where: { key: ALLOW_PRIVATE_TARGETS_KEY },
      create: { key: ALLOW_PRIVATE_TARGETS_KEY, value: allow },
      update: { value: allow },
    });
    await recordAudit({ action: "webhook.private_targets", actor, ip, details: { allowed: allow } }, tx);
  });
  return { message: allow ? "Webhooks may now reach private and loopback addresses." : "Webhooks may reach public addresses only." };
}
