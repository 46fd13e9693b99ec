import "server-only";
import type { BackgroundJob } from "@/platform/db/client";
import { isRetryableDatabaseError } from "@/platform/db/errors";
import { PgChannelListener } from "@/platform/realtime/pg-channel";
import {
  type CheckpointUpdate,
  checkpointJob,
  claimNextJob,
  completeJob,
  DEFAULT_LEASE_MS,
  failJob,
  JOBS_CHANNEL,
  JobInterrupted,
  markJobCancelled,
  THIS_RUNNER,
} from "./queue";
import { db } from "@/platform/db/client";

/**
 * Runs background jobs in this instance: one at a time (the machine this targets has two cores and
 * the pages come first), taking the next job from the shared queue (./queue.ts) whenever one is
 * enqueued anywhere (LISTEN) and otherwise every POLL_MS, which is also how a job whose instance
 * died is noticed and resumed.
 *
 * Features register a handler per job kind (features/background-jobs.ts lists them all). A handler
 * reads `job.checkpoint` to resume, calls `ctx.checkpoint` after each durable step (that renews the
 * lease, saves progress, and throws JobInterrupted when it must stop), and returns the final
 * progress. To fail with a sentence the supervisor reads, throw JobFailure.
 */

export type JobContext = {
  job: BackgroundJob;
  /** This runner's lease name; pass it to writes that must be fenced (queue.checkpointJob's owner). */
  owner: string;
  checkpoint(update: CheckpointUpdate): Promise<void>;
};
export type JobHandler = (context: JobContext) => Promise<CheckpointUpdate | undefined>;

/** A failure the handler explains: the job ends "failed" with this message. */
export class JobFailure extends Error {}

export const POLL_MS = 5_000;
/** After an unexpected database error the job is offered again this much later. */
const RETRY_DELAY_MS = 15_000;

type RunnerState = {
  handlers: Map<string, JobHandler>;
  loop: { timer: NodeJS.Timeout; listener: PgChannelListener | null; stopped: boolean; running: Promise<void> | null; again: boolean } | null;
};
const globalForJobs = globalThis as unknown as { veridesk_jobs?: RunnerState };
function state(): RunnerState {
  globalForJobs.veridesk_jobs ??= { handlers: new Map(), loop: null };
  return globalForJobs.veridesk_jobs;
}

export function registerJobHandler(kind: string, handler: JobHandler): void {
  state().handlers.set(kind, handler);
}

export function registeredJobKinds(): string[] {
  return [...state().handlers.keys()];
}

/** Claims and runs one job. Returns the job's id, or null when nothing was runnable. */
export async function runNextJob(options: { kinds?: readonly string[]; owner?: string; leaseMs?: number } = {}): Promise<string | null> {
  const owner = options.owner ?? THIS_RUNNER;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const handlers = state().handlers;
  const job = await claimNextJob(options.kinds ?? [...handlers.keys()], owner, leaseMs);
  if (!job) return null;
  const handler = handlers.get(job.kind);
  if (!handler) {
    await failJob(job.id, `No handler for jobs of kind "${job.kind}" in this version.`, owner);
    return job.id;
  }
  try {
    const final = await handler({ job, owner, checkpoint: (update) => checkpointJob(job.id, update, owner, leaseMs) });
    await completeJob(job.id, final ?? {}, owner);
  } catch (error) {
    if (error instanceof JobInterrupted) {
      if (error.reason === "cancelled") await markJobCancelled(job.id, owner);
      // lease_lost: another runner owns it now; nothing to write.
    } else if (error instanceof JobFailure) {
      await failJob(job.id, error.message, owner);
    } else if (isRetryableDatabaseError(error)) {
      console.warn(`[jobs] ${job.kind} ${job.id} hit a database error and will be retried: ${error instanceof Error ? error.message : String(error)}`);
      await db.backgroundJob.updateMany({
        where: { id: job.id, leaseOwner: owner },
        data: { status: "queued", leaseOwner: null, leaseExpiresAt: null, runAfter: new Date(Date.now() + RETRY_DELAY_MS) },
      });
    } else {
      console.error(`[jobs] ${job.kind} ${job.id} failed:`, error);
      await failJob(job.id, "The job stopped on an unexpected error; the server log has the details.", owner);
    }
  }
  return job.id;
}

/** Runs jobs until none is runnable (tests and scripts); returns the ids it ran, in order. */
export async function runJobsUntilIdle(options: { kinds?: readonly string[]; owner?: string; leaseMs?: number; max?: number } = {}): Promise<string[]> {
  const ran: string[] = [];
  const max = options.max ?? 1000;
  while (ran.length < max) {
    const id = await runNextJob(options);
    if (!id) break;
    ran.push(id);
  }
  return ran;
}

/** Starts this instance's loop (server start-up). Safe to call twice. */
export function startJobRunner(options: { pollMs?: number } = {}): void {
  const current = state();
  if (current.loop) return;
  const loop: NonNullable<RunnerState["loop"]> = {
    timer: setInterval(() => wake(), options.pollMs ?? POLL_MS),
    listener: null,
    stopped: false,
    running: null,
    again: false,
  };
  loop.timer.unref();
  current.loop = loop;
  const url = process.env.DATABASE_URL;
  if (url) {
    loop.listener = new PgChannelListener({ connectionString: url, channel: JOBS_CHANNEL });
    void loop.listener.subscribe({ onMessage: () => wake(), onResync: () => wake() }).catch((error: unknown) => {
      console.warn(`[jobs] cannot listen for new jobs, polling only: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  wake();

  function wake(): void {
    if (loop.stopped) return;
    if (loop.running) {
      loop.again = true;
      return;
    }
    loop.running = (async () => {
      do {
        loop.again = false;
        try {
          while (!loop.stopped && (await runNextJob())) {
            // keep taking jobs while there are some
          }
        } catch (error) {
          // Typically the database is unreachable; the next poll tries again.
          console.error(`[jobs] runner: ${error instanceof Error ? error.message : String(error)}`);
        }
      } while (loop.again && !loop.stopped);
    })().finally(() => {
      loop.running = null;
    });
  }
}

/** Stops the loop and waits for the job in hand (which keeps its lease until it expires if it was mid-way). */
export async function stopJobRunner(): Promise<void> {
  const loop = state().loop;
  if (!loop) return;
  loop.stopped = true;
  clearInterval(loop.timer);
  state().loop = null;
  await loop.listener?.close();
  await loop.running;
}
