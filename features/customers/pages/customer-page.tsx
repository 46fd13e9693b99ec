import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgreementPanel } from "@/features/customers/components/agreement-panel";
import { ContactDetailsEditor } from "@/features/customers/contacts/components/contact-details-editor";
import { Badge } from "@/ui/badge";
import { ButtonLink } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { mayEnter } from "@/platform/auth/policy";
import { customerAgreements } from "@/features/customers/agreement-changes";
import type { Entitlement } from "@/features/customers/agreements";
import { customerSummary } from "@/features/tickets/phone-tickets";
import { isUuid } from "@/platform/ids";
import { LocalTime } from "@/ui/local-time";

export const metadata: Metadata = { title: "Customer" };

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

/** One customer for staff: who they are (masked) and their support agreements; supervisors change agreements here. */
export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const customer = await customerSummary(id);
  if (!customer) notFound();
  const { agreements, entitlement } = await customerAgreements(customer.id);
  const mayChange = mayEnter(actor.role, "supervisor");

  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/console/customers" className="font-medium text-brand-700 hover:underline">
          ← Back to customers
        </Link>
      </p>
      <PageHeader
        title={customer.name}
        description={
          <>
            {customer.company ? `${customer.company} · ` : ""}
            <span className="font-mono text-xs">{customer.accountNumber}</span>
            {customer.maskedPrimaryEmail ? <span className="font-mono text-xs"> · {customer.maskedPrimaryEmail}</span> : null}
          </>
        }
        actions={
          <ButtonLink href={`/console/customers/${customer.id}/new-ticket`} variant="secondary" aria-label={`Start phone ticket for ${customer.name}`}>
            Start phone ticket
          </ButtonLink>
        }
      />
      <ContactDetailsEditor customerId={customer.id} />
      <section aria-labelledby="agreements-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="agreements-heading" className="text-lg font-semibold text-slate-900">
            Support agreements
          </h2>
          <p className="mt-1 text-sm leading-6 text-slate-700">
            <EntitlementLine entitlement={entitlement} />
          </p>
          <p className="mt-1 text-sm text-slate-600">
            A new ticket gets the SLA of the agreement valid when it is opened. Changes here apply to new tickets only: tickets already open keep their due
            times.
            {mayChange ? null : " Only a supervisor or an administrator can change agreements."}
          </p>
        </div>
        <AgreementPanel customerId={customer.id} customerName={customer.name} agreements={agreements} mayChange={mayChange} />
      </section>
    </>
  );
}
