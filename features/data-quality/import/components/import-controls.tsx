"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/platform/auth/guard";
import { JobProgressBar, useJobProgress } from "@/features/jobs/components/job-progress";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { commitImportAction, discardImportAction, undoImportAction } from "../actions";

/** The running dry run or commit: a live progress bar; the page reloads its data when the job ends. */
export function ImportJobProgress({ jobId, label }: { jobId: string; label: string }) {
  const router = useRouter();
  const { job, error } = useJobProgress(jobId, { onFinished: () => router.refresh() });
  return <JobProgressBar job={job} label={label} error={error} />;
}

function useAction<T>(action: () => Promise<ActionResult<T>>, after: (data: T) => string | null) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  async function run() {
    setBusy(true);
    setError(null);
    setNotice(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setNotice(after(result.data));
    router.refresh();
  }
  return { busy, error, notice, run };
}

/** "Import N rows" and "Discard" under a checked import. */
export function CommitControls({ importId, writable }: { importId: string; writable: number }) {
  const commit = useAction(
    () => commitImportAction({ importId }),
    () => null,
  );
  const discard = useAction(
    () => discardImportAction({ importId }),
    () => "The import was discarded; nothing was written.",
  );
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button onClick={commit.run} disabled={commit.busy || discard.busy || writable === 0}>
          {commit.busy ? "Starting…" : `Import ${writable.toLocaleString("en")} ${writable === 1 ? "row" : "rows"}`}
        </Button>
        {confirmDiscard ? (
          <>
            <Button variant="danger" onClick={discard.run} disabled={discard.busy}>
              {discard.busy ? "Discarding…" : "Yes, discard this import"}
            </Button>
            <Button variant="secondary" onClick={() => setConfirmDiscard(false)}>
              Keep it
            </Button>
          </>
        ) : (
          <Button variant="secondary" onClick={() => setConfirmDiscard(true)} disabled={commit.busy}>
            Discard
          </Button>
        )}
      </div>
      {writable === 0 ? <p className="text-sm text-slate-600">No row would change anything: there is nothing to import.</p> : null}
      {commit.error ? <Alert tone="error">{commit.error}</Alert> : null}
      {discard.error ? <Alert tone="error">{discard.error}</Alert> : null}
    </div>
  );
}

/** "Undo import", with a confirmation, and what could not be undone. */
export function UndoControls({ importId }: { importId: string }) {
  const [confirming, setConfirming] = useState(false);
  const undo = useAction(
    () => undoImportAction({ importId }),
    (data) =>
      data.conflicts.length === 0
        ? `Undone: ${data.restored.toLocaleString("en")} records put back as they were.`
        : `Undone, except ${data.conflicts.length.toLocaleString("en")} records changed since the import (listed below).`,
  );
  return (
    <div className="space-y-3">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-sm text-slate-800">
            Every customer, address and phone number this import created or changed goes back as it was. Records changed since are left alone.
          </p>
          <Button variant="danger" onClick={undo.run} disabled={undo.busy}>
            {undo.busy ? "Undoing…" : "Yes, undo the import"}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(false)} disabled={undo.busy}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Undo import
        </Button>
      )}
      {undo.error ? <Alert tone="error">{undo.error}</Alert> : null}
      {undo.notice ? <Alert tone="success">{undo.notice}</Alert> : null}
    </div>
  );
}
