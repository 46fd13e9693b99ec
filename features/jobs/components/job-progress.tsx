"use client";

import { useEffect, useId, useRef, useState } from "react";
import { cancelJobAction } from "@/features/jobs/actions";
import { Button } from "@/ui/button";

/** What GET /api/jobs/<id> answers (platform/jobs/queue.ts JobProgressView, dates as strings). */
export type JobProgressSnapshot = {
  id: string;
  kind: string;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  done: number;
  total: number | null;
  progress: unknown;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
};

const FINISHED = new Set(["succeeded", "failed", "cancelled"]);
const STATUS_WORDS: Record<JobProgressSnapshot["status"], string> = {
  queued: "Waiting to start",
  running: "Running",
  succeeded: "Finished",
  failed: "Failed",
  cancelled: "Cancelled",
};

/**
 * Polls a job's progress once a second while it runs (any instance may run it; the row in
 * PostgreSQL is the truth) and shows an accessible progress bar. `onUpdate` receives every
 * snapshot (for counts that fill in live); `onFinished` fires once when the job ends.
 */
export function useJobProgress(jobId: string | null, options: { intervalMs?: number; onFinished?: (job: JobProgressSnapshot) => void } = {}) {
  const [job, setJob] = useState<JobProgressSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onFinished = useRef(options.onFinished);
  onFinished.current = options.onFinished;
  const intervalMs = options.intervalMs ?? 1000;

  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function poll() {
      try {
        const response = await fetch(`/api/jobs/${encodeURIComponent(jobId as string)}`, { cache: "no-store" });
        if (response.status === 404) {
          // Gone for good: stop asking.
          if (!stopped) setError("This job no longer exists.");
          return;
        }
        if (!response.ok) throw new Error("Progress could not be read.");
        const next = (await response.json()) as JobProgressSnapshot;
        if (stopped) return;
        setJob(next);
        setError(null);
        if (FINISHED.has(next.status)) {
          onFinished.current?.(next);
          return;
        }
      } catch (caught) {
        if (stopped) return;
        setError(caught instanceof Error ? caught.message : "Progress could not be read.");
      }
      timer = setTimeout(poll, intervalMs);
    }
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobId, intervalMs]);

  return { job, error };
}

/** A labelled progress bar with "1,234 of 100,000" and the job's state, announced politely. */
export function JobProgressBar({ job, label, error }: { job: JobProgressSnapshot | null; label: string; error?: string | null }) {
  const total = job?.total ?? null;
  const done = job?.done ?? 0;
  const percent = total && total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null;
  const status = job ? STATUS_WORDS[job.status] : "Waiting to start";
  const numbers = total !== null ? `${done.toLocaleString()} of ${total.toLocaleString()}` : `${done.toLocaleString()} done`;
  // Unique per bar: two bars on one page (a job just started and the same job in a list) must not share a label.
  const labelId = `job-${useId()}-label`;
  return (
    <div className="space-y-1" data-testid="job-progress">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-800" id={labelId}>
          {label}
        </span>
        <span className="text-slate-600">
          {/* Only the state is announced; the figures change every second and live in the bar's value text. */}
          <span aria-live="polite">{status}</span>
          {job && job.status !== "queued" ? ` · ${numbers}${percent !== null ? ` (${percent} %)` : ""}` : ""}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total !== null ? done : undefined}
        aria-valuetext={`${status}: ${numbers}`}
        className="h-2 w-full overflow-hidden rounded bg-slate-200"
      >
        <div
          className={`h-full ${job?.status === "failed" ? "bg-red-600" : job?.status === "succeeded" ? "bg-emerald-600" : "bg-blue-600"} transition-[width]`}
          style={{ width: `${percent ?? (job?.status === "succeeded" ? 100 : 0)}%` }}
        />
      </div>
      {job && (job.status === "queued" || job.status === "running") ? <StopJobButton jobId={job.id} label={label} /> : null}
      {job?.error ? (
        <p role="alert" className="text-sm text-red-700">
          {job.error}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** "Stop": asks the job to end at its next checkpoint (what it wrote so far stays, and can be undone where the job offers it). */
function StopJobButton({ jobId, label }: { jobId: string; label: string }) {
  const [state, setState] = useState<{ pending: boolean; message: string | null }>({ pending: false, message: null });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        disabled={state.pending}
        aria-label={`Stop: ${label}`}
        onClick={async () => {
          setState({ pending: true, message: null });
          const result = await cancelJobAction({ jobId });
          setState({ pending: false, message: result.ok ? result.data.message : result.error });
        }}
      >
        {state.pending ? "Stopping…" : "Stop"}
      </Button>
      {state.message ? (
        <span role="status" className="text-sm text-slate-700">
          {state.message}
        </span>
      ) : null}
    </div>
  );
}
