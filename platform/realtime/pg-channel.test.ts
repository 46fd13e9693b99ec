import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { PgChannelListener } from "@/platform/realtime/pg-channel";

/** Waits for asynchronous delivery (NOTIFY, streams); generous because the machine may be busy, never a speed check. */
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });

// Real PostgreSQL: two listeners stand for two app instances, a third connection for the writer.
const url = process.env.DATABASE_URL as string;
const channel = "veridesk_test_channel";
const quiet = { warn: () => {} };

const writer = new pg.Client({ connectionString: url });
await writer.connect();
const listeners: PgChannelListener[] = [];

afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.close()));
  await writer.end();
});

function newListener(options: Partial<ConstructorParameters<typeof PgChannelListener>[0]> = {}) {
  const listener = new PgChannelListener({ connectionString: url, channel, initialBackoffMs: 20, log: quiet, ...options });
  listeners.push(listener);
  return listener;
}

function recorder() {
  const messages: string[] = [];
  let resyncs = 0;
  return {
    messages,
    resyncs: () => resyncs,
    subscriber: { onMessage: (payload: string) => messages.push(payload), onResync: () => resyncs++ },
  };
}

describe("PgChannelListener", () => {
  it("fans one notification out to every subscriber of every listener, once committed", async () => {
    const instanceA = newListener();
    const instanceB = newListener();
    const [a1, a2, b1] = [recorder(), recorder(), recorder()];
    await instanceA.subscribe(a1.subscriber);
    await instanceA.subscribe(a2.subscriber);
    await instanceB.subscribe(b1.subscriber);

    await writer.query("BEGIN");
    await writer.query("SELECT pg_notify($1, $2)", [channel, "first"]);
    // Not yet committed: nobody may hear of it (a second notification after commit proves delivery works).
    await writer.query("SELECT pg_sleep(0.05)");
    expect([a1.messages, a2.messages, b1.messages]).toEqual([[], [], []]);
    await writer.query("COMMIT");

    await eventually(() => expect([a1.messages, a2.messages, b1.messages]).toEqual([["first"], ["first"], ["first"]]));
    // One connection per listener, whatever the number of subscribers.
    const connections = await writer.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'veridesk-realtime' AND datname = current_database()",
    );
    expect(connections.rows[0].n).toBe(2);
  });

  it("sends nothing for a rolled-back transaction and stops delivering to an unsubscribed one", async () => {
    const listener = newListener();
    const kept = recorder();
    const dropped = recorder();
    await listener.subscribe(kept.subscriber);
    const unsubscribe = await listener.subscribe(dropped.subscriber);
    unsubscribe();
    await writer.query("BEGIN");
    await writer.query("SELECT pg_notify($1, 'rolled back')", [channel]);
    await writer.query("ROLLBACK");
    await writer.query("SELECT pg_notify($1, 'after')", [channel]);
    await eventually(() => expect(kept.messages).toEqual(["after"]));
    expect(dropped.messages).toEqual([]);
    expect(listener.subscriberCount).toBe(1);
  });

  it("reconnects after its connection is cut and tells subscribers to resync", async () => {
    const listener = newListener();
    const subscriber = recorder();
    await listener.subscribe(subscriber.subscriber);
    const pid = await listener.backendPid();
    expect(pid).not.toBeNull();
    await writer.query("SELECT pg_terminate_backend($1)", [pid]);

    await eventually(() => expect(subscriber.resyncs()).toBeGreaterThan(0));
    await eventually(async () => {
      const next = await listener.backendPid();
      expect(next).not.toBeNull();
      expect(next).not.toBe(pid);
    });
    await writer.query("SELECT pg_notify($1, 'after reconnect')", [channel]);
    await eventually(() => expect(subscriber.messages).toContain("after reconnect"));
  });

  it("keeps retrying with backoff while the database refuses, without failing the subscriber", async () => {
    const warn = vi.fn();
    const listener = newListener({ connectionString: url.replace(/\/[^/]+$/, "/veridesk_no_such_database"), log: { warn } });
    const subscriber = recorder();
    await listener.subscribe(subscriber.subscriber);
    expect(listener.listening).toBe(false);
    await eventually(() => expect(warn.mock.calls.length).toBeGreaterThanOrEqual(3));
    const delays = warn.mock.calls.map(([line]) => Number(/retrying in (\d+) ms/.exec(String(line))?.[1]));
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    await listener.close();
  });

  it("refuses a channel name that is not a plain identifier", () => {
    expect(() => new PgChannelListener({ connectionString: url, channel: "x; DROP TABLE users" })).toThrow(/channel name/);
  });
});
