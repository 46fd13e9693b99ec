import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { checkpointJob, claimNextJob, enqueueJob, JobInterrupted, MAX_JOB_ATTEMPTS, requestJobCancel } from "./queue";
import { JobFailure, registerJobHandler, runJobsUntilIdle, runNextJob } from "./runner";

/** A job kind of its own per test, so tests never take each other's jobs. */
const kind = () => `test.${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("background jobs", () => {
  it("runs a job once, with its payload, and records the final progress", async () => {
    const k = kind();
    const seen: unknown[] = [];
    registerJobHandler(k, async ({ job }) => {
      seen.push(job.payload);
      return { progressDone: 3, progressTotal: 3, progress: { rows: 3 } };
    });
    const job = await enqueueJob(k, { file: "a.csv" });
    expect(await runJobsUntilIdle({ kinds: [k] })).toEqual([job.id]);
    expect(seen).toEqual([{ file: "a.csv" }]);
    const done = await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "succeeded", progressDone: 3, progressTotal: 3, progress: { rows: 3 }, leaseOwner: null, attempts: 1 });
    expect(done.finishedAt).not.toBeNull();
    expect(await runNextJob({ kinds: [k] })).toBeNull();
  });

  it("enqueues a job with a dedupe key once, however often (and however concurrently) it is asked", async () => {
    const k = kind();
    const key = `${k}:nightly:2026-12-03`;
    const jobs = await Promise.all([1, 2, 3, 4].map(() => enqueueJob(k, {}, { dedupeKey: key })));
    expect(new Set(jobs.map((job) => job.id)).size).toBe(1);
    expect(await db.backgroundJob.count({ where: { kind: k } })).toBe(1);
  });

  it("hands each job to exactly one of several concurrent runners", async () => {
    const k = kind();
    for (let i = 0; i < 6; i += 1) await enqueueJob(k, { i });
    const claims = await Promise.all(["a", "b", "c", "d", "e", "f", "g", "h"].map((owner) => claimNextJob([k], owner)));
    const ids = claims.filter((job) => job !== null).map((job) => job.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it("resumes a job from its last checkpoint when its runner's lease ran out, and fences the old runner's writes", async () => {
    const k = kind();
    const job = await enqueueJob(k, { rows: 10 });
    // Runner A takes it, gets to row 4, then goes silent (its instance died).
    const claimed = await claimNextJob([k], "runner-a", 200);
    expect(claimed?.id).toBe(job.id);
    await checkpointJob(job.id, { checkpoint: { nextRow: 5 }, progressDone: 4, progressTotal: 10 }, "runner-a", 200);
    expect(await claimNextJob([k], "runner-b", 60_000)).toBeNull(); // still leased
    await sleep(300);

    const resumedFrom: unknown[] = [];
    registerJobHandler(k, async (context) => {
      resumedFrom.push(context.job.checkpoint);
      // Runner A wakes up while B holds the job: its writes are refused.
      await expect(checkpointJob(job.id, { progressDone: 5 }, "runner-a")).rejects.toThrow(JobInterrupted);
      await context.checkpoint({ checkpoint: { nextRow: 11 }, progressDone: 10 });
      return { progressDone: 10 };
    });
    expect(await runNextJob({ kinds: [k], owner: "runner-b" })).toBe(job.id);
    expect(resumedFrom).toEqual([{ nextRow: 5 }]);
    const done = await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "succeeded", progressDone: 10, attempts: 2 });

    // …and after B finished, too.
    await expect(checkpointJob(job.id, { progressDone: 5 }, "runner-a")).rejects.toThrow(JobInterrupted);
    expect((await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } })).progressDone).toBe(10);
  });

  it("stops a running job at its next checkpoint when a supervisor cancels it, and a queued one at once", async () => {
    const k = kind();
    const running = await enqueueJob(k, {});
    registerJobHandler(k, async (context) => {
      await requestJobCancel(context.job.id);
      await context.checkpoint({ progressDone: 1 });
      throw new Error("unreachable: the checkpoint throws");
    });
    await runNextJob({ kinds: [k] });
    expect((await db.backgroundJob.findUniqueOrThrow({ where: { id: running.id } })).status).toBe("cancelled");

    const queued = await enqueueJob(kind(), {});
    await requestJobCancel(queued.id);
    expect((await db.backgroundJob.findUniqueOrThrow({ where: { id: queued.id } })).status).toBe("cancelled");
  });

  it("fails a job with the handler's own sentence, and hides unexpected errors behind a generic one", async () => {
    const k = kind();
    registerJobHandler(k, async ({ job }) => {
      if ((job.payload as { explain: boolean }).explain) throw new JobFailure("The file is not a CSV.");
      throw new TypeError("x is undefined");
    });
    const explained = await enqueueJob(k, { explain: true });
    const unexpected = await enqueueJob(k, { explain: false });
    const originalError = console.error;
    console.error = () => {};
    try {
      await runJobsUntilIdle({ kinds: [k] });
    } finally {
      console.error = originalError;
    }
    expect(await db.backgroundJob.findUniqueOrThrow({ where: { id: explained.id } })).toMatchObject({ status: "failed", error: "The file is not a CSV." });
    const failed = await db.backgroundJob.findUniqueOrThrow({ where: { id: unexpected.id } });
    expect(failed.status).toBe("failed");
    expect(failed.error).not.toContain("undefined");
  });

  it("gives up a job that keeps losing its runner instead of resuming it forever", async () => {
    const k = kind();
    const job = await enqueueJob(k, {});
    for (let attempt = 1; attempt <= MAX_JOB_ATTEMPTS; attempt += 1) {
      expect((await claimNextJob([k], `crashing-${attempt}`, 1))?.id).toBe(job.id);
      await sleep(5);
    }
    expect(await claimNextJob([k], "next", 1)).toBeNull();
    expect(await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "failed" });
  });

  it("waits for runAfter and refuses a kind nobody handles with a clear error", async () => {
    const k = kind();
    const later = await enqueueJob(k, {}, { runAfter: new Date(Date.now() + 60_000) });
    expect(await claimNextJob([k])).toBeNull();
    await db.backgroundJob.update({ where: { id: later.id }, data: { runAfter: new Date(Date.now() - 1) } });
    expect(await runNextJob({ kinds: [k] })).toBe(later.id);
    expect(await db.backgroundJob.findUniqueOrThrow({ where: { id: later.id } })).toMatchObject({ status: "failed", error: expect.stringContaining(k) });
  });
});
