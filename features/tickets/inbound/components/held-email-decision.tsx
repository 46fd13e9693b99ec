"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { acceptHeldEmailAction, rejectHeldEmailAction } from "@/features/tickets/inbound/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

/** Accept / Reject for one held email. The reason field is labelled and its error announced. */
export function HeldEmailDecision({ id, subject }: { id: string; subject: string }) {
  const router = useRouter();
  const reasonId = useId();
  const errorId = `${reasonId}-error`;
  const [pending, startTransition] = useTransition();
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  const accept = () =>
    startTransition(async () => {
      const response = await acceptHeldEmailAction({ id });
      setResult(
        response.ok
          ? {
              tone: "success",
              text: response.data.created ? `Accepted: ticket ${response.data.ticket} was opened.` : `Accepted: added to ticket ${response.data.ticket}.`,
            }
          : { tone: "error", text: response.error },
      );
      router.refresh();
    });

  const reject = () =>
    startTransition(async () => {
      const response = await rejectHeldEmailAction({ id, reason });
      if (!response.ok) {
        setReasonError(response.fieldErrors?.reason?.[0] ?? null);
        setResult(response.fieldErrors?.reason ? null : { tone: "error", text: response.error });
        return;
      }
      setReasonError(null);
      setResult({ tone: "success", text: "Rejected: the email stays out of every ticket." });
      router.refresh();
    });

  return (
    <div className="mt-3 flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={reasonId} className="field-label">
          Reason for rejecting (required to reject)
        </label>
        <input
          id={reasonId}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={500}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? errorId : undefined}
          className={`rounded-md border px-3 py-2 text-sm shadow-sm ${reasonError ? "border-red-600" : "border-slate-300"} bg-white text-slate-900`}
        />
        {reasonError ? (
          <p id={errorId} role="alert" className="text-sm text-red-700">
            {reasonError}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <Button onClick={accept} disabled={pending} aria-label={`Accept the email "${subject}"`}>
          Accept
        </Button>
        <Button variant="danger" onClick={reject} disabled={pending} aria-label={`Reject the email "${subject}"`}>
          Reject
        </Button>
      </div>
      {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
    </div>
  );
}
