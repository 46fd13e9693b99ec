import "server-only";
import type { Metadata } from "next";
import { SlaPolicyForm } from "@/features/sla/components/sla-policy-form";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { supportedTimeZones } from "@/platform/time-zone";
import { listSlaPolicies, SLA_SCOPE_LABELS, timeOfDayOfMinutes } from "@/features/sla/policies";
import { readSlaBackfillProgress, type SlaBackfillProgress } from "@/features/sla/job";
import { backfillProgressText } from "@/features/sla/format";
import { Alert } from "@/ui/alert";

export const metadata: Metadata = { title: "SLA policies" };

/** The four SLA policies (one per agreement tier, one without agreement), each with its edit form. */
export default async function SlaPoliciesPage() {
  await requirePageActor("supervisor");
  const [policies, progress] = await Promise.all([listSlaPolicies(), readSlaBackfillProgress()]);
  const zones = supportedTimeZones();
  return (
    <>
      <PageHeader
        title="SLA policies"
        description="Targets for the first response and the resolution of a ticket, by the customer's agreement. A ticket gets its due times when it is opened; the SLA job escalates it automatically at the warning time and again when a target is missed."
      />
      <BackfillProgress progress={progress} />
      <div className="grid gap-6 xl:grid-cols-2">
        {policies.map((policy) => (
          <SlaPolicyForm
            key={policy.scope}
            title={SLA_SCOPE_LABELS[policy.scope as keyof typeof SLA_SCOPE_LABELS]}
            timeZones={zones}
            updatedAt={policy.updatedAt.toISOString().slice(0, 16).replace("T", " ")}
            policy={{
              scope: policy.scope as keyof typeof SLA_SCOPE_LABELS,
              firstResponseMinutes: String(policy.firstResponseMinutes),
              resolutionMinutes: String(policy.resolutionMinutes),
              warnBeforeMinutes: String(policy.warnBeforeMinutes),
              businessHoursOnly: policy.businessHoursOnly,
              businessDayStart: timeOfDayOfMinutes(policy.businessDayStartMinute),
              businessDayEnd: timeOfDayOfMinutes(policy.businessDayEndMinute),
              businessDays: policy.businessDays.map(String),
              timeZone: policy.timeZone,
            }}
          />
        ))}
      </div>
    </>
  );
}

const DAY_MS = 24 * 60 * 60_000;

function BackfillProgress({ progress }: { progress: SlaBackfillProgress | null }) {
  if (!progress) return null;
  const finished = progress.remaining === 0;
  if (finished && Date.now() - (progress.finishedAt ?? progress.lastSweepAt).getTime() > DAY_MS) return null;
  return (
    <div className="mb-6">
      <Alert tone={finished ? "success" : "info"} title={finished ? "Backlog done" : "Working through tickets without due times"}>
        <p>{backfillProgressText(progress)}</p>
        {finished ? null : (
          <p className="mt-1">The SLA job gives them due times in batches of 500 on each sweep; they are escalated when their targets have passed.</p>
        )}
      </Alert>
    </div>
  );
}
