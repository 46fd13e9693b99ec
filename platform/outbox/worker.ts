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
  interval: ReturnType<typeof setInterval>;
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
const globalForWorker = globalThis as unknown as { veridesk_outboxWorker?: OutboxWorker };

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
  worker.interval.unref();
  globalForWorker.veridesk_outboxWorker = worker;
  void runSoon(worker);
  return true;
}

/** Stops the loop and waits for the run in progress to finish. */
export async function stopOutboxWorker(): Promise<void> {
  const worker = globalForWorker.veridesk_outboxWorker;
  if (!worker) return;
  worker.stopped = true;
  clearInterval(worker.interval);
  globalForWorker.veridesk_outboxWorker = undefined;
  await worker.next;
  await worker.current;
}

/**
 * Asks this instance's loop to deliver now (after a commit that enqueued something). Resolves
 * when a run that started after the call has finished; at once when no loop runs here.
 */
export function kickOutboxWorker(): Promise<void> {
  const worker = globalForWorker.veridesk_outboxWorker;
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
