import "server-only";
import { readCounts, type ValidationCounts } from "@/features/data-quality/validation/counts";
import { activeValidationJob } from "@/features/data-quality/validation/run";
import { db } from "@/platform/db/client";

export type ValidationRunRow = {
  id: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date | null;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  startedBy: string | null;
  counts: ValidationCounts;
};

/** What the validation page shows: the run going now (if any) and the latest runs, newest first. */
export async function validationOverview(limit = 10): Promise<{ activeJobId: string | null; runs: ValidationRunRow[] }> {
  const [active, runs] = await Promise.all([activeValidationJob(), db.validationRun.findMany({ orderBy: { startedAt: "desc" }, take: limit })]);
  const jobs = await db.backgroundJob.findMany({ where: { id: { in: runs.map((run) => run.jobId) } }, select: { id: true, status: true } });
  const starters = await db.user.findMany({
    where: { id: { in: runs.map((run) => run.startedById).filter((id): id is string => id !== null) } },
    select: { id: true, name: true },
  });
  const status = new Map(jobs.map((job) => [job.id, job.status]));
  const names = new Map(starters.map((user) => [user.id, user.name]));
  return {
    activeJobId: active?.id ?? null,
    runs: runs.map((run) => ({
      id: run.id,
      trigger: run.trigger,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      status: status.get(run.jobId) ?? (run.finishedAt ? "succeeded" : "queued"),
      startedBy: run.startedById ? (names.get(run.startedById) ?? null) : null,
      counts: readCounts(run.counts),
    })),
  };
}
