import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/platform/db/client";
import { getDevMailboxMessage, listDevMailbox } from "@/platform/outbox/dev-mailbox";
import { deliverDueMessages, enqueueEmail, enqueueSms } from "@/platform/outbox/outbox";
import { createDevMailboxTransport } from "@/platform/outbox/transports/index";

// vitest.config.mts runs the tests in demo mode without provider keys, so the configured
// transport for both channels is the development mailbox.

beforeEach(async () => {
  await db.outboxMessage.deleteMany();
  await db.devMailboxMessage.deleteMany();
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("development mailbox", () => {
  it("receives email and SMS when no provider is configured, codes readable only there", async () => {
    const mail = await enqueueEmail({
      kind: "verification-code",
      to: "Ada@Example.com",
      subject: "Your code",
      html: "<p>Your code is <b>483920</b></p>",
      sensitive: true,
    });
    const text = await enqueueSms({ kind: "verification-code", to: "+447700900123", text: "Veridesk code: 771204", sensitive: true });

    expect(await deliverDueMessages()).toMatchObject({ claimed: 2, sent: 2 });

    const emails = await listDevMailbox({ recipient: "ada@example.com" });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      channel: "email",
      recipient: "Ada@Example.com",
      sender: "Veridesk Support <support@veridesk.localhost>",
      subject: "Your code",
      htmlBody: "<p>Your code is <b>483920</b></p>",
      // HTML-only email: a text version is derived for the list.
      textBody: "Your code is 483920",
      outboxMessageId: mail.id,
    });
    const texts = await listDevMailbox({ channel: "sms" });
    expect(texts.map((message) => [message.recipient, message.textBody, message.outboxMessageId])).toEqual([
      ["+447700900123", "Veridesk code: 771204", text.id],
    ]);

    const outbox = await db.outboxMessage.findUniqueOrThrow({ where: { id: mail.id } });
    expect(outbox).toMatchObject({ status: "sent", provider: "dev-mailbox", providerMessageId: emails[0]!.id, htmlBody: null });
    expect(await getDevMailboxMessage(emails[0]!.id)).toMatchObject({ id: emails[0]!.id, subject: "Your code" });
  });

  it("lists newest first, honours take, and finds nothing for unknown or malformed ids", async () => {
    for (let i = 0; i < 3; i += 1) await enqueueSms({ kind: "notice", to: "+447700900123", text: `message ${i}` });
    await deliverDueMessages();
    const all = await listDevMailbox();
    expect(all).toHaveLength(3);
    expect(all[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(all[2]!.createdAt.getTime());
    expect(await listDevMailbox({ take: 2 })).toHaveLength(2);
    expect(await listDevMailbox({ recipient: "+15550000000" })).toEqual([]);
    expect(await getDevMailboxMessage("00000000-0000-7000-8000-000000000000")).toBeNull();
    expect(await getDevMailboxMessage("../../etc/passwd")).toBeNull();
  });

  it("stores a message once even if a retry after a crash sends it again", async () => {
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    const transport = createDevMailboxTransport({ emailSender: "support@veridesk.test", smsSender: "Veridesk" });
    const message = {
      id: row.id,
      channel: "sms" as const,
      kind: "notice",
      recipient: "+447700900123",
      subject: null,
      textBody: "hello",
      htmlBody: null,
      headers: {},
    };
    const first = await transport.send(message);
    const second = await transport.send(message);
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(await db.devMailboxMessage.count()).toBe(1);
  });

  it("refuses to read outside demo mode", async () => {
    vi.stubEnv("VERIDESK_DEMO", "0");
    vi.stubEnv("NEXTAUTH_URL", "https://help.example.com");
    vi.stubEnv("RESEND_API_KEY", "re_test_123");
    vi.stubEnv("TWILIO_ACCOUNT_SID", "AC" + "a".repeat(32));
    vi.stubEnv("TWILIO_AUTH_TOKEN", "t".repeat(32));
    vi.stubEnv("TWILIO_FROM_NUMBER", "+15005550006");
    vi.resetModules(); // platform/env caches the environment it validated first
    const production = await import("@/platform/outbox/dev-mailbox");
    await expect(production.listDevMailbox()).rejects.toThrow(production.DevMailboxUnavailableError);
    await expect(production.getDevMailboxMessage("00000000-0000-7000-8000-000000000000")).rejects.toThrow(/only available in demo mode/);
  });
});
