import "server-only";
import { AgreementPanel } from "@/features/customers/components/agreement-panel";
import { customerAgreements } from "@/features/customers/agreement-changes";
import type { Entitlement } from "@/features/customers/agreements";
import { Badge } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";

const day = (date?: Date) => date?.toISOString().slice(0, 10) ?? "";

function EntitlementLine({ entitlement }: { entitlement: Entitlement }) {
  switch (entitlement.status) {
    case "valid":
      return (
        <>
          <Badge tone="good">Covered</Badge>{" "}
          <span>
            {entitlement.tier} agreement, valid until {day(entitlement.endsOn)}
          </span>
        </>
      );
    case "cancelled":
      return (
        <>
          <Badge tone="bad">Not covered</Badge>{" "}
          <span>
            the {entitlement.tier} agreement was cancelled on {entitlement.cancelledAt ? <LocalTime value={entitlement.cancelledAt} style="date" /> : null}
          </span>
        </>
      );
    case "expired":
      return (
        <>
          <Badge tone="warn">Not covered</Badge>{" "}
          <span>
            the {entitlement.tier} agreement ended on {day(entitlement.endsOn)}
          </span>
        </>
      );
    default:
      return (
        <>
          <Badge>Not covered</Badge> <span>no support agreement is valid today</span>
        </>
      );
  }
}

/** The customer's support agreements and what they entitle to today; supervisors change them here. */
export async function AgreementsSection({ customerId, customerName, mayChange }: { customerId: string; customerName: string; mayChange: boolean }) {
  const { agreements, entitlement } = await customerAgreements(customerId);
  return (
    <section aria-labelledby="agreements-heading" className="flex flex-col gap-3">
      <div>
        <h2 id="agreements-heading" className="text-lg font-semibold text-slate-900">
          Support agreements
        </h2>
        <p className="mt-1 text-sm leading-6 text-slate-700">
          <EntitlementLine entitlement={entitlement} />
        </p>
        <p className="mt-1 text-sm text-slate-600">
          A new ticket gets the SLA of the agreement valid when it is opened. Changes here apply to new tickets only: tickets already open keep their due times.
          {mayChange ? null : " Only a supervisor or an administrator can change agreements."}
        </p>
      </div>
      <AgreementPanel customerId={customerId} customerName={customerName} agreements={agreements} mayChange={mayChange} />
    </section>
  );
}
