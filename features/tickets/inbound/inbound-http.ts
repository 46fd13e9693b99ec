import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { verifyWebhookSignature } from "@/platform/webhook-signature";
import { db } from "@/platform/db/client";
import { ticketReference } from "@/features/tickets/labels";
import { InboundEmailError, receiveInboundEmail, type InboundOutcome } from "@/features/tickets/inbound/inbound";
import { isUniqueViolation } from "@/platform/db/errors";
import { parseInboundJson } from "@/features/tickets/inbound/inbound-json";
import { parseRawEmail } from "@/features/tickets/inbound/inbound-mime";
import { fetchResendReceivedEmail } from "@/features/tickets/inbound/inbound-resend";

/**
 * The HTTP side of email in and of provider webhooks: body limits, the gateway's bearer secret,
 * Svix signatures, and turning outcomes and refusals into JSON answers. The route files under
 * app/api only pass the configuration in.
 *
 * Every refusal is `{ "error": "<one sentence>" }` with 400 (bad input), 401 (not
 * authenticated), 413 (too large), 415 (wrong content type), 502 (provider unreachable: retry)
 * or 503 (not configured). Every 200 means the email is stored.
 */

const MB = 1024 * 1024;
/** Gateway requests: 25 MB of attachments base64-encoded (~33 MB) plus bodies and headers. */
export const MAX_INBOUND_REQUEST_BYTES = 40 * MB;
/** Signed webhook notifications are small JSON documents. */
export const MAX_WEBHOOK_BYTES = 1 * MB;

export function errorResponse(status: number, error: string, headers?: HeadersInit): Response {
  return Response.json({ error }, { status, headers });
}

class BodyTooLargeError extends InboundEmailError {
  constructor(maxBytes: number) {
    super(`The request body is larger than ${Math.round(maxBytes / MB)} MB.`, 413);
  }
}

/** The request body, refusing (413) more than `maxBytes` without reading it all first. */
export async function readRequestBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  // Something in front of the handler cut the body short (Next's proxy buffers request bodies
  // and silently truncates them past its limit): refuse rather than store half an email.
  if (Number.isFinite(declared) && declared > 0 && size < declared) {
    throw new InboundEmailError(`The request body arrived incomplete (${size} of ${declared} bytes); nothing was stored. Send it again.`, 413);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** `Authorization: Bearer <secret>`, compared in constant time. */
export function hasBearerSecret(request: Request, secret: string): boolean {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  // Compare even when absent, so both paths take the same time.
  return sameSecret(match?.[1] ?? "", secret) && match !== null;
}

export function outcomeResponse(outcome: InboundOutcome): Response {
  switch (outcome.status) {
    case "ticket_created":
      return Response.json({ status: outcome.status, ticket: ticketReference(outcome.ticketNumber) });
    case "message_added":
      return Response.json({ status: outcome.status, ticket: ticketReference(outcome.ticketNumber), reopened: outcome.reopened });
    case "held":
      return Response.json({ status: outcome.status, message: "Stored and held for an agent: the sender's address could not be authenticated." });
    case "already_received":
      return Response.json({ status: outcome.status, message: "already received" });
  }
}

function failure(error: unknown, where: string): Response {
  if (error instanceof InboundEmailError) return errorResponse(error.status, error.message);
  // Never log the email itself; the name and the last line of the error are enough to start.
  const reason = error instanceof Error ? `${error.name}: ${error.message.split("\n").filter(Boolean).at(-1) ?? ""}` : String(error);
  console.error(`[${where}] request failed: ${reason}`);
  return errorResponse(500, "The request could not be processed and nothing was kept; send it again.");
}

// ───────────────────────────── Generic mail gateway: /api/inbound ─────────────────────────────

export async function handleGatewayInbound(request: Request, config: { secret: string | undefined }): Promise<Response> {
  if (!config.secret)
    return errorResponse(503, "inbound email is not configured: set INBOUND_EMAIL_SECRET on the server and give the mail gateway the same value.");
  if (!hasBearerSecret(request, config.secret)) {
    return errorResponse(401, "Missing or wrong inbound email secret (Authorization: Bearer <INBOUND_EMAIL_SECRET>).", { "WWW-Authenticate": "Bearer" });
  }
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json" && mediaType !== "message/rfc822") {
    return errorResponse(415, "Send the email as application/json or as raw MIME with Content-Type: message/rfc822.");
  }
  try {
    const body = await readRequestBody(request, MAX_INBOUND_REQUEST_BYTES);
    const email = mediaType === "application/json" ? parseInboundJson(Buffer.from(body).toString("utf8")) : await parseRawEmail(body, "mime");
    return outcomeResponse(await receiveInboundEmail(email));
  } catch (error) {
    return failure(error, "inbound");
  }
}

// ───────────────────────────── Signed webhooks (Resend) ─────────────────────────────

export type SignedWebhook = { ok: true; id: string; payload: string } | { ok: false; response: Response };

/** Reads and verifies a Svix-signed delivery; on refusal, the response to send (401 / 413 / 503). */
export async function readSignedWebhook(request: Request, config: { secret: string | undefined; now?: Date; what: string }): Promise<SignedWebhook> {
  if (!config.secret)
    return { ok: false, response: errorResponse(503, `${config.what} are not configured: set RESEND_WEBHOOK_SECRET to the endpoint's signing secret.`) };
  let payload: string;
  try {
    payload = Buffer.from(await readRequestBody(request, MAX_WEBHOOK_BYTES)).toString("utf8");
  } catch (error) {
    return { ok: false, response: failure(error, "webhooks") };
  }
  const verified = verifyWebhookSignature({ secret: config.secret, payload, headers: request.headers, now: config.now });
  if (!verified.ok) return { ok: false, response: errorResponse(401, verified.message) };
  return { ok: true, id: verified.id, payload };
}

/** Records a delivery we acknowledge without acting on; false when it was already recorded. */
export async function recordReceipt(receipt: { id: string; source: string; type: string }): Promise<boolean> {
  try {
    await db.webhookReceipt.create({ data: receipt });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

const receivedEvent = z.object({
  type: z.string().max(100),
  data: z
    .object({ email_id: z.string().max(200).optional() })
    .passthrough()
    .optional(),
});

export type ResendReceivedEvent = z.infer<typeof receivedEvent>;

export const RESEND_INBOUND_RECEIPT_SOURCE = "resend-inbound";

/**
 * A verified "email.received" event: fetch the email through the SDK, store and file it with
 * the delivery's receipt in the same transaction. Also used by /api/webhooks/resend, so one
 * Resend webhook (one signing secret) can carry both delivery events and received email.
 */
export async function processResendReceivedEvent(svixId: string, event: ResendReceivedEvent, config: { apiKey: string | undefined }): Promise<Response> {
  const receipt = { id: `${RESEND_INBOUND_RECEIPT_SOURCE}:${svixId}`, source: RESEND_INBOUND_RECEIPT_SOURCE, type: event.type };
  if (await db.webhookReceipt.findUnique({ where: { id: receipt.id }, select: { id: true } })) {
    return Response.json({ status: "already_received", message: "already received" });
  }
  if (!config.apiKey) return errorResponse(503, "Received emails cannot be fetched: RESEND_API_KEY is not set.");
  const emailId = event.data?.email_id;
  if (!emailId) return errorResponse(400, "The email.received event names no email_id.");
  try {
    const email = await fetchResendReceivedEmail(emailId, { apiKey: config.apiKey });
    return outcomeResponse(await receiveInboundEmail(email, { receipt }));
  } catch (error) {
    return failure(error, "inbound/resend");
  }
}

/** Resend's "email.received" webhook: /api/inbound/resend. Other event types are acknowledged and ignored. */
export async function handleResendInbound(
  request: Request,
  config: { webhookSecret: string | undefined; apiKey: string | undefined; now?: Date },
): Promise<Response> {
  const signed = await readSignedWebhook(request, { secret: config.webhookSecret, now: config.now, what: "Resend inbound webhooks" });
  if (!signed.ok) return signed.response;
  let event: ResendReceivedEvent;
  try {
    event = receivedEvent.parse(JSON.parse(signed.payload));
  } catch {
    return errorResponse(400, "The webhook body is not a Resend event.");
  }
  if (event.type !== "email.received") {
    await recordReceipt({ id: `${RESEND_INBOUND_RECEIPT_SOURCE}:${signed.id}`, source: RESEND_INBOUND_RECEIPT_SOURCE, type: event.type });
    return Response.json({ status: "ignored", message: `Events of type ${event.type} are not handled here.` });
  }
  return processResendReceivedEvent(signed.id, event, { apiKey: config.apiKey });
}
