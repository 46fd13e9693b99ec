import "server-only";
import type { Metadata } from "next";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import { ValidationRunner } from "@/features/data-quality/validation/components/validation-runner";
import { validationOverview } from "@/features/data-quality/validation/validation-runs";
import { requirePageActor } from "@/platform/auth/guard";
import { Badge, type BadgeTone } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";

export const metadata: Metadata = { title: "Contact validation" };

const STATUS: Record<string, { label: string; tone: BadgeTone }> = {
  queued: { label: "Waiting", tone: "neutral" },
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Finished", tone: "good" },
  failed: { label: "Failed", tone: "bad" },
  cancelled: { label: "Cancelled", tone: "warn" },
};

/** Data quality → Validation: start a run of every contact, watch it, and the latest runs. */
export default async function ValidationPage() {
  await requirePageActor("supervisor");
  const { activeJobId, runs } = await validationOverview();
  const last = runs.find((run) => run.finishedAt !== null);
  return (
    <>
      <DataQualityNav />
      <PageHeader
        title="Contact validation"
        description="Checks every customer email address and phone number: syntax, whether the mail domain exists, disposable and role addresses, likely typos, bounces, whether a number is valid for its country and its line type, and numbers shared by several customers. Nothing is changed but each contact's verdict; it also runs every night."
      />
      <div className="space-y-6">
        <Panel id="validation-run" title="Validate every contact">
          <ValidationRunner activeJobId={activeJobId} lastCounts={last?.counts ?? null} />
        </Panel>
        <Panel id="validation-runs" title="Latest runs">
          {runs.length === 0 ? (
            <p className="text-sm text-slate-600">No run yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200" aria-label="Validation runs, newest first">
              {runs.map((run) => {
                const status = STATUS[run.status] ?? STATUS.queued!;
                return (
                  <li key={run.id} className="flex flex-col gap-1 py-3 text-sm sm:flex-row sm:items-baseline sm:justify-between sm:gap-4">
                    <div className="min-w-0">
                      <Badge tone={status.tone}>{status.label}</Badge>{" "}
                      <span className="font-medium">{run.trigger === "nightly" ? "Nightly" : `Started by ${run.startedBy ?? "a supervisor"}`}</span>{" "}
                      <LocalTime value={run.startedAt} />
                      {run.finishedAt ? (
                        <span className="text-slate-600">
                          {" "}
                          · finished <LocalTime value={run.finishedAt} style="time" />
                        </span>
                      ) : null}
                    </div>
                    <div className="text-slate-700 tabular-nums">
                      Email {run.counts.email.valid.toLocaleString("en")} / {run.counts.email.doubtful.toLocaleString("en")} /{" "}
                      {run.counts.email.invalid.toLocaleString("en")} · Phone {run.counts.phone.valid.toLocaleString("en")} /{" "}
                      {run.counts.phone.doubtful.toLocaleString("en")} / {run.counts.phone.invalid.toLocaleString("en")}
                      <span className="sr-only"> (valid / doubtful / invalid)</span>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          <p className="mt-3 text-xs text-slate-600">Figures are valid / doubtful / invalid.</p>
        </Panel>
      </div>
    </>
  );
}
