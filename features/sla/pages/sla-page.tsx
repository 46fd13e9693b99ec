import "server-only";
import type { Metadata } from "next";
import { SlaPolicyForm } from "@/features/sla/components/sla-policy-form";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { listSlaPolicies, SLA_SCOPE_LABELS, timeOfDayOfMinutes } from "@/features/sla/policies";

export const metadata: Metadata = { title: "SLA policies" };

/** All time zones the server knows, UTC first (Intl's list leaves it out on some platforms). */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return ["UTC", ...zones.filter((zone) => zone !== "UTC")];
}

/** The four SLA policies (one per agreement tier, one without agreement), each with its edit form. */
export default async function SlaPoliciesPage() {
  await requirePageActor("supervisor");
  const policies = await listSlaPolicies();
  const zones = timeZones();
  return (
    <>
      <PageHeader
        title="SLA policies"
        description="Targets for the first response and the resolution of a ticket, by the customer's agreement. A ticket gets its due times when it is opened; the SLA job escalates it automatically at the warning time and again when a target is missed."
      />
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
