"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { previewCampaignAction, startCampaignAction } from "@/features/data-quality/campaigns/actions";
import type { CampaignPreview } from "@/features/data-quality/campaigns/campaigns";
import {
  CAMPAIGN_MAX_MESSAGES,
  type CampaignCriteria,
  campaignCriteriaSchema,
  SKIP_REASON_LABELS,
  STALE_MONTHS_MAX,
} from "@/features/data-quality/campaigns/schemas";
import { JobProgressBar, useJobProgress } from "@/features/jobs/components/job-progress";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

const n = (count: number) => count.toLocaleString("en");

function CostClass({ preview }: { preview: CampaignPreview }) {
  if (preview.cost.kind === "free") return <p>Cost class: email, free to send.</p>;
  const { segmentsPerMessage, domestic, international, homeCountry } = preview.cost;
  return (
    <p>
      Cost class: SMS, {segmentsPerMessage} {segmentsPerMessage === 1 ? "segment" : "segments"} per message; {n(domestic)} domestic ({homeCountry}) and{" "}
      {n(international)} international. This is a class, not a price: your SMS provider's rates for each destination apply.
    </p>
  );
}

/** Select contacts, preview what would be sent and skipped, then send (a background job with a progress bar). */
export function CampaignForm() {
  const router = useRouter();
  const [preview, setPreview] = useState<{ criteria: CampaignCriteria; result: CampaignPreview } | null>(null);
  const [sending, setSending] = useState(false);
  const [started, setStarted] = useState<{ jobId: string; message: string } | null>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const form = useActionForm(campaignCriteriaSchema, previewCampaignAction, {
    defaultValues: { channel: "email", doubtful: true, invalid: false, unverified: false, staleMonths: "" },
    fields: ["channel", "doubtful", "invalid", "unverified", "staleMonths"],
    onSuccess: (result, criteria) => {
      setPreview({ criteria, result });
      setStarted(null);
      setSendError(null);
    },
  });
  const { job, error } = useJobProgress(started?.jobId ?? null, { onFinished: () => router.refresh() });

  const send = async () => {
    if (!preview) return;
    setSending(true);
    setSendError(null);
    const result = await startCampaignAction(preview.criteria);
    setSending(false);
    if (!result.ok) return setSendError(result.error);
    setStarted({ jobId: result.data.jobId, message: result.data.message });
    setPreview(null);
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={form.submit} onChange={() => setPreview(null)} noValidate className="flex flex-col gap-4" aria-label="New re-verification campaign">
        <fieldset className="flex flex-col gap-2">
          <legend className="text-sm font-medium text-slate-800">Send by</legend>
          <div className="flex flex-wrap gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" value="email" {...form.register("channel")} className="h-4 w-4" /> Email (a link and a code)
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" value="sms" {...form.register("channel")} className="h-4 w-4" /> SMS (a code and a short link, mobiles only)
            </label>
          </div>
        </fieldset>
        <fieldset className="flex flex-col gap-2" aria-describedby={form.errors.doubtful ? "campaign-groups-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Ask these contacts (any of the ticked groups)</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register("doubtful")} className="h-4 w-4" /> Doubtful after validation
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register("invalid")} className="h-4 w-4" /> Invalid after validation
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register("unverified")} className="h-4 w-4" /> Never verified
          </label>
          {form.errors.doubtful?.message ? (
            <p id="campaign-groups-error" role="alert" className="text-sm text-red-700">
              {form.errors.doubtful.message}
            </p>
          ) : null}
        </fieldset>
        <TextField
          label="Not verified for this many months"
          hint={`Optional, 1 to ${STALE_MONTHS_MAX}: also asks contacts verified longer ago than that (or never).`}
          inputMode="numeric"
          className="max-w-xs"
          error={form.errors.staleMonths?.message}
          {...form.register("staleMonths")}
        />
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
        <div>
          <SubmitButton variant="secondary" pending={form.pending} busy="Counting…">
            Preview
          </SubmitButton>
        </div>
      </form>

      {preview ? (
        <section aria-labelledby="campaign-preview" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4 text-sm text-slate-800">
          <h3 id="campaign-preview" className="text-base font-semibold text-slate-900">
            Preview
          </h3>
          <p data-testid="campaign-preview-counts">
            {n(preview.result.toSend)} {preview.result.toSend === 1 ? "message" : "messages"} would be sent;{" "}
            {n(preview.result.selected - preview.result.toSend)} of the {n(preview.result.selected)} selected would be skipped.
          </p>
          {preview.result.skipped.length > 0 ? (
            <ul className="list-disc pl-5" aria-label="Skipped, and why">
              {preview.result.skipped.map((item) => (
                <li key={item.reason}>
                  {SKIP_REASON_LABELS[item.reason] ?? item.reason}: {n(item.count)}
                </li>
              ))}
            </ul>
          ) : null}
          <CostClass preview={preview.result} />
          <p className="text-slate-600">
            The usual sending limits still apply to each contact (a request sent very recently, or the daily cap on texts to one number): such a contact is
            skipped, not sent.
          </p>
          {preview.result.overCap ? (
            <Alert tone="error">
              A campaign sends at most {n(CAMPAIGN_MAX_MESSAGES)} messages. Narrow the selection (fewer groups, or more months) and send the rest in another
              campaign.
            </Alert>
          ) : null}
          {sendError ? <Alert tone="error">{sendError}</Alert> : null}
          <div>
            <Button disabled={sending || preview.result.overCap || preview.result.toSend === 0} onClick={send}>
              {sending ? "Starting…" : `Send ${n(preview.result.toSend)} ${preview.result.toSend === 1 ? "request" : "requests"}`}
            </Button>
          </div>
        </section>
      ) : null}

      {started ? (
        <div className="flex flex-col gap-2">
          <Alert tone="success">{started.message}</Alert>
          <JobProgressBar job={job} error={error} label="Sending verification requests" />
        </div>
      ) : null}
    </div>
  );
}

/** A running campaign's progress on the list. */
export function CampaignProgress({ jobId }: { jobId: string }) {
  const router = useRouter();
  const { job, error } = useJobProgress(jobId, { onFinished: () => router.refresh() });
  return <JobProgressBar job={job} error={error} label="Sending this campaign" />;
}
