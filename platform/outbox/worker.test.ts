import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { db, getDb } from "@/platform/db/client";
import { enqueueSms, isOutboxWorkerRunning, kickOutboxWorker, startOutboxKickRunner, startOutboxWorker, stopOutboxWorker } from "@/platform/outbox/outbox";
import type { OutgoingMessage, Transport } from "@/platform/outbox/transports/index";

function recordingTransport() {
  const sent: OutgoingMessage[] = [];
  const transport: Transport = {
    name: "fake-sms",
    async send(message) {
      sent.push(message);
      return { providerMessageId: `p-${sent.length}` };
    },
  };
  return { transport, sent };
}

// A long interval: in these tests only kicks make the worker run, so nothing depends on timing.
const NEVER = 3_600_000;

beforeEach(async () => {
  await db.outboxMessage.deleteMany();
});

afterEach(async () => {
  await stopOutboxWorker();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("outbox worker", () => {
  it("delivers right after an enqueue in this instance (kick)", async () => {
    const sms = recordingTransport();
    expect(startOutboxWorker({ intervalMs: NEVER, transports: { sms: sms.transport } })).toBe(true);
    await kickOutboxWorker(); // let the start-up run finish

    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    await kickOutboxWorker();

    expect(sms.sent.map((message) => message.id)).toEqual([row.id]);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent" });
  });

  it("an enqueue kicks the worker by itself", async () => {
    let markDelivered!: (id: string) => void;
    const delivered = new Promise<string>((resolve) => (markDelivered = resolve));
    startOutboxWorker({
      intervalMs: NEVER,
      transports: {
        sms: {
          name: "fake-sms",
          async send(message) {
            markDelivered(message.id);
            return { providerMessageId: "p-1" };
          },
        },
      },
    });
    await kickOutboxWorker();
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    // No kick from the test: only enqueueSms's own kick can make this resolve.
    expect(await delivered).toBe(row.id);
  });

  it("a kick during a run queues one more run, which sees what arrived meanwhile", async () => {
    let releaseFirstSend!: () => void;
    const firstSendReleased = new Promise<void>((resolve) => (releaseFirstSend = resolve));
    let firstSendStarted!: () => void;
    const firstSendHasStarted = new Promise<void>((resolve) => (firstSendStarted = resolve));
    const sent: string[] = [];
    startOutboxWorker({
      intervalMs: NEVER,
      transports: {
        sms: {
          name: "fake-sms",
          async send(message) {
            if (sent.length === 0) {
              firstSendStarted();
              await firstSendReleased;
            }
            sent.push(message.textBody!);
            return { providerMessageId: `p-${sent.length}` };
          },
        },
      },
    });
    await kickOutboxWorker();
    await enqueueSms({ kind: "notice", to: "+447700900123", text: "first" });
    await firstSendHasStarted;
    await enqueueSms({ kind: "notice", to: "+447700900123", text: "second" });
    const followUp = kickOutboxWorker();
    releaseFirstSend();
    await followUp;
    expect(sent).toEqual(["first", "second"]);
  });

  it("drains more than one batch in a run", async () => {
    for (let i = 0; i < 7; i += 1) await enqueueSms({ kind: "notice", to: "+447700900123", text: `m${i}` });
    const sms = recordingTransport();
    startOutboxWorker({ intervalMs: NEVER, batchSize: 3, transports: { sms: sms.transport } });
    await kickOutboxWorker();
    expect(sms.sent).toHaveLength(7);
  });

  it("is idempotent: a second start keeps the first loop and its settings", async () => {
    const first = recordingTransport();
    const second = recordingTransport();
    startOutboxWorker({ intervalMs: NEVER, transports: { sms: first.transport } });
    expect(startOutboxWorker({ intervalMs: NEVER, transports: { sms: second.transport } })).toBe(true);
    await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    await kickOutboxWorker();
    expect(first.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(0);
  });

  it("stops: kicks then do nothing and the message waits in the outbox", async () => {
    const sms = recordingTransport();
    startOutboxWorker({ intervalMs: NEVER, transports: { sms: sms.transport } });
    await stopOutboxWorker();
    expect(isOutboxWorkerRunning()).toBe(false);
    const row = await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    await kickOutboxWorker();
    expect(sms.sent).toHaveLength(0);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "queued" });
  });

  it("in a process without the loop (a cluster worker that runs no jobs), a kick delivers at once", async () => {
    const sms = recordingTransport();
    expect(startOutboxKickRunner({ transports: { sms: sms.transport } })).toBe(true);
    expect(isOutboxWorkerRunning()).toBe(false);
    const first = await enqueueSms({ kind: "notice", to: "+447700900123", text: "your code" });
    await kickOutboxWorker();
    expect(sms.sent.map((message) => message.id)).toEqual([first.id]);
    // A burst of kicks: every message goes once, whatever the runs coalesced into.
    const more = [];
    for (let i = 0; i < 5; i++) more.push(await enqueueSms({ kind: "notice", to: "+447700900123", text: `code ${i}` }));
    await Promise.all(Array.from({ length: 5 }, () => kickOutboxWorker()));
    expect(sms.sent.map((message) => message.id).sort()).toEqual([first.id, ...more.map((row) => row.id)].sort());
    expect(await db.outboxMessage.count({ where: { status: "sent" } })).toBe(6);
  });

  it("does not start when OUTBOX_WORKER=off", async () => {
    vi.stubEnv("OUTBOX_WORKER", "off");
    vi.resetModules(); // platform/env caches the environment it validated first
    const fresh = await import("@/platform/outbox/outbox");
    expect(fresh.startOutboxWorker()).toBe(false);
    expect(fresh.isOutboxWorkerRunning()).toBe(false);
    expect(fresh.startOutboxKickRunner()).toBe(false);
  });

  it("never throws out of the loop: a failing run is logged in one line and the next kick works", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const sms = recordingTransport();
    startOutboxWorker({ intervalMs: NEVER, transports: { sms: sms.transport } });
    await kickOutboxWorker();
    // Break the claim for one run by making the query fail.
    const queryRaw = vi.spyOn(getDb(), "$queryRaw").mockRejectedValueOnce(new Error("Invalid invocation:\n  data: ...\nconnection terminated"));
    await enqueueSms({ kind: "notice", to: "+447700900123", text: "hello" });
    await kickOutboxWorker();
    expect(errors).toHaveBeenCalledWith("[outbox] delivery run failed: Error: connection terminated");
    queryRaw.mockRestore();

    await kickOutboxWorker();
    expect(sms.sent).toHaveLength(1);
  });
});
