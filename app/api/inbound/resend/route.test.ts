import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { newWebhookSecret, signWebhook } from "@/platform/webhook-signature";
import { messageId, passingAuth, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";

/**
 * A loopback stand-in for Resend's receiving API, reached through the real SDK via
 * RESEND_BASE_URL: GET /emails/receiving/:id, its attachments list, and the signed download URLs.
 */
type StoredEmail = { api: Record<string, unknown>; raw?: string; files?: Array<{ id: string; filename: string; contentType: string; content: Buffer }> };
const emails = new Map<string, StoredEmail>();
const fake = { outage: false, requests: [] as string[], authorization: [] as string[] };

function send(response: ServerResponse, status: number, body: unknown, type = "application/json") {
  response.writeHead(status, { "Content-Type": type });
  response.end(typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  const path = (request.url ?? "").split("?")[0]!;
  fake.requests.push(path);
  fake.authorization.push(request.headers.authorization ?? "");
  if (fake.outage) return send(response, 503, { name: "application_error", message: "Service unavailable", statusCode: 503 });
  let match = /^\/emails\/receiving\/([^/]+)$/.exec(path);
  if (match) {
    const email = emails.get(match[1]!);
    return email ? send(response, 200, email.api) : send(response, 404, { name: "not_found", message: "Email not found", statusCode: 404 });
  }
  match = /^\/emails\/receiving\/([^/]+)\/attachments$/.exec(path);
  if (match) {
    const files = emails.get(match[1]!)?.files ?? [];
    return send(response, 200, {
      object: "list",
      has_more: false,
      data: files.map((file) => ({
        id: file.id,
        filename: file.filename,
        size: file.content.length,
        content_type: file.contentType,
        content_disposition: "attachment",
        download_url: `${baseUrl}/files/${match![1]}/${file.id}`,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
      })),
    });
  }
  match = /^\/raw\/([^/]+)$/.exec(path);
  if (match) return send(response, 200, emails.get(match[1]!)?.raw ?? "", "message/rfc822");
  match = /^\/files\/([^/]+)\/([^/]+)$/.exec(path);
  if (match)
    return send(response, 200, emails.get(match[1]!)?.files?.find((file) => file.id === match![2])?.content ?? Buffer.alloc(0), "application/octet-stream");
  send(response, 404, { name: "not_found", message: "no route", statusCode: 404 });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const SECRET = newWebhookSecret();
process.env.RESEND_WEBHOOK_SECRET = SECRET;
process.env.RESEND_API_KEY = "re_test_inbound_key";
process.env.RESEND_BASE_URL = baseUrl;
const { POST } = await import("./route");
const { POST: POST_EVENTS } = await import("../../webhooks/resend/route");

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  fake.outage = false;
  fake.requests = [];
  fake.authorization = [];
});

const context = { params: Promise.resolve({}) };

function received(emailId: string) {
  return {
    type: "email.received",
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      created_at: new Date().toISOString(),
      from: "x",
      to: ["support@veridesk.test"],
      bcc: [],
      cc: [],
      received_for: [],
      message_id: "<x@y>",
      subject: "x",
      attachments: [],
    },
  };
}

function deliver(event: unknown, options: { id?: string; timestamp?: Date; secret?: string; route?: typeof POST } = {}) {
  const payload = JSON.stringify(event);
  const headers = {
    ...signWebhook({ secret: options.secret ?? SECRET, payload, id: options.id, timestamp: options.timestamp }),
    "Content-Type": "application/json",
  };
  return (options.route ?? POST)(new Request("http://localhost/api/inbound/resend", { method: "POST", headers, body: payload }), context);
}

function rawEmailWithRaw(domain: string, id: string) {
  const emailId = randomUUID();
  const raw = [
    `Authentication-Results: mx.resend.test; spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`,
    `From: Ada Lovelace <ada@${domain}>`,
    "To: support@veridesk.test",
    "Subject: Engine schematics",
    `Message-ID: ${id}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="zz"',
    "",
    "--zz",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Please see the attached notes.",
    "--zz",
    'Content-Type: text/plain; name="notes.txt"',
    'Content-Disposition: attachment; filename="notes.txt"',
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("note one").toString("base64"),
    "--zz--",
    "",
  ].join("\r\n");
  emails.set(emailId, {
    raw,
    api: {
      object: "email",
      id: emailId,
      to: ["support@veridesk.test"],
      from: `Ada Lovelace <ada@${domain}>`,
      created_at: new Date().toISOString(),
      subject: "Engine schematics",
      bcc: null,
      cc: null,
      reply_to: null,
      received_for: ["support@veridesk.test"],
      html: null,
      text: "Please see the attached notes.",
      headers: {},
      message_id: id,
      raw: { download_url: `${baseUrl}/raw/${emailId}`, expires_at: new Date(Date.now() + 3600_000).toISOString() },
      attachments: [{ id: "a1", filename: "notes.txt", size: 8, content_type: "text/plain", content_id: null, content_disposition: "attachment" }],
    },
  });
  return emailId;
}

describe("POST /api/inbound/resend", () => {
  it("fetches the received email through the SDK (raw MIME) and files it; a replay is acknowledged once", async () => {
    const domain = uniqueDomain();
    const id = messageId();
    const emailId = rawEmailWithRaw(domain, id);
    const svixId = `msg_${randomUUID()}`;
    const response = await deliver(received(emailId), { id: svixId });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ticket_created" });
    expect(fake.requests).toEqual([`/emails/receiving/${emailId}`, `/raw/${emailId}`]);
    expect(fake.authorization[0]).toBe("Bearer re_test_inbound_key");

    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { messageId: id }, include: { ticketMessage: { include: { attachments: true } } } });
    expect(inbound).toMatchObject({
      source: "resend",
      status: "accepted",
      fromAddress: `ada@${domain}`,
      fromName: "Ada Lovelace",
      subject: "Engine schematics",
      textBody: "Please see the attached notes.",
    });
    expect(inbound.authResults).toMatchObject({ spf: "pass", dkim: "pass", dmarc: "pass" });
    expect(inbound.ticketMessage?.attachments.map((a) => [a.filename, Buffer.from(a.content).toString()])).toEqual([["notes.txt", "note one"]]);
    expect(await db.webhookReceipt.findUnique({ where: { id: `resend-inbound:${svixId}` } })).toMatchObject({ type: "email.received" });

    const replay = await deliver(received(emailId), { id: svixId });
    expect(await replay.json()).toEqual({ status: "already_received", message: "already received" });
    // A different delivery of the same email (same Message-ID): still one ticket.
    const again = await deliver(received(emailId));
    expect(await again.json()).toEqual({ status: "already_received", message: "already received" });
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(1);
  });

  it("uses the parsed fields and downloads attachments when no raw copy is offered; HTML-only becomes text", async () => {
    const domain = uniqueDomain();
    const emailId = randomUUID();
    const id = messageId();
    emails.set(emailId, {
      api: {
        object: "email",
        id: emailId,
        to: ["support@veridesk.test"],
        from: `bob@${domain}`,
        created_at: new Date().toISOString(),
        subject: "Screenshot",
        bcc: null,
        cc: null,
        reply_to: null,
        received_for: [],
        html: "<p>See <b>attached</b></p><script>alert(1)</script>",
        text: null,
        headers: { "authentication-results": passingAuth(domain), "in-reply-to": "<nothing@known.example>" },
        message_id: id,
        raw: null,
        attachments: [{ id: "f1", filename: "shot.png", size: 4, content_type: "image/png", content_id: null, content_disposition: "attachment" }],
      },
      files: [{ id: "f1", filename: "shot.png", contentType: "image/png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }],
    });
    const response = await deliver(received(emailId));
    expect(await response.json()).toMatchObject({ status: "ticket_created" });
    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { messageId: id }, include: { ticketMessage: { include: { attachments: true } } } });
    expect(inbound.textBody).toBe("See attached");
    expect(inbound.inReplyTo).toBe("<nothing@known.example>");
    expect(inbound.ticketMessage?.attachments.map((a) => [a.filename, a.contentType, a.sizeBytes])).toEqual([["shot.png", "image/png", 4]]);
  });

  it("answers 502 and stores nothing while Resend cannot be reached, so the delivery is retried", async () => {
    const domain = uniqueDomain();
    const id = messageId();
    const emailId = rawEmailWithRaw(domain, id);
    const svixId = `msg_${randomUUID()}`;
    fake.outage = true;
    const failed = await deliver(received(emailId), { id: svixId });
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ error: expect.stringMatching(/retried/) });
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(0);
    expect(await db.webhookReceipt.count({ where: { id: `resend-inbound:${svixId}` } })).toBe(0);

    fake.outage = false;
    const retried = await deliver(received(emailId), { id: svixId });
    expect(await retried.json()).toMatchObject({ status: "ticket_created" });
  });

  it("refuses forged and stale deliveries with 401 without calling Resend", async () => {
    const emailId = rawEmailWithRaw(uniqueDomain(), messageId());
    expect((await deliver(received(emailId), { secret: newWebhookSecret() })).status).toBe(401);
    expect((await deliver(received(emailId), { timestamp: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    expect(fake.requests).toEqual([]);
  });

  it("acknowledges other event types, and answers 400 for an unusable email id", async () => {
    expect(await (await deliver({ type: "email.opened", data: { email_id: "x" } })).json()).toMatchObject({ status: "ignored" });
    const bad = await deliver(received("../../etc/passwd"));
    expect(bad.status).toBe(400);
    expect(fake.requests).toEqual([]);
  });

  it("also takes email.received on /api/webhooks/resend (one Resend webhook for everything)", async () => {
    const id = messageId();
    const emailId = rawEmailWithRaw(uniqueDomain(), id);
    const response = await deliver(received(emailId), { route: POST_EVENTS });
    expect(await response.json()).toMatchObject({ status: "ticket_created" });
    expect(await db.inboundEmail.count({ where: { messageId: id } })).toBe(1);
  });
});
