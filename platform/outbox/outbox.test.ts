import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db, getDb, type OutboxMessage } from "@/platform/db/client";
import { DEFAULT_LEASE_MS } from "@/platform/outbox/deliver";
import { deliverDueMessages, enqueueEmail, enqueueSms, InvalidOutboxMessageError, listOutboxMessages, outboxStatusCounts } from "@/platform/outbox/outbox";
import { openSealedText } from "@/platform/outbox/sealed";
import { DeliveryError, type OutgoingMessage, type Transport } from "@/platform/outbox/transports/index";

/** A provider double: records what it was asked to send, or fails as told. */
function fakeTransport(name = "fake", behaviour: (message: OutgoingMessage) => Promise<void> | void = () => {}) {
  const sent: OutgoingMessage[] = [];
  const transport: Transport = {
    name,
    async send(message) {
      await behaviour(message);
      sent.push(message);
      return { providerMessageId: `${name}-${sent.length}` };
    },
  };
  return { transport, sent };
}

const outage = () => {
  throw new DeliveryError("Fake 503 application_error: Service unavailable", true);
};
const rejected = () => {
  throw new DeliveryError("Fake 422 validation_error: Invalid `to` field", false);
};

async function reload(row: OutboxMessage): Promise<OutboxMessage> {
  return db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
}

const later = (row: OutboxMessage) => new Date(row.nextAttemptAt.getTime() + 1);

beforeEach(async () => {
  // Files run one at a time; start every test from an empty outbox.
  await db.outboxMessage.deleteMany();
  await db.devMailboxMessage.deleteMany();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("enqueue", () => {
  it("writes a queued email with its headers and does not send it by itself", async () => {
    const row = await enqueueEmail({
      kind: "ticket-reply",
      to: "  ada@example.com ",
      subject: "Re: [#12] Printer on fire",
      text: "We are on it.",
      headers: { "Message-ID": "<r1@veridesk.test>", "In-Reply-To": "<q1@example.com>", References: "<q1@example.com>" },
    });
    const stored = await reload(row);
    expect(stored).toMatchObject({
      channel: "email",
      status: "queued",
      attempts: 0,
      maxAttempts: 95,
      recipient: "ada@example.com",
      textBody: "We are on it.",
      htmlBody: null,
      sensitive: false,
      sentAt: null,
      headers: { "Message-ID": "<r1@veridesk.test>", "In-Reply-To": "<q1@example.com>", References: "<q1@example.com>" },
    });
    expect(stored.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses invalid input with the field and rule, never the value", async () => {
    const attempts = [
      () => enqueueEmail({ kind: "x", to: "not-an-address", subject: "Hi", text: "secret 123456" }),
      () => enqueueEmail({ kind: "x", to: "ada@example.com", subject: "Hi" }),
      () => enqueueEmail({ kind: "x", to: "ada@example.com", subject: "Hi\r\nBcc: eve@example.com", text: "t" }),
      () => enqueueEmail({ kind: "x", to: "ada@example.com", subject: "Hi", text: "t", headers: { "X-Bad": "a\r\nBcc: eve@example.com" } }),
      () => enqueueSms({ kind: "x", to: "07700 900123", text: "Your code is 123456" }),
      () => enqueueSms({ kind: "x", to: "+447700900123", text: "" }),
      () => enqueueSms({ kind: "Not A Kind!", to: "+447700900123", text: "hello" }),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidOutboxMessageError);
      expect((error as Error).message).not.toContain("123456");
    }
    expect(await db.outboxMessage.count()).toBe(0);
  });

  it("enqueues atomically with the caller's writes: a rolled-back transaction leaves nothing", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" }, tx);
        throw new Error("the caller's own write failed");
      }),
    ).rejects.toThrow("the caller's own write failed");
    expect(await db.outboxMessage.count()).toBe(0);
  });
});

describe("deliverDueMessages", () => {
  it("sends a queued email through the transport and records the provider's id", async () => {
    const row = await enqueueEmail({
      kind: "ticket-reply",
      to: "ada@example.com",
      subject: "Re: hello",
      text: "Plain",
      html: "<p>Rich</p>",
      headers: { "Message-ID": "<r1@veridesk.test>" },
    });
    const email = fakeTransport("fake-email");

    const summary = await deliverDueMessages({ transports: { email: email.transport } });

    expect(summary).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0, leaseLost: 0, unrecorded: 0 });
    expect(email.sent).toEqual([
      {
        id: row.id,
        channel: "email",
        kind: "ticket-reply",
        recipient: "ada@example.com",
        subject: "Re: hello",
        textBody: "Plain",
        htmlBody: "<p>Rich</p>",
        headers: { "Message-ID": "<r1@veridesk.test>" },
      },
    ]);
    const stored = await reload(row);
    expect(stored).toMatchObject({ status: "sent", attempts: 1, provider: "fake-email", providerMessageId: "fake-email-1", leaseUntil: null, lastError: null });
    expect(stored.sentAt).toBeInstanceOf(Date);
    // Not sensitive: the body stays for the ticket history.
    expect(stored.textBody).toBe("Plain");

    expect(await deliverDueMessages({ transports: { email: email.transport } })).toMatchObject({ claimed: 0 });
    expect(email.sent).toHaveLength(1);
  });

  it("routes each channel to its own transport", async () => {
    await enqueueEmail({ kind: "notice", to: "ada@example.com", subject: "Hi", text: "email body" });
    await enqueueSms({ kind: "notice", to: "+447700900123", text: "sms body" });
    const email = fakeTransport("fake-email");
    const sms = fakeTransport("fake-sms");
    await deliverDueMessages({ transports: { email: email.transport, sms: sms.transport } });
    expect(email.sent.map((message) => message.textBody)).toEqual(["email body"]);
    expect(sms.sent.map((message) => [message.recipient, message.textBody])).toEqual([["+447700900123", "sms body"]]);
  });

  it("delivers only the messages asked for, leaving the others due", async () => {
    const wanted = await enqueueEmail({ kind: "notice", to: "ada@example.com", subject: "Hi", text: "this one" });
    const other = await enqueueEmail({ kind: "notice", to: "bob@example.com", subject: "Hi", text: "not this one" });
    const email = fakeTransport();
    expect(await deliverDueMessages({ onlyIds: [wanted.id], transports: { email: email.transport } })).toMatchObject({ claimed: 1, sent: 1 });
    expect(email.sent.map((message) => message.textBody)).toEqual(["this one"]);
    expect((await reload(other)).status).toBe("queued");
  });

  it("does not send messages that are not due yet", async () => {
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "later" });
    await db.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() + 60_000) } });
    const sms = fakeTransport();
    expect(await deliverDueMessages({ transports: { sms: sms.transport } })).toMatchObject({ claimed: 0 });
    expect(sms.sent).toHaveLength(0);
    expect((await reload(row)).status).toBe("queued");
  });

  it("survives a provider outage: back to queued with a later attempt time, then sent on a later run", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const row = await enqueueEmail({ kind: "notice", to: "ada@example.com", subject: "Hi", text: "body" });
    const now = new Date();
    const down = fakeTransport("fake-email", outage);

    const first = await deliverDueMessages({ transports: { email: down.transport }, now, random: () => 0.5 });

    expect(first).toMatchObject({ claimed: 1, retrying: 1, sent: 0 });
    const queued = await reload(row);
    expect(queued).toMatchObject({
      status: "queued",
      attempts: 1,
      leaseUntil: null,
      provider: "fake-email",
      lastError: "Fake 503 application_error: Service unavailable",
    });
    expect(queued.nextAttemptAt.getTime()).toBe(now.getTime() + 15_000);

    // Not due before its time…
    const up = fakeTransport("fake-email");
    expect(await deliverDueMessages({ transports: { email: up.transport }, now: new Date(now.getTime() + 14_000) })).toMatchObject({ claimed: 0 });
    // …and delivered once it is.
    expect(await deliverDueMessages({ transports: { email: up.transport }, now: later(queued) })).toMatchObject({ sent: 1 });
    expect(up.sent).toHaveLength(1);
    expect(await reload(row)).toMatchObject({ status: "sent", attempts: 2, lastError: null, providerMessageId: "fake-email-1" });
  });

  it("backs off further after each failed attempt", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    const down = fakeTransport("fake-sms", outage);
    const delays: number[] = [];
    let now = new Date();
    for (let i = 0; i < 3; i += 1) {
      await deliverDueMessages({ transports: { sms: down.transport }, now, random: () => 0.5 });
      const stored = await reload(row);
      delays.push(stored.nextAttemptAt.getTime() - now.getTime());
      now = later(stored);
    }
    expect(delays).toEqual([15_000, 60_000, 240_000]);
  });

  it("fails at once on a permanent error and marks the linked ticket reply failed", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ticket = await db.ticket.create({ data: { subject: "Printer", channel: "email" } });
    const { outbox, reply } = await db.$transaction(async (tx) => {
      const outbox = await enqueueEmail({ kind: "ticket-reply", to: "ada@example.com", subject: "Re: Printer", text: "On it" }, tx);
      const reply = await tx.ticketMessage.create({
        data: { ticketId: ticket.id, kind: "public_reply", body: "On it", deliveryStatus: "queued", outboxMessageId: outbox.id },
      });
      return { outbox, reply };
    });

    const summary = await deliverDueMessages({ transports: { email: fakeTransport("fake-email", rejected).transport } });

    expect(summary).toMatchObject({ claimed: 1, failed: 1 });
    expect(await reload(outbox)).toMatchObject({ status: "failed", attempts: 1, leaseUntil: null, lastError: "Fake 422 validation_error: Invalid `to` field" });
    expect(await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.id } })).toMatchObject({ deliveryStatus: "failed" });
    // A failed message is not picked up again.
    expect(await deliverDueMessages({ transports: { email: fakeTransport().transport }, now: new Date(Date.now() + 86_400_000) })).toMatchObject({
      claimed: 0,
    });
    await db.ticket.delete({ where: { id: ticket.id } });
  });

  it("marks a linked ticket reply sent, but never overwrites a status a webhook already set", async () => {
    const ticket = await db.ticket.create({ data: { subject: "Printer", channel: "email" } });
    const replies = [];
    for (const deliveryStatus of ["queued", "delivered"] as const) {
      const outbox = await enqueueEmail({ kind: "ticket-reply", to: "ada@example.com", subject: "Re: Printer", text: deliveryStatus });
      replies.push(
        await db.ticketMessage.create({
          data: { ticketId: ticket.id, kind: "public_reply", body: deliveryStatus, deliveryStatus, outboxMessageId: outbox.id },
        }),
      );
    }
    await deliverDueMessages({ transports: { email: fakeTransport().transport } });
    const statuses = await db.ticketMessage.findMany({ where: { id: { in: replies.map((reply) => reply.id) } }, orderBy: { body: "desc" } });
    expect(statuses.map((reply) => [reply.body, reply.deliveryStatus])).toEqual([
      ["queued", "sent"],
      ["delivered", "delivered"],
    ]);
    await db.ticket.delete({ where: { id: ticket.id } });
  });

  it("gives up after maxAttempts retryable failures", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello", maxAttempts: 3 });
    const down = fakeTransport("fake-sms", outage);
    let now = new Date();
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(await deliverDueMessages({ transports: { sms: down.transport }, now }));
      now = later(await reload(row));
    }
    expect(outcomes.map((summary) => [summary.retrying, summary.failed])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(await reload(row)).toMatchObject({ status: "failed", attempts: 3, lastError: "Fake 503 application_error: Service unavailable" });
    expect(errors).toHaveBeenCalledTimes(1);
    expect(await deliverDueMessages({ transports: { sms: down.transport }, now: new Date(Date.now() + 86_400_000) })).toMatchObject({ claimed: 0 });
  });

  it("treats an unexpected error as retryable and keeps only a one-line reason", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const row = await enqueueEmail({ kind: "notice", to: "ada@example.com", subject: "Hi", text: "body" });
    const broken = fakeTransport("fake-email", () => {
      throw new TypeError("Invalid invocation:\n  data: { textBody: 'body' }\nsocket hang up");
    });
    await deliverDueMessages({ transports: { email: broken.transport } });
    expect(await reload(row)).toMatchObject({ status: "queued", attempts: 1, lastError: "TypeError: socket hang up" });
  });
});

describe("many workers, one database", () => {
  it("never sends one message twice when workers run at the same time", async () => {
    const rows = [];
    for (let i = 0; i < 30; i += 1) rows.push(await enqueueSms({ kind: "notice", to: "+447700900123", text: `message ${i}` }));
    const sentIds: string[] = [];
    // Each send yields, so the workers' claims and sends interleave.
    const transport: Transport = {
      name: "fake-sms",
      async send(message) {
        await new Promise((resolve) => setImmediate(resolve));
        sentIds.push(message.id);
        return { providerMessageId: `p-${message.id}` };
      },
    };
    async function worker() {
      let claimed = 0;
      for (;;) {
        const summary = await deliverDueMessages({ limit: 4, transports: { sms: transport } });
        if (summary.claimed === 0) return claimed;
        claimed += summary.claimed;
      }
    }

    const claimedPerWorker = await Promise.all([worker(), worker(), worker(), worker()]);

    expect(claimedPerWorker.reduce((a, b) => a + b, 0)).toBe(30);
    expect(sentIds).toHaveLength(30);
    expect(new Set(sentIds).size).toBe(30);
    expect(new Set(sentIds)).toEqual(new Set(rows.map((row) => row.id)));
    expect(await outboxStatusCounts()).toEqual({ queued: 0, sending: 0, sent: 30, failed: 0 });
  });

  it("leaves a message alone while another worker's lease on it is live", async () => {
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    await db.outboxMessage.update({ where: { id: row.id }, data: { status: "sending", attempts: 1, leaseUntil: new Date(Date.now() + 60_000) } });
    const sms = fakeTransport();
    expect(await deliverDueMessages({ transports: { sms: sms.transport } })).toMatchObject({ claimed: 0 });
    expect(sms.sent).toHaveLength(0);
  });

  it("picks up a message whose worker crashed mid-send once the lease has expired", async () => {
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    // What a worker that claimed the row and then died leaves behind.
    await db.outboxMessage.update({ where: { id: row.id }, data: { status: "sending", attempts: 1, leaseUntil: new Date(Date.now() - 1_000) } });
    const sms = fakeTransport("fake-sms");

    expect(await deliverDueMessages({ transports: { sms: sms.transport } })).toMatchObject({ claimed: 1, sent: 1 });
    expect(sms.sent.map((message) => message.id)).toEqual([row.id]);
    expect(await reload(row)).toMatchObject({ status: "sent", attempts: 2, leaseUntil: null });
  });

  it("fails, without sending, a message whose worker died during its final attempt", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello", maxAttempts: 2 });
    await db.outboxMessage.update({ where: { id: row.id }, data: { status: "sending", attempts: 2, leaseUntil: new Date(Date.now() - 1_000) } });
    const sms = fakeTransport();
    expect(await deliverDueMessages({ transports: { sms: sms.transport } })).toMatchObject({ claimed: 1, failed: 1 });
    expect(sms.sent).toHaveLength(0);
    expect(await reload(row)).toMatchObject({ status: "failed", attempts: 3, lastError: "The worker stopped during the final attempt" });
  });

  it("a worker whose lease ran out does not overwrite the result of the worker that took over", async () => {
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    let releaseSlowSend!: () => void;
    const slowSendReleased = new Promise<void>((resolve) => (releaseSlowSend = resolve));
    let slowSendStarted!: () => void;
    const slowSendHasStarted = new Promise<void>((resolve) => (slowSendStarted = resolve));
    const slow: Transport = {
      name: "slow",
      async send() {
        slowSendStarted();
        await slowSendReleased;
        throw new DeliveryError("timed out", true);
      },
    };
    const now = new Date();
    const slowRun = deliverDueMessages({ transports: { sms: slow }, now, leaseMs: 1_000 });
    await slowSendHasStarted;

    // Another instance, after the first one's lease ran out.
    const fast = fakeTransport("fast");
    expect(await deliverDueMessages({ transports: { sms: fast.transport }, now: new Date(now.getTime() + 2_000) })).toMatchObject({ sent: 1 });

    releaseSlowSend();
    expect(await slowRun).toMatchObject({ claimed: 1, leaseLost: 1, retrying: 0 });
    expect(await reload(row)).toMatchObject({ status: "sent", provider: "fast", lastError: null });
  });
});

describe("crash safety", () => {
  it("when the outcome cannot be written, the row is taken again once its lease runs out", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    const sms = fakeTransport("fake-sms");
    const transaction = vi.spyOn(getDb(), "$transaction").mockRejectedValueOnce(new Error("Invalid invocation:\nConnection terminated unexpectedly"));
    const now = new Date();

    expect(await deliverDueMessages({ transports: { sms: sms.transport }, now })).toMatchObject({ claimed: 1, sent: 0, unrecorded: 1 });
    transaction.mockRestore();
    expect(errors).toHaveBeenCalledWith(`[outbox] could not record the outcome for message ${row.id}: Error: Connection terminated unexpectedly`);
    expect(await reload(row)).toMatchObject({ status: "sending", attempts: 1 });
    expect(await deliverDueMessages({ transports: { sms: sms.transport }, now: new Date(now.getTime() + DEFAULT_LEASE_MS - 1) })).toMatchObject({ claimed: 0 });

    expect(await deliverDueMessages({ transports: { sms: sms.transport }, now: new Date(now.getTime() + DEFAULT_LEASE_MS + 1) })).toMatchObject({ sent: 1 });
    // At-least-once: the provider saw it twice (Resend's idempotency key absorbs this for email).
    expect(sms.sent.map((message) => message.id)).toEqual([row.id, row.id]);
    expect(await reload(row)).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("sensitive messages", () => {
  it("stores bodies sealed, sends them opened, and wipes them once sent", async () => {
    const row = await enqueueEmail({
      kind: "verification-code",
      to: "ada@example.com",
      subject: "Your Veridesk code",
      text: "Your code is 483920",
      html: "<p>Your code is <b>483920</b></p>",
      sensitive: true,
    });
    const stored = await reload(row);
    expect(stored.sensitive).toBe(true);
    expect(JSON.stringify(stored)).not.toContain("483920");
    expect(openSealedText(stored.textBody!)).toBe("Your code is 483920");
    // And not readable by SQL either (no plain copy anywhere in the row).
    const [raw] = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(o)::text AS row FROM "OutboxMessage" o WHERE "id" = ${row.id}::uuid`;
    expect(raw!.row).not.toContain("483920");

    const email = fakeTransport("fake-email");
    await deliverDueMessages({ transports: { email: email.transport } });

    expect(email.sent[0]).toMatchObject({ textBody: "Your code is 483920", htmlBody: "<p>Your code is <b>483920</b></p>" });
    expect(await reload(row)).toMatchObject({ status: "sent", textBody: null, htmlBody: null });
  });

  it("seals SMS codes too, and never logs or records the code while retrying", async () => {
    const logged: unknown[] = [];
    for (const level of ["log", "info", "warn", "error"] as const) vi.spyOn(console, level).mockImplementation((...args) => void logged.push(...args));
    const row = await enqueueSms({ kind: "verification-code", to: "+447700900123", text: "Veridesk code: 771204", sensitive: true, maxAttempts: 2 });
    expect((await reload(row)).textBody).not.toContain("771204");

    const leaky = fakeTransport("fake-sms", () => {
      throw new Error("provider choked on: Veridesk code: 771204");
    });
    let now = new Date();
    await deliverDueMessages({ transports: { sms: leaky.transport }, now });
    now = later(await reload(row));
    await deliverDueMessages({ transports: { sms: leaky.transport }, now });

    const failed = await reload(row);
    expect(failed).toMatchObject({ status: "failed", lastError: "Error (details withheld: sensitive message)", textBody: null });
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain("771204");
  });

  it("fails permanently when a sealed body cannot be opened (NEXTAUTH_SECRET changed)", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const row = await enqueueSms({ kind: "verification-code", to: "+447700900123", text: "code 1", sensitive: true });
    await db.outboxMessage.update({ where: { id: row.id }, data: { textBody: "sealed:v1:" + Buffer.alloc(40, 7).toString("base64url") } });
    const sms = fakeTransport();
    expect(await deliverDueMessages({ transports: { sms: sms.transport } })).toMatchObject({ failed: 1 });
    expect(sms.sent).toHaveLength(0);
    expect((await reload(row)).lastError).toMatch(/cannot be opened/);
  });
});

describe("status view", () => {
  it("counts messages by status and lists them without bodies", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
    await enqueueSms({ kind: "notice", to: "+447700900123", text: "one" });
    await enqueueSms({ kind: "notice", to: "+447700900124", text: "two" });
    await deliverDueMessages({ limit: 1, transports: { sms: fakeTransport().transport } });
    await enqueueEmail({ kind: "notice", to: "x@example.com", subject: "s", text: "three" });
    await deliverDueMessages({ transports: { email: fakeTransport("e", rejected).transport, sms: fakeTransport("s", outage).transport } });

    expect(await outboxStatusCounts()).toEqual({ queued: 1, sending: 0, sent: 1, failed: 1 });
    const listed = await listOutboxMessages({ status: "failed" });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: "notice", recipient: "x@example.com", status: "failed" });
    expect(listed[0]).not.toHaveProperty("textBody");
    expect(await listOutboxMessages()).toHaveLength(3);
  });
});
