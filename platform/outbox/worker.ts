import { serverEnv } from "@/platform/env";
import { DEFAULT_BATCH_SIZE, deliverDueMessages, describeError, type DeliveryRunOptions } from "./deliver";

/**
 * The in-process delivery loop: a run every `intervalMs`, plus an immediate run whenever this
 * instance enqueues something (kickOutboxWorker). It holds no state that matters: everything is in
 * the outbox table, so any number of instances can run it, and stopping one loses nothing.
 */

export interface OutboxWorkerOptions {
  intervalMs?: number;
  batchSize?: number;
  /** Replace the configured providers (tests). */
  transports?: DeliveryRunOptions["transports"];
  /** How often this loop checks the failure rate and alerts supervisors (failures.ts); the first check comes one interval after the start. */
  healthCheckIntervalMs?: number;
}

interface OutboxWorker {
  /** Null for the kick-only runner of a process that does not run the background jobs. */
  interval: ReturnType<typeof setInterval> | null;
  batchSize: number;
  transports: DeliveryRunOptions["transports"];
  stopped: boolean;
  /** The run in progress, if any. */
  current: Promise<void> | null;
  /** At most one run queued behind the current one: it sees whatever arrived meanwhile. */
  next: Promise<void> | null;
  healthCheckIntervalMs: number;
  lastHealthCheckAt: number;
}

export const DEFAULT_WORKER_INTERVAL_MS = 2_000;
export const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 60_000;

// On globalThis: Next compiles instrumentation and route handlers into separate bundles and the
// dev server re-evaluates modules, but a kick from any of them must reach the one loop.
const globalForWorker = globalThis as unknown as { veridesk_outboxWorker?: OutboxWorker; veridesk_outboxKickRunner?: OutboxWorker };

/**
 * Starts the loop in this process unless OUTBOX_WORKER=off. Calling it again while it runs does
 * nothing. Returns whether a loop is running in this process.
 */
export function startOutboxWorker(options: OutboxWorkerOptions = {}): boolean {
  if (globalForWorker.veridesk_outboxWorker) return true;
  if (serverEnv().OUTBOX_WORKER === "off") return false;

  const worker: OutboxWorker = {
    interval: setInterval(() => void runSoon(worker), options.intervalMs ?? DEFAULT_WORKER_INTERVAL_MS),
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    transports: options.transports,
    stopped: false,
    current: null,
    next: null,
    healthCheckIntervalMs: options.healthCheckIntervalMs ?? DEFAULT_HEALTH_CHECK_INTERVAL_MS,
    lastHealthCheckAt: Date.now(),
  };
  // The loop alone must not keep a process (a script, a test run) alive.
  worker.interval?.unref();
  globalForWorker.veridesk_outboxWorker = worker;
  void runSoon(worker);
  return true;
}

/**
 * For a server process that does not run the loop (the other workers of scripts/next-server.mjs's
 * cluster): its kicks deliver at once in this process instead of waiting for the job worker's next
 * tick, so a sign-in code is not held up by which worker took the request. Safe alongside the loop
 * elsewhere (rows are claimed with SKIP LOCKED); a burst of kicks makes at most one run plus one
 * queued behind it. No timer and no health checks: those stay with the loop. Unless OUTBOX_WORKER=off.
 */
export function startOutboxKickRunner(options: Pick<OutboxWorkerOptions, "batchSize" | "transports"> = {}): boolean {
  if (globalForWorker.veridesk_outboxKickRunner) return true;
  if (serverEnv().OUTBOX_WORKER === "off") return false;
  globalForWorker.veridesk_outboxKickRunner = {
    interval: null,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    transports: options.transports,
    stopped: false,
    current: null,
    next: null,
    healthCheckIntervalMs: Number.POSITIVE_INFINITY,
    lastHealthCheckAt: Date.now(),
  };
  return true;
}

/** Stops the loop (and the kick-only runner) and waits for the runs in progress to finish. */
export async function stopOutboxWorker(): Promise<void> {
  for (const key of ["veridesk_outboxWorker", "veridesk_outboxKickRunner"] as const) {
    const worker = globalForWorker[key];
    if (!worker) continue;
    worker.stopped = true;
    if (worker.interval) clearInterval(worker.interval);
    globalForWorker[key] = undefined;
    await worker.next;
    await worker.current;
  }
}

/**
 * Asks this instance to deliver now (after a commit that enqueued something): its loop, or in a
 * process without one its kick-only runner. Resolves when a run that started after the call has
 * finished; at once when neither runs here (scripts, tests).
 */
export function kickOutboxWorker(): Promise<void> {
  const worker = globalForWorker.veridesk_outboxWorker ?? globalForWorker.veridesk_outboxKickRunner;
  return worker ? runSoon(worker) : Promise.resolve();
}

export function isOutboxWorkerRunning(): boolean {
  return globalForWorker.veridesk_outboxWorker !== undefined;
}

function runSoon(worker: OutboxWorker): Promise<void> {
  if (worker.stopped) return Promise.resolve();
  if (!worker.current) {
    worker.current = drain(worker).finally(() => {
      worker.current = null;
    });
    return worker.current;
  }
  // The run in progress may already have looked past a row enqueued just now: queue one more.
  worker.next ??= worker.current.then(() => {
    worker.next = null;
    return runSoon(worker);
  });
  return worker.next;
}

/** Runs until nothing is due (a full batch suggests more is waiting). Never rejects. */
async function drain(worker: OutboxWorker): Promise<void> {
  try {
    while (!worker.stopped) {
      const summary = await deliverDueMessages({ limit: worker.batchSize, transports: worker.transports });
      if (summary.claimed < worker.batchSize) break;
    }
    if (!worker.stopped && Date.now() - worker.lastHealthCheckAt >= worker.healthCheckIntervalMs) {
      worker.lastHealthCheckAt = Date.now();
      // Imported here: failures.ts enqueues through outbox.ts, which imports this module.
      const { alertSupervisorsIfFailing } = await import("./failures");
      await alertSupervisorsIfFailing();
    }
  } catch (error) {
    // Typically the database is unreachable; the next tick tries again. Never a body in here.
    console.error(`[outbox] delivery run failed: ${describeError(error, false)}`);
  }
}
