import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { deliverDueMessages, enqueueEmail, enqueueSms, kickOutboxWorker, startOutboxWorker, stopOutboxWorker } from "@/platform/outbox/outbox";
import { EXPIRED_MESSAGE_ERROR } from "@/platform/outbox/deliver";
import { alertSupervisorsIfFailing, DELIVERY_ALERT_KIND, deliveryHealth, listFailedMessages, requeueFailedMessages } from "@/platform/outbox/failures";
import type { Transport } from "@/platform/outbox/transports/index";

const sent: string[] = [];
const fake: Transport = {
  name: "fake",
  async send(message) {
    sent.push(message.id);
    return { providerMessageId: `fake-${sent.length}` };
  },
};
const transports = { email: fake, sms: fake };

beforeEach(async () => {
  // Files run one at a time; every test starts from an empty outbox.
  await db.outboxMessage.deleteMany();
  await db.appSetting.deleteMany({ where: { key: "outbox.delivery-alert" } });
  sent.length = 0;
});

async function failedMessage(input: { sensitive?: boolean; expiresAt?: Date } = {}) {
  const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "Your parcel is on its way", ...input });
  const wiped = input.sensitive ? { textBody: null } : {};
  return db.outboxMessage.update({ where: { id: row.id }, data: { status: "failed", attempts: 95, lastError: "Fake 503", ...wiped } });
}

async function supervisor() {
  const id = randomUUID().slice(0, 8);
  return db.user.create({ data: { email: `sup-${id}@helpdesk.example`, name: `Supervisor ${id}`, role: "supervisor" } });
}

describe("requeueing failed messages", () => {
  it("puts failed messages back with fresh tries, refusing expired codes and wiped bodies", async () => {
    const plain = await failedMessage();
    const wiped = await failedMessage({ sensitive: true });
    const expired = await failedMessage({ expiresAt: new Date(Date.now() - 60_000) });
    const queued = await enqueueSms({ kind: "notice", to: "+447700900124", text: "Not failed" });

    expect((await listFailedMessages()).map((message) => [message.id, message.notRequeuable])).toEqual(
      expect.arrayContaining([
        [plain.id, null],
        [wiped.id, "body_wiped"],
        [expired.id, "expired"],
      ]),
    );
    // The listing never carries a body, sealed or not.
    expect(Object.keys((await listFailedMessages())[0] ?? {})).not.toContain("textBody");

    expect(await requeueFailedMessages({ all: true })).toEqual({
      requeued: [plain.id],
      refused: expect.arrayContaining([
        { id: wiped.id, reason: "body_wiped" },
        { id: expired.id, reason: "expired" },
      ]),
    });
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: plain.id } })).toMatchObject({ status: "queued", attempts: 0, lastError: null });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: wiped.id } })).status).toBe("failed");
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: expired.id } })).status).toBe("failed");
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("queued");

    // …and the worker sends it.
    await deliverDueMessages({ transports });
    expect(sent).toContain(plain.id);
  });

  it("requeues only the selected ones", async () => {
    const one = await failedMessage();
    const two = await failedMessage();
    expect(await requeueFailedMessages({ ids: [two.id, randomUUID()] })).toEqual({ requeued: [two.id], refused: [] });
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: one.id } })).status).toBe("failed");
  });
});

describe("a code past its lifetime", () => {
  it("is never sent, even while it still has tries left", async () => {
    const stale = await enqueueEmail({
      kind: "verification-code",
      to: "ada@example.com",
      subject: "Your code",
      text: "Code: 123456",
      sensitive: true,
      expiresAt: new Date(Date.now() - 1),
    });
    const summary = await deliverDueMessages({ transports });
    expect(summary).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
    expect(sent).toEqual([]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({
      status: "failed",
      lastError: EXPIRED_MESSAGE_ERROR,
      textBody: null,
    });
  });
});

describe("the failure alert", () => {
  async function lastHour(total: number, failing: number, now: Date) {
    for (let i = 0; i < total; i++) {
      const row = await enqueueSms({ kind: "notice", to: "+447700900125", text: `Message ${i}` });
      await db.outboxMessage.update({
        where: { id: row.id },
        // Far in the future, so that no other test's messages fall in this hour.
        data: { createdAt: new Date(now.getTime() - 10 * 60_000), ...(i < failing ? { lastError: "Fake 503", attempts: 1, nextAttemptAt: now } : {}) },
      });
    }
  }

  it("goes off above 25 % failing of at least 5 messages, and emails the supervisors at most once an hour", async () => {
    const now = new Date("2099-01-05T12:00:00Z");
    await lastHour(8, 2, now);
    expect(await deliveryHealth(now)).toMatchObject({ messages: 8, failing: 2, alerting: false });
    expect(await alertSupervisorsIfFailing(now)).toBe(0);

    await lastHour(2, 2, now); // 4 of 10: 40 %
    expect(await deliveryHealth(now)).toMatchObject({ messages: 10, failing: 4, alerting: true });
    await supervisor();
    const supervisors = await db.user.count({ where: { role: "supervisor", disabledAt: null } });
    expect(supervisors).toBeGreaterThan(0);
    expect(await alertSupervisorsIfFailing(now)).toBe(supervisors);
    const alerts = await db.outboxMessage.findMany({ where: { kind: DELIVERY_ALERT_KIND } });
    expect(alerts).toHaveLength(supervisors);
    expect(alerts[0]?.textBody).toContain("4 of the last hour's 10 outgoing messages failed or are waiting to be retried.");
    // The alerts themselves do not count towards the rate.
    expect((await deliveryHealth(now)).messages).toBe(10);

    // Half an hour later: still failing, but no second email within the hour…
    expect(await alertSupervisorsIfFailing(new Date(now.getTime() + 30 * 60_000))).toBe(0);
    // …while an hour after the first one, with the failures going on, another.
    await db.outboxMessage.updateMany({ where: { kind: "notice" }, data: { createdAt: new Date(now.getTime() + 50 * 60_000) } });
    expect(await alertSupervisorsIfFailing(new Date(now.getTime() + 60 * 60_000))).toBe(supervisors);
  });

  it("stays quiet below 5 messages, however many failed", async () => {
    const now = new Date("2099-02-05T12:00:00Z");
    await lastHour(4, 4, now);
    expect(await deliveryHealth(now)).toMatchObject({ messages: 4, failing: 4, alerting: false });
  });
});

describe("the worker loop", () => {
  it("checks the failure rate as it runs and alerts the supervisors", async () => {
    await supervisor();
    for (let i = 0; i < 5; i++) await failedMessage();
    expect(startOutboxWorker({ transports, healthCheckIntervalMs: 0, intervalMs: 60_000 })).toBe(true);
    try {
      await kickOutboxWorker();
    } finally {
      await stopOutboxWorker();
    }
    expect(await db.outboxMessage.count({ where: { kind: DELIVERY_ALERT_KIND } })).toBeGreaterThan(0);
  });
});
