import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/platform/db/client";
import { newWebhookSecret, signWebhook } from "@/platform/webhook-signature";
import { bounceNoticeForTicket } from "@/features/tickets/bounce-notice";
import { pruneWebhookReceipts } from "@/features/tickets/delivery-events";
import { makeCustomer, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";

const SECRET = newWebhookSecret();
process.env.RESEND_WEBHOOK_SECRET = SECRET;
const { POST } = await import("./route");

const context = { params: Promise.resolve({}) };

afterEach(() => vi.restoreAllMocks());

function deliver(event: unknown, options: { id?: string; timestamp?: Date; secret?: string; signature?: string } = {}) {
  const payload = JSON.stringify(event);
  const headers: Record<string, string> = {
    ...signWebhook({ secret: options.secret ?? SECRET, payload, id: options.id, timestamp: options.timestamp }),
    "Content-Type": "application/json",
  };
  if (options.signature) headers["svix-signature"] = options.signature;
  return POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", headers, body: payload }), context);
}

function event(type: string, emailId: string, data: Record<string, unknown> = {}, createdAt = new Date()) {
  return {
    type,
    created_at: createdAt.toISOString(),
    data: { email_id: emailId, created_at: new Date(createdAt.getTime() - 1000).toISOString(), to: ["x@example.com"], ...data },
  };
}

/** A customer with several addresses, a ticket, and one agent reply sent through the outbox to `to`. */
async function sentReply(options: { to?: "primary" | "alias" } = {}) {
  const domain = uniqueDomain();
  const addresses = {
    primary: `Jane@${domain}`,
    verifiedAlias: `jane.work@${domain}`,
    unverifiedAlias: `jd@${domain}`,
    bouncingAlias: `old@${domain}`,
  };
  const customer = await makeCustomer([
    { address: addresses.primary, isPrimary: true },
    { address: addresses.verifiedAlias },
    { address: addresses.unverifiedAlias, verified: false },
    { address: addresses.bouncingAlias, deliverability: "bouncing" },
  ]);
  const to = options.to === "alias" ? addresses.verifiedAlias : addresses.primary;
  const ticket = await db.ticket.create({ data: { subject: "Printer", channel: "email", customerId: customer.id, requesterAddress: to } });
  const providerMessageId = randomUUID();
  const outbox = await db.outboxMessage.create({
    data: {
      channel: "email",
      kind: "ticket-reply",
      recipient: to,
      subject: "Re: [VD-1] Printer",
      textBody: "On it",
      status: "sent",
      provider: "resend",
      providerMessageId,
    },
  });
  const reply = await db.ticketMessage.create({
    data: { ticketId: ticket.id, kind: "public_reply", body: "On it", deliveryStatus: "sent", outboxMessageId: outbox.id },
  });
  return { customer, ticket, outbox, reply, providerMessageId, addresses, to };
}

const emailOf = (address: string) => db.customerEmail.findUniqueOrThrow({ where: { normalized: address.toLowerCase() } });
const replyOf = (id: string) => db.ticketMessage.findUniqueOrThrow({ where: { id } });
const bounce = { bounce: { message: "550 5.1.1 The email account that you tried to reach does not exist.", type: "Permanent", subType: "General" } };

describe("POST /api/webhooks/resend: signatures", () => {
  it("refuses a forged signature, a wrong secret and a stale timestamp with 401, applying nothing", async () => {
    const { providerMessageId, reply, to } = await sentReply();
    const forged = await deliver(event("email.bounced", providerMessageId, bounce), { signature: "v1,Zm9yZ2VkIHNpZ25hdHVyZSBmb3JnZWQgc2lnbmF0dXJlIQ==" });
    const wrongSecret = await deliver(event("email.bounced", providerMessageId, bounce), { secret: newWebhookSecret() });
    const stale = await deliver(event("email.bounced", providerMessageId, bounce), { timestamp: new Date(Date.now() - 6 * 60_000) });
    const future = await deliver(event("email.bounced", providerMessageId, bounce), { timestamp: new Date(Date.now() + 6 * 60_000) });
    for (const response of [forged, wrongSecret, stale, future]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "sent", deliveryDetail: null });
    expect(await emailOf(to)).toMatchObject({ deliverability: "unknown", bounceCount: 0 });
  });

  it("refuses an unsigned request with 401", async () => {
    const response = await POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body: "{}" }), context);
    expect(response.status).toBe(401);
  });

  it("acknowledges a replayed svix-id with 200 without applying it again", async () => {
    const { providerMessageId, to } = await sentReply();
    const id = `msg_${randomUUID()}`;
    const body = event("email.bounced", providerMessageId, bounce);
    const first = await deliver(body, { id });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: "applied" });
    const replay = await deliver(body, { id });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: "already_processed" });
    expect(await emailOf(to)).toMatchObject({ bounceCount: 1 });
  });

  it("applies a concurrent replay only once", async () => {
    const { providerMessageId, to, reply } = await sentReply();
    const id = `msg_${randomUUID()}`;
    const body = event("email.bounced", providerMessageId, bounce);
    const responses = await Promise.all([1, 2, 3, 4].map(() => deliver(body, { id })));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const statuses = (await Promise.all(responses.map((response) => response.json()))).map((json) => (json as { status: string }).status).sort();
    expect(statuses).toEqual(["already_processed", "already_processed", "already_processed", "applied"]);
    expect(await emailOf(to)).toMatchObject({ bounceCount: 1 });
    expect(await db.auditEvent.count({ where: { action: "email_delivery.bounced", subjectId: reply.id } })).toBe(1);
  });
});

describe("POST /api/webhooks/resend: events", () => {
  it("bounce: the address is bouncing, the reply bounced with the reason, and the notice offers the other addresses", async () => {
    const { providerMessageId, to, reply, ticket, addresses } = await sentReply();
    const at = new Date(Date.now() - 30_000);
    const response = await deliver(event("email.bounced", providerMessageId, bounce, at));
    expect(response.status).toBe(200);

    const address = await emailOf(to);
    expect(address).toMatchObject({ deliverability: "bouncing", bounceCount: 1 });
    expect(address.lastBouncedAt?.toISOString()).toBe(at.toISOString());
    expect(await replyOf(reply.id)).toMatchObject({
      deliveryStatus: "bounced",
      deliveryDetail: "550 5.1.1 The email account that you tried to reach does not exist. (Permanent, General)",
    });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "email_delivery.bounced", subjectId: reply.id } });
    // The append-only audit log holds ids, never the address (erasure could not reach it).
    expect(audit.details).toMatchObject({ providerMessageId });
    expect(JSON.stringify(audit.details)).not.toContain(to.split("@")[1]);

    const notice = await bounceNoticeForTicket(ticket.id);
    expect(notice).toEqual({
      ticketMessageId: reply.id,
      bouncedAddress: to,
      detail: "550 5.1.1 The email account that you tried to reach does not exist. (Permanent, General)",
      alternatives: [
        { address: addresses.verifiedAlias, isPrimary: false, verified: true },
        { address: addresses.unverifiedAlias, isPrimary: false, verified: false },
      ],
    });

    // A second bounce counts again.
    const second = await db.outboxMessage.create({
      data: { channel: "email", kind: "ticket-reply", recipient: to, status: "sent", provider: "resend", providerMessageId: randomUUID() },
    });
    await deliver(event("email.bounced", second.providerMessageId!, bounce));
    expect(await emailOf(to)).toMatchObject({ bounceCount: 2 });
  });

  it("bounce to an alias: the primary is proposed first among verified addresses", async () => {
    const { providerMessageId, ticket, addresses } = await sentReply({ to: "alias" });
    await deliver(event("email.bounced", providerMessageId, bounce));
    const notice = await bounceNoticeForTicket(ticket.id);
    expect(notice?.bouncedAddress).toBe(addresses.verifiedAlias);
    expect(notice?.alternatives).toEqual([
      { address: addresses.primary, isPrimary: true, verified: true },
      { address: addresses.unverifiedAlias, isPrimary: false, verified: false },
    ]);
  });

  it("delivered: the reply is delivered, the address delivering; a later delivered reply ends the bounce notice", async () => {
    const { providerMessageId, reply, to, ticket } = await sentReply();
    await deliver(event("email.delivered", providerMessageId));
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "delivered" });
    expect(await emailOf(to)).toMatchObject({ deliverability: "delivering" });
    expect(await bounceNoticeForTicket(ticket.id)).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "email_delivery.delivered", subjectId: reply.id } })).toBe(1);
  });

  it("delivered does not undo a bounce reported for a later moment, nor a bounced reply", async () => {
    const { providerMessageId, reply, to } = await sentReply();
    const bouncedAt = new Date();
    await deliver(event("email.bounced", providerMessageId, bounce, bouncedAt));
    await deliver(event("email.delivered", providerMessageId, {}, new Date(bouncedAt.getTime() - 60_000)));
    expect(await emailOf(to)).toMatchObject({ deliverability: "bouncing" });
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "bounced" });
  });

  it("a later delivery to a bouncing address makes it delivering again", async () => {
    const { providerMessageId, to } = await sentReply();
    await deliver(event("email.bounced", providerMessageId, bounce, new Date(Date.now() - 120_000)));
    const next = await db.outboxMessage.create({
      data: { channel: "email", kind: "ticket-reply", recipient: to, status: "sent", provider: "resend", providerMessageId: randomUUID() },
    });
    await deliver(event("email.delivered", next.providerMessageId!, {}, new Date()));
    expect(await emailOf(to)).toMatchObject({ deliverability: "delivering", bounceCount: 1 });
  });

  it("complaint: the address is complained, and a later delivery does not clear it", async () => {
    const { providerMessageId, reply, to } = await sentReply();
    await deliver(event("email.delivered", providerMessageId));
    await deliver(event("email.complained", providerMessageId));
    expect(await emailOf(to)).toMatchObject({ deliverability: "complained" });
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "delivered" });
    expect(await db.auditEvent.count({ where: { action: "email_delivery.complained", subjectId: reply.id } })).toBe(1);
    await deliver(event("email.delivered", providerMessageId));
    expect(await emailOf(to)).toMatchObject({ deliverability: "complained" });
  });

  it("sent, delivery_delayed and failed move the reply forward only", async () => {
    const { providerMessageId, reply } = await sentReply();
    await db.ticketMessage.update({ where: { id: reply.id }, data: { deliveryStatus: "queued" } });
    await deliver(event("email.sent", providerMessageId));
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "sent" });
    await deliver(event("email.delivery_delayed", providerMessageId));
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "sent", deliveryDetail: expect.stringMatching(/delayed/) });
    await deliver(event("email.delivered", providerMessageId));
    await deliver(event("email.sent", providerMessageId));
    expect(await replyOf(reply.id)).toMatchObject({ deliveryStatus: "delivered", deliveryDetail: null });

    const other = await sentReply();
    await deliver(event("email.failed", other.providerMessageId, { failed: { reason: "reached_daily_quota" } }));
    expect(await replyOf(other.reply.id)).toMatchObject({ deliveryStatus: "failed", deliveryDetail: "reached_daily_quota" });
  });

  it("acknowledges an unknown email id with 200, logs one line without the body, and changes nothing", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const id = `msg_${randomUUID()}`;
    const body = event("email.bounced", `unknown-${randomUUID()}`, { ...bounce, to: ["secret-person@example.com"] });
    const response = await deliver(body, { id });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "unknown_email" });
    await deliver(body, { id });
    expect(info).toHaveBeenCalledTimes(1);
    expect(String(info.mock.calls[0]![0])).not.toMatch(/secret-person|550/);
  });

  it("acknowledges event types it does not handle, and refuses a body that is not an event with 400", async () => {
    expect(await (await deliver({ type: "contact.created", data: {} })).json()).toEqual({ status: "ignored" });
    expect((await deliver(["not", "an", "event"])).status).toBe(400);
  });
});

describe("pruneWebhookReceipts", () => {
  it("deletes only receipts older than the retention", async () => {
    const old = await db.webhookReceipt.create({
      data: { id: `test:${randomUUID()}`, source: "test", type: "x", receivedAt: new Date(Date.now() - 8 * 24 * 3600_000) },
    });
    const recent = await db.webhookReceipt.create({ data: { id: `test:${randomUUID()}`, source: "test", type: "x" } });
    expect(await pruneWebhookReceipts(7)).toBeGreaterThanOrEqual(1);
    expect(await db.webhookReceipt.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db.webhookReceipt.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});
