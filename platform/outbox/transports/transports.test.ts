import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startFakeProviders, type FakeProviders } from "@/e2e/fixtures/fake-providers";
import { db } from "@/platform/db/client";
import { deliverDueMessages, enqueueEmail, enqueueSms } from "@/platform/outbox/outbox";
import {
  createResendTransport,
  createTwilioTransport,
  DeliveryError,
  transportFor,
  TransportNotConfiguredError,
  type OutgoingMessage,
} from "@/platform/outbox/transports/index";
import { parseServerEnv } from "@/platform/env";

const ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
const SECRET = "transport-test-secret-0123456789abcdef";

let fake: FakeProviders;

beforeAll(async () => {
  fake = await startFakeProviders();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  fake.clear();
  fake.setOutage(false);
  await db.outboxMessage.deleteMany();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function email(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: crypto.randomUUID(),
    channel: "email",
    kind: "ticket-reply",
    recipient: "ada@example.com",
    subject: "Re: [#12] Printer on fire",
    textBody: "We are on it.",
    htmlBody: "<p>We are on it.</p>",
    headers: { "Message-ID": "<r1@veridesk.test>", "In-Reply-To": "<q1@example.com>", References: "<q1@example.com>" },
    ...overrides,
  };
}

function sms(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: crypto.randomUUID(),
    channel: "sms",
    kind: "verification-code",
    recipient: "+447700900123",
    subject: null,
    textBody: "Veridesk code: 771204",
    htmlBody: null,
    headers: {},
    ...overrides,
  };
}

async function sendError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

const resend = () => createResendTransport({ apiKey: "re_test_123", from: "Veridesk Support <support@veridesk.test>", baseUrl: fake.url });
const twilio = (overrides: { accountSid?: string; baseUrl?: string } = {}) =>
  createTwilioTransport({ accountSid: ACCOUNT_SID, authToken: "t".repeat(32), fromNumber: "+15005550006", baseUrl: fake.url, ...overrides });

describe("Resend transport (real SDK against the loopback fake)", () => {
  it("sends recipient, sender, subject, both bodies and threading headers", async () => {
    const message = email();
    const { providerMessageId } = await resend().send(message);

    const [received] = fake.emails();
    expect(fake.emails()).toHaveLength(1);
    expect(received).toMatchObject({
      id: providerMessageId,
      from: "Veridesk Support <support@veridesk.test>",
      to: ["ada@example.com"],
      subject: "Re: [#12] Printer on fire",
      text: "We are on it.",
      html: "<p>We are on it.</p>",
      headers: { "Message-ID": "<r1@veridesk.test>", "In-Reply-To": "<q1@example.com>", References: "<q1@example.com>" },
      idempotencyKey: `outbox-${message.id}`,
    });
  });

  it("sends under the message's display name, keeping the configured address", async () => {
    await resend().send(email({ senderName: 'Dana "D" O\'Brien from Veridesk Support' }));
    expect(fake.emails()[0]!.from).toBe('"Dana \\"D\\" O\'Brien from Veridesk Support" <support@veridesk.test>');
  });

  it("sends a text-only email without an html field", async () => {
    await resend().send(email({ htmlBody: null, headers: {} }));
    expect(fake.emails()[0]).toMatchObject({ text: "We are on it.", html: null, headers: {} });
  });

  it("does not send one outbox message twice when retried (idempotency key)", async () => {
    const message = email();
    const first = await resend().send(message);
    const second = await resend().send(message);
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(fake.emails()).toHaveLength(1);
  });

  it("reads RESEND_BASE_URL from the environment when no base URL is given (SDK behaviour)", async () => {
    vi.stubEnv("RESEND_BASE_URL", fake.url);
    try {
      await createResendTransport({ apiKey: "re_test_123", from: "support@veridesk.test" }).send(email());
    } finally {
      vi.unstubAllEnvs();
    }
    expect(fake.emails()).toHaveLength(1);
  });

  it("reports an outage as retryable and a rejected key or request as permanent", async () => {
    fake.setOutage(true);
    const outage = await sendError(resend().send(email()));
    expect(outage.retryable).toBe(true);
    expect(outage.message).toMatch(/^Resend 503 application_error/);
    fake.setOutage(false);

    const badKey = await sendError(createResendTransport({ apiKey: "sk_not_resend", from: "support@veridesk.test", baseUrl: fake.url }).send(email()));
    expect(badKey.retryable).toBe(false);
    expect(badKey.message).toMatch(/invalid_api_key/);

    const badRecipient = await sendError(resend().send(email({ recipient: "nobody" })));
    expect(badRecipient.retryable).toBe(false);
    expect(badRecipient.message).toMatch(/^Resend 422 validation_error/);
    expect(fake.emails()).toHaveLength(0);
  });

  it("reports an unreachable provider as retryable", async () => {
    const closed = await startFakeProviders();
    await closed.close();
    const error = await sendError(createResendTransport({ apiKey: "re_test_123", from: "support@veridesk.test", baseUrl: closed.url }).send(email()));
    expect(error.retryable).toBe(true);
  });

  it("refuses SMS", async () => {
    expect((await sendError(resend().send(sms()))).retryable).toBe(false);
  });
});

describe("Twilio transport (Messages API over fetch against the loopback fake)", () => {
  it("posts To, From and Body with basic auth and returns the message sid", async () => {
    const { providerMessageId } = await twilio().send(sms());
    expect(providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.sms()).toEqual([
      expect.objectContaining({ sid: providerMessageId, accountSid: ACCOUNT_SID, to: "+447700900123", from: "+15005550006", body: "Veridesk code: 771204" }),
    ]);
  });

  it("maps 4xx to permanent errors without echoing the body, 5xx and network failures to retryable", async () => {
    const invalid = await sendError(twilio().send(sms({ recipient: "+12" })));
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toMatch(/^Twilio 400 \(code 21211\)/);
    expect(invalid.message).not.toContain("771204");

    // Bad credentials: the fake, like Twilio, answers 401 with code 20003.
    const unauthorised = await sendError(
      createTwilioTransport({ accountSid: ACCOUNT_SID, authToken: "", fromNumber: "+15005550006", baseUrl: fake.url }).send(sms()),
    );
    expect(unauthorised.retryable).toBe(false);
    expect(unauthorised.message).toMatch(/^Twilio 401 \(code 20003\)/);

    fake.setOutage(true);
    const outage = await sendError(twilio().send(sms()));
    expect(outage.retryable).toBe(true);
    expect(outage.message).toMatch(/^Twilio 503/);
    fake.setOutage(false);

    const closed = await startFakeProviders();
    await closed.close();
    const unreachable = await sendError(twilio({ baseUrl: closed.url }).send(sms()));
    expect(unreachable.retryable).toBe(true);
    expect(fake.sms()).toHaveLength(0);
  });

  it("refuses email", async () => {
    expect((await sendError(twilio().send(email()))).retryable).toBe(false);
  });
});

describe("transportFor", () => {
  const demo = parseServerEnv({ VERIDESK_DEMO: "1", NEXTAUTH_SECRET: SECRET });
  const configured = parseServerEnv({
    VERIDESK_DEMO: "1",
    NEXTAUTH_SECRET: SECRET,
    RESEND_API_KEY: "re_test_123",
    RESEND_BASE_URL: "http://127.0.0.1:1",
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: "t".repeat(32),
    TWILIO_FROM_NUMBER: "+15005550006",
  });

  it("uses the providers whose keys are set, even in demo mode", () => {
    expect(transportFor("email", configured).name).toBe("resend");
    expect(transportFor("sms", configured).name).toBe("twilio");
  });

  it("falls back to the development mailbox only in demo mode", () => {
    expect(transportFor("email", demo).name).toBe("dev-mailbox");
    expect(transportFor("sms", demo).name).toBe("dev-mailbox");
    const production = { ...demo, VERIDESK_DEMO: false };
    expect(() => transportFor("email", production)).toThrow(TransportNotConfiguredError);
    expect(() => transportFor("sms", production)).toThrow(/TWILIO_ACCOUNT_SID/);
  });
});

describe("outbox through the real transports", () => {
  it("rides out a provider outage and then delivers email and SMS to the providers", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const env = parseServerEnv({
      VERIDESK_DEMO: "0",
      NEXTAUTH_SECRET: SECRET,
      NEXTAUTH_URL: "https://help.example.com",
      EMAIL_FROM: "Veridesk Support <support@veridesk.test>",
      RESEND_API_KEY: "re_test_123",
      RESEND_BASE_URL: fake.url,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: "t".repeat(32),
      TWILIO_FROM_NUMBER: "+15005550006",
      TWILIO_BASE_URL: fake.url,
    });
    const transports = { email: transportFor("email", env), sms: transportFor("sms", env) };
    const mail = await enqueueEmail({
      kind: "verification-code",
      to: "ada@example.com",
      subject: "Your Veridesk code",
      text: "Your code is 483920",
      sensitive: true,
    });
    const text = await enqueueSms({ kind: "verification-code", to: "+447700900123", text: "Veridesk code: 771204", sensitive: true });

    fake.setOutage(true);
    const now = new Date();
    expect(await deliverDueMessages({ transports, now })).toMatchObject({ claimed: 2, retrying: 2 });
    expect(fake.emails()).toHaveLength(0);
    expect(await db.outboxMessage.findMany({ select: { status: true, attempts: true }, orderBy: { channel: "asc" } })).toEqual([
      { status: "queued", attempts: 1 },
      { status: "queued", attempts: 1 },
    ]);

    fake.setOutage(false);
    const rows = await db.outboxMessage.findMany();
    const afterBackoff = new Date(Math.max(...rows.map((row) => row.nextAttemptAt.getTime())) + 1);
    expect(await deliverDueMessages({ transports, now: afterBackoff })).toMatchObject({ claimed: 2, sent: 2 });

    expect(fake.emails({ to: "ada@example.com" })).toEqual([
      expect.objectContaining({
        to: ["ada@example.com"],
        subject: "Your Veridesk code",
        text: "Your code is 483920",
        from: "Veridesk Support <support@veridesk.test>",
      }),
    ]);
    expect(fake.sms({ to: "+447700900123" })).toEqual([expect.objectContaining({ body: "Veridesk code: 771204", from: "+15005550006" })]);
    const sentMail = await db.outboxMessage.findUniqueOrThrow({ where: { id: mail.id } });
    const sentText = await db.outboxMessage.findUniqueOrThrow({ where: { id: text.id } });
    expect(sentMail).toMatchObject({ status: "sent", provider: "resend", providerMessageId: fake.emails()[0]!.id, textBody: null });
    expect(sentText).toMatchObject({ status: "sent", provider: "twilio", providerMessageId: fake.sms()[0]!.sid, textBody: null });
  });
});

describe("fake providers' control endpoints", () => {
  it("lists, filters, toggles the outage and clears over HTTP", async () => {
    await resend().send(email({ recipient: "Ada <ADA@example.com>" }));
    await resend().send(email({ recipient: "bob@example.com" }));
    await twilio().send(sms());

    const list = async (path: string) => (await (await fetch(`${fake.url}${path}`)).json()) as unknown[];
    expect(await list("/__fake/emails")).toHaveLength(2);
    expect(await list("/__fake/emails?to=ada%40example.com")).toHaveLength(1);
    expect(await list("/__fake/sms?to=%2B447700900123")).toHaveLength(1);
    expect(await list("/__fake/sms?to=%2B15550000000")).toHaveLength(0);

    const toggle = await fetch(`${fake.url}/__fake/outage`, { method: "POST", body: JSON.stringify({ on: true }) });
    expect(await toggle.json()).toEqual({ outage: true });
    expect((await sendError(twilio().send(sms()))).retryable).toBe(true);
    expect((await fetch(`${fake.url}/__fake/outage`, { method: "POST", body: "{}" })).status).toBe(400);
    await fetch(`${fake.url}/__fake/outage`, { method: "POST", body: JSON.stringify({ on: false }) });

    expect((await fetch(`${fake.url}/__fake/records`, { method: "DELETE" })).status).toBe(200);
    expect(await list("/__fake/emails")).toEqual([]);
    expect(fake.sms()).toEqual([]);
  });

  it("binds to the loopback interface only", () => {
    expect(new URL(fake.url).hostname).toBe("127.0.0.1");
  });
});
