"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { startValidation } from "@/features/data-quality/validation/actions";
import { ValidationCountsView } from "@/features/data-quality/validation/components/validation-counts";
import { readCounts, type ValidationCounts } from "@/features/data-quality/validation/counts";
import { JobProgressBar, useJobProgress } from "@/features/jobs/components/job-progress";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

/**
 * "Validate every contact now", the run's progress bar and its counts filling in live (the job's
 * progress carries the same counts as ValidationRun.counts). With no run going, the last run's counts.
 */
export function ValidationRunner({ activeJobId, lastCounts }: { activeJobId: string | null; lastCounts: ValidationCounts | null }) {
  const router = useRouter();
  const [jobId, setJobId] = useState(activeJobId);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const { job, error } = useJobProgress(jobId, { onFinished: () => router.refresh() });
  const going = jobId !== null && (!job || job.status === "queued" || job.status === "running");
  const counts = jobId ? readCounts(job?.progress) : lastCounts;

  return (
    <div className="space-y-4">
      <div className="flex flex-col items-start gap-2">
        <Button
          disabled={pending || going}
          onClick={() =>
            startTransition(async () => {
              setMessage(null);
              const result = await startValidation({});
              if (result.ok) setJobId(result.data.jobId);
              else setMessage(result.error);
            })
          }
        >
          {pending ? "Starting…" : going ? "Validation running…" : "Validate every contact now"}
        </Button>
        {message ? <Alert tone="error">{message}</Alert> : null}
      </div>
      {jobId ? <JobProgressBar job={job} label="Validating every address and phone number" error={error} /> : null}
      {counts ? (
        <div>
          <h3 className="mb-2 text-sm font-semibold text-slate-800">{jobId ? "This run" : "Last run"}</h3>
          <ValidationCountsView counts={counts} />
        </div>
      ) : (
        <p className="text-sm text-slate-600">No contact has been validated yet.</p>
      )}
    </div>
  );
}
