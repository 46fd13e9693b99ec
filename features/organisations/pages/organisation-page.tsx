import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/platform/auth/guard";
import { mayEnter } from "@/platform/auth/policy";
import { isUuid } from "@/platform/ids";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { organisationAgreements } from "@/features/customers/agreement-changes";
import { AgreementPanel } from "@/features/customers/components/agreement-panel";
import { ContactsPanel } from "@/features/organisations/components/contacts-panel";
import { DomainsPanel } from "@/features/organisations/components/domains-panel";
import { EditOrganisationForm } from "@/features/organisations/components/organisation-form";
import { getOrganisation } from "@/features/organisations/organisations";

export const metadata: Metadata = { title: "Organisation" };

const day = (date?: Date) => date?.toISOString().slice(0, 10) ?? "";

/** One organisation: name and notes, mail domains, contacts, and its agreements (supervisors change them). */
export default async function OrganisationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ created?: string | string[] }>;
}) {
  const actor = await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const organisation = await getOrganisation(id);
  if (!organisation) notFound();
  const { agreements, entitlement } = await organisationAgreements(organisation.id);
  const mayChange = mayEnter(actor.role, "supervisor");
  const created = (await searchParams).created === "1";

  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/console/organisations" className="font-medium text-brand-700 hover:underline">
          ← Back to organisations
        </Link>
      </p>
      <PageHeader
        title={organisation.name}
        description={
          entitlement.status === "valid"
            ? `Covered: its ${entitlement.tier} agreement, valid until ${day(entitlement.endsOn)}, covers every contact.`
            : "No agreement of the organisation is valid today (contacts may hold their own)."
        }
      />
      <div className="flex flex-col gap-6">
        {created ? <Alert tone="success">Organisation created. Add its contacts and mail domains below.</Alert> : null}
        <Panel id="details" title="Name and notes">
          <EditOrganisationForm organisationId={organisation.id} name={organisation.name} notes={organisation.notes ?? ""} />
        </Panel>
        <Panel
          id="contacts"
          title="Contacts"
          description="Customers who belong to the organisation. Its agreements cover each of them, as well as any of their own."
        >
          <ContactsPanel organisationId={organisation.id} contacts={organisation.customers} />
        </Panel>
        <Panel
          id="domains"
          title="Mail domains"
          description="A registration from one of these domains suggests the organisation to the reviewer. A suggestion, never proof: nobody is linked by domain alone."
        >
          <DomainsPanel organisationId={organisation.id} domains={organisation.domains} />
        </Panel>
        <Panel
          id="agreements"
          title="Support agreements"
          description={
            <>
              Changes apply to new tickets only: tickets already open keep their due times.
              {mayChange ? null : " Only a supervisor or an administrator can change agreements."}
            </>
          }
        >
          <AgreementPanel organisationId={organisation.id} customerName={organisation.name} agreements={agreements} mayChange={mayChange} />
        </Panel>
      </div>
    </>
  );
}
