import "server-only";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { db, Prisma, type BackgroundJob } from "@/platform/db/client";

/**
 * The background job queue, in PostgreSQL so that every instance shares it (ARCHITECTURE.md,
 * "Shared state"). A job is a row; an instance's runner (./runner.ts) claims one with
 * `FOR UPDATE SKIP LOCKED` and holds a lease it renews at every checkpoint. A job whose lease ran
 * out (its instance stopped or died mid-way) is claimed again by whichever runner looks next, and
 * its handler resumes from the last checkpoint. Writes by a runner that lost its lease are refused
 * (the lease owner is checked on every update), so two instances never both finish a job.
 */

/** The channel enqueueing notifies, so idle runners in every instance start at once instead of at their next poll. */
export const JOBS_CHANNEL = "veridesk_jobs";
/** How long a claim holds without a checkpoint; a handler checkpoints far more often than this. */
export const DEFAULT_LEASE_MS = 60_000;
/** A job that lost its instance this many times is failed rather than tried again (a poison job). */
export const MAX_JOB_ATTEMPTS = 5;

/** This process's name in `leaseOwner`: host, pid and a random part (a restarted pid is a new owner). */
export const THIS_RUNNER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export type EnqueueOptions = {
  createdById?: string | null;
  /** Makes the job unique: a second enqueue with the same key returns the first job. */
  dedupeKey?: string;
  runAfter?: Date;
  progressTotal?: number | null;
};

type Writer = Prisma.TransactionClient | typeof db;

/** Adds a job; inside `writer`'s transaction when given, so the job exists exactly when the work that asked for it does. */
export async function enqueueJob(kind: string, payload: Prisma.InputJsonValue, options: EnqueueOptions = {}, writer: Writer = db): Promise<BackgroundJob> {
  const data = {
    kind,
    payload,
    createdById: options.createdById ?? null,
    dedupeKey: options.dedupeKey ?? null,
    runAfter: options.runAfter ?? new Date(),
    progressTotal: options.progressTotal ?? null,
  };
  let job: BackgroundJob;
  if (options.dedupeKey) {
    // ON CONFLICT, not catch-and-read: inside a caller's transaction a failed insert would abort it.
    const inserted = await writer.$executeRaw`
      INSERT INTO "BackgroundJob" (id, kind, payload, "createdById", "dedupeKey", "runAfter", "progressTotal", "updatedAt")
      VALUES (gen_random_uuid(), ${kind}, ${JSON.stringify(payload)}::jsonb, ${data.createdById}::uuid, ${data.dedupeKey}, ${data.runAfter}, ${data.progressTotal}, now())
      ON CONFLICT ("dedupeKey") DO NOTHING`;
    job = await writer.backgroundJob.findUniqueOrThrow({ where: { dedupeKey: options.dedupeKey } });
    if (inserted === 0) return job;
  } else {
    job = await writer.backgroundJob.create({ data });
  }
  await writer.$executeRaw`SELECT pg_notify(${JOBS_CHANNEL}, ${job.kind})`;
  return job;
}

/**
 * Claims the oldest runnable job of one of `kinds`: queued and due, or running with an expired
 * lease (resumed). Null when there is none. `attempts` counts claims; past MAX_JOB_ATTEMPTS a
 * job that keeps losing its instance is failed instead.
 */
export async function claimNextJob(kinds: readonly string[], owner: string = THIS_RUNNER, leaseMs: number = DEFAULT_LEASE_MS): Promise<BackgroundJob | null> {
  if (kinds.length === 0) return null;
  for (;;) {
    const rows = await db.$queryRaw<{ id: string; attempts: number }[]>`
      UPDATE "BackgroundJob" AS j
         SET status = 'running', "leaseOwner" = ${owner}, "leaseExpiresAt" = now() + ${leaseMs} * interval '1 millisecond',
             attempts = j.attempts + 1, "startedAt" = coalesce(j."startedAt", now()), "updatedAt" = now()
       WHERE j.id = (
         SELECT id FROM "BackgroundJob"
          WHERE kind = ANY(${kinds as string[]}::text[])
            AND ((status = 'queued' AND "runAfter" <= now()) OR (status = 'running' AND "leaseExpiresAt" < now()))
          ORDER BY "runAfter", id
          FOR UPDATE SKIP LOCKED
          LIMIT 1)
      RETURNING j.id, j.attempts`;
    const claimed = rows[0];
    if (!claimed) return null;
    const { id, attempts } = claimed;
    if (attempts > MAX_JOB_ATTEMPTS) {
      await db.backgroundJob.updateMany({
        where: { id, leaseOwner: owner },
        data: {
          status: "failed",
          finishedAt: new Date(),
          leaseOwner: null,
          leaseExpiresAt: null,
          error: "The job stopped unfinished too many times and was given up.",
        },
      });
      continue;
    }
    return db.backgroundJob.findUnique({ where: { id } });
  }
}

/** Thrown into a handler when its job must stop: the lease went to another runner, or a supervisor cancelled it. */
export class JobInterrupted extends Error {
  constructor(readonly reason: "lease_lost" | "cancelled") {
    super(reason === "cancelled" ? "The job was cancelled." : "This runner no longer holds the job's lease.");
  }
}

export type CheckpointUpdate = {
  checkpoint?: Prisma.InputJsonValue;
  progressDone?: number;
  progressTotal?: number | null;
  progress?: Prisma.InputJsonValue;
};

/**
 * Saves progress and renews the lease, only while `owner` still holds it. Throws JobInterrupted
 * when it does not (the handler stops; its work since the last checkpoint is redone by the next
 * owner, so each step between checkpoints must be idempotent or in one transaction with it) or
 * when cancellation was requested.
 */
export async function checkpointJob(
  jobId: string,
  update: CheckpointUpdate,
  owner: string = THIS_RUNNER,
  leaseMs: number = DEFAULT_LEASE_MS,
  writer: Writer = db,
): Promise<void> {
  const data: Prisma.BackgroundJobUpdateManyMutationInput = { leaseExpiresAt: new Date(Date.now() + leaseMs) };
  if (update.checkpoint !== undefined) data.checkpoint = update.checkpoint;
  if (update.progressDone !== undefined) data.progressDone = update.progressDone;
  if (update.progressTotal !== undefined) data.progressTotal = update.progressTotal;
  if (update.progress !== undefined) data.progress = update.progress;
  const { count } = await writer.backgroundJob.updateMany({ where: { id: jobId, leaseOwner: owner, status: "running", cancelRequested: false }, data });
  if (count === 1) return;
  const job = await writer.backgroundJob.findUnique({ where: { id: jobId }, select: { cancelRequested: true, leaseOwner: true } });
  throw new JobInterrupted(job?.cancelRequested && job.leaseOwner === owner ? "cancelled" : "lease_lost");
}

/** Marks the job done (with final progress), if `owner` still holds it. */
export async function completeJob(jobId: string, update: CheckpointUpdate = {}, owner: string = THIS_RUNNER, writer: Writer = db): Promise<boolean> {
  const data: Prisma.BackgroundJobUpdateManyMutationInput = { status: "succeeded", finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null };
  if (update.checkpoint !== undefined) data.checkpoint = update.checkpoint;
  if (update.progressDone !== undefined) data.progressDone = update.progressDone;
  if (update.progressTotal !== undefined) data.progressTotal = update.progressTotal;
  if (update.progress !== undefined) data.progress = update.progress;
  const { count } = await writer.backgroundJob.updateMany({ where: { id: jobId, leaseOwner: owner, status: "running" }, data });
  return count === 1;
}

/** Marks the job failed with a sentence for the supervisor, if `owner` still holds it. */
export async function failJob(jobId: string, error: string, owner: string = THIS_RUNNER): Promise<boolean> {
  const { count } = await db.backgroundJob.updateMany({
    where: { id: jobId, leaseOwner: owner, status: "running" },
    data: { status: "failed", error: error.slice(0, 2000), finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null },
  });
  return count === 1;
}

/** Stops a job: a queued one at once; a running one at its handler's next checkpoint. */
export async function requestJobCancel(jobId: string): Promise<void> {
  await db.backgroundJob.updateMany({ where: { id: jobId, status: "queued" }, data: { status: "cancelled", finishedAt: new Date() } });
  await db.backgroundJob.updateMany({ where: { id: jobId, status: "running" }, data: { cancelRequested: true } });
}

/** Called by the runner when a handler stopped on a cancel request. */
export async function markJobCancelled(jobId: string, owner: string = THIS_RUNNER): Promise<void> {
  await db.backgroundJob.updateMany({
    where: { id: jobId, leaseOwner: owner },
    data: { status: "cancelled", finishedAt: new Date(), leaseOwner: null, leaseExpiresAt: null },
  });
}

/** What a progress bar needs. */
export type JobProgressView = {
  id: string;
  kind: string;
  status: BackgroundJob["status"];
  done: number;
  total: number | null;
  progress: Prisma.JsonValue;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
};

export async function readJobProgress(jobId: string): Promise<JobProgressView | null> {
  const job = await db.backgroundJob.findUnique({ where: { id: jobId } });
  if (!job) return null;
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    done: job.progressDone,
    total: job.progressTotal,
    progress: job.progress,
    error: job.error,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
