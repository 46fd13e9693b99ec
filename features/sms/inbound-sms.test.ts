import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/platform/db/client";
import { deliverDueMessages, enqueueSms } from "@/platform/outbox/outbox";
import { isSmsOptedOut, SMS_OPTED_OUT_MESSAGE } from "@/platform/outbox/sms-opt-outs";
import type { OutgoingMessage, Transport } from "@/platform/outbox/transports/index";
import { twilioSignature } from "@/platform/sms/twilio-signature";
import { issueChallenge } from "@/features/verification/challenges";
import { listCodeChannels } from "@/features/callers/caller-verification";
import { EMPTY_TWIML, handleTwilioInboundSms, MAX_TWILIO_WEBHOOK_BYTES, smsKeyword } from "@/features/sms/inbound-sms";

const AUTH_TOKEN = "test-auth-token-0123456789abcdef";
const OUR_NUMBER = "+15005550006";
const PUBLIC_URL = "https://help.example.test/api/webhooks/twilio/sms";
const config = { authToken: AUTH_TOKEN, fromNumber: OUR_NUMBER, publicUrl: PUBLIC_URL };

/** A random UK mobile number, so that tests never share one. */
const mobile = () => `+447700${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, "0")}`;
const sid = () => `SM${randomBytes(16).toString("hex")}`;

function post(
  fields: Record<string, string>,
  options: { url?: string; signedUrl?: string; token?: string; signature?: string | null; contentType?: string } = {},
) {
  const params = new URLSearchParams(fields);
  const signature = options.signature === undefined ? twilioSignature(options.token ?? AUTH_TOKEN, options.signedUrl ?? PUBLIC_URL, params) : options.signature;
  const headers: Record<string, string> = { "Content-Type": options.contentType ?? "application/x-www-form-urlencoded" };
  if (signature !== null) headers["X-Twilio-Signature"] = signature;
  return handleTwilioInboundSms(
    new Request(options.url ?? "http://127.0.0.1:3000/api/webhooks/twilio/sms", { method: "POST", headers, body: params.toString() }),
    config,
  );
}

const text = (from: string, body: string, messageSid = sid()) => ({
  MessageSid: messageSid,
  SmsSid: messageSid,
  AccountSid: "ACtest",
  From: from,
  To: OUR_NUMBER,
  Body: body,
  NumMedia: "0",
});

describe("smsKeyword", () => {
  it("knows Twilio's keywords, in any case, only as the whole text", () => {
    for (const word of ["STOP", "stop", " Stop ", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]) expect(smsKeyword(word)).toBe("stop");
    for (const word of ["START", "unstop", "YES"]) expect(smsKeyword(word)).toBe("start");
    for (const word of ["HELP", "info"]) expect(smsKeyword(word)).toBe("help");
    for (const word of ["stop texting me", "NO", "123456", ""]) expect(smsKeyword(word)).toBeNull();
  });
});

describe("the Twilio inbound SMS webhook", () => {
  it("stores a signed text and answers with empty TwiML, keeping the body out of the logs", async () => {
    const log = vi.spyOn(console, "info");
    const warn = vi.spyOn(console, "warn");
    const from = mobile();
    const fields = text(from, "My secret reply 424242");
    const response = await post(fields);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(await response.text()).toBe(EMPTY_TWIML);
    const stored = await db.inboundSms.findUniqueOrThrow({ where: { messageSid: fields.MessageSid } });
    expect(stored).toMatchObject({ fromE164: from, toE164: OUR_NUMBER, body: "My secret reply 424242", keyword: null });
    const logged = JSON.stringify([...log.mock.calls, ...warn.mock.calls]);
    expect(logged).not.toContain("424242");
    expect(logged).not.toContain(from);
    vi.restoreAllMocks();
  });

  it("verifies the signature over a query string too", async () => {
    const fields = text(mobile(), "hello");
    const response = await post(fields, { url: "http://internal:3000/api/webhooks/twilio/sms?x=1", signedUrl: `${PUBLIC_URL}?x=1` });
    expect(response.status).toBe(200);
  });

  it.each([
    ["no signature", { signature: null }],
    ["a wrong signature", { signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" }],
    ["another auth token", { token: "another-token-0123456789abcdef00" }],
    ["another URL", { signedUrl: "https://evil.example.test/api/webhooks/twilio/sms" }],
    ["the internal URL instead of the public one", { signedUrl: "http://127.0.0.1:3000/api/webhooks/twilio/sms" }],
  ])("refuses %s with 403 and stores nothing", async (_, options) => {
    const fields = text(mobile(), "STOP");
    const response = await post(fields, options);
    expect(response.status).toBe(403);
    expect(await db.inboundSms.findUnique({ where: { messageSid: fields.MessageSid } })).toBeNull();
    expect(await isSmsOptedOut(fields.From)).toBe(false);
  });

  it("refuses a signed request whose parameters were changed after signing", async () => {
    const fields = text(mobile(), "hello");
    const signature = twilioSignature(AUTH_TOKEN, PUBLIC_URL, new URLSearchParams(fields));
    const response = await post({ ...fields, Body: "STOP" }, { signature });
    expect(response.status).toBe(403);
    expect(await isSmsOptedOut(fields.From)).toBe(false);
  });

  it.each(["MessageSid", "From", "To", "Body"])("refuses a signed request without %s (400)", async (missing) => {
    const fields: Record<string, string> = text(mobile(), "hello");
    delete fields[missing];
    if (missing === "MessageSid") delete fields.SmsSid;
    expect((await post(fields)).status).toBe(400);
  });

  it("refuses a signed text to a number that is not ours (403)", async () => {
    const fields = { ...text(mobile(), "STOP"), To: "+15005550001" };
    expect((await post(fields)).status).toBe(403);
    expect(await isSmsOptedOut(fields.From)).toBe(false);
  });

  it("refuses anything but a form POST, and everything when SMS is not configured", async () => {
    expect((await post(text(mobile(), "hi"), { contentType: "application/json" })).status).toBe(415);
    const unconfigured = await handleTwilioInboundSms(new Request("http://x/", { method: "POST", body: "" }), { ...config, authToken: undefined });
    expect(unconfigured.status).toBe(503);
  });

  it("refuses a chunked body past the bound as it streams (413), before any signature check", async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
        if (sent > 4 * MAX_TWILIO_WEBHOOK_BYTES) controller.close();
      },
    });
    const request = new Request(PUBLIC_URL, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: endless,
      duplex: "half",
    } as RequestInit);
    expect((await handleTwilioInboundSms(request, config)).status).toBe(413);
    expect(sent).toBeLessThanOrEqual(MAX_TWILIO_WEBHOOK_BYTES + 3 * 16 * 1024);
  });

  it("ignores a replayed MessageSid: a STOP replayed after START does not opt out again", async () => {
    const from = mobile();
    const stop = text(from, "STOP");
    expect((await post(stop)).status).toBe(200);
    expect(await isSmsOptedOut(from)).toBe(true);
    expect((await post(text(from, "START"))).status).toBe(200);
    expect(await isSmsOptedOut(from)).toBe(false);

    const replay = await post(stop);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe(EMPTY_TWIML);
    expect(await isSmsOptedOut(from)).toBe(false);
    expect(await db.inboundSms.count({ where: { messageSid: stop.MessageSid } })).toBe(1);
  });

  it("audits opt-out and opt-in with ids only", async () => {
    const from = mobile();
    const stop = text(from, "unsubscribe");
    await post(stop);
    const stored = await db.inboundSms.findUniqueOrThrow({ where: { messageSid: stop.MessageSid } });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "sms.opted_out", subjectId: stored.id } });
    expect(audit.details).toEqual({ inboundSmsId: stored.id });
    expect(JSON.stringify(audit, (_, value) => (typeof value === "bigint" ? String(value) : value))).not.toContain(from.slice(1));
  });
});

describe("an opted-out number gets no texts", () => {
  function recordingTransport() {
    const sent: OutgoingMessage[] = [];
    const transport: Transport = {
      name: "fake-sms",
      async send(message) {
        sent.push(message);
        return { providerMessageId: randomUUID() };
      },
    };
    return { sent, transport };
  }

  it("STOP: the outbox fails the text with the reason; START: it is sent again", async () => {
    const from = mobile();
    await post(text(from, "Stop"));
    const sms = recordingTransport();

    const refused = await enqueueSms({ kind: "test_notice", to: from, text: "Your ticket was answered" });
    await deliverDueMessages({ onlyIds: [refused.id], transports: { sms: sms.transport } });
    const failed = await db.outboxMessage.findUniqueOrThrow({ where: { id: refused.id } });
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toBe(`Not sent: ${SMS_OPTED_OUT_MESSAGE}`);
    expect(sms.sent).toHaveLength(0);

    await post(text(from, "START"));
    const allowed = await enqueueSms({ kind: "test_notice", to: from, text: "Your ticket was answered" });
    await deliverDueMessages({ onlyIds: [allowed.id], transports: { sms: sms.transport } });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: allowed.id } })).status).toBe("sent");
    expect(sms.sent.map((message) => message.recipient)).toEqual([from]);
  });

  it("the code engine refuses to text a code to an opted-out number, and says why", async () => {
    const from = mobile();
    const user = await db.user.create({ data: { email: `sms-${randomUUID()}@example.test`, name: "Texter", role: "customer", passwordHash: "x" } });
    await post(text(from, "STOPALL"));
    const refused = await issueChallenge({ purpose: "phone_verification", channel: "sms", target: from, userId: user.id, requestIp: "203.0.113.77" });
    expect(refused).toEqual({ ok: false, reason: "opted_out", message: SMS_OPTED_OUT_MESSAGE });
    expect(SMS_OPTED_OUT_MESSAGE).toContain("opted out of texts (replied STOP)");
    expect(await db.verificationChallenge.count({ where: { userId: user.id } })).toBe(0);

    await post(text(from, "unstop"));
    const issued = await issueChallenge({ purpose: "phone_verification", channel: "sms", target: from, userId: user.id, requestIp: "203.0.113.77" });
    expect(issued.ok).toBe(true);
  });

  it("the caller check lists an opted-out mobile as such", async () => {
    const from = mobile();
    const customer = await db.customer.create({
      data: { accountNumber: `SMS-${randomUUID().slice(0, 8)}`, name: "Texter", phones: { create: { e164: from, kind: "mobile", verifiedAt: new Date() } } },
    });
    expect((await listCodeChannels(customer.id)).find((channel) => channel.channel === "sms")?.optedOut).toBeUndefined();
    await post(text(from, "QUIT"));
    expect((await listCodeChannels(customer.id)).find((channel) => channel.channel === "sms")).toMatchObject({ optedOut: true });
  });
});
