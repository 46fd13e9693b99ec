import "server-only";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AgreementsSection } from "@/features/customers/components/agreements-section";
import { AuditTrailSection, ContactChangesSection } from "@/features/customers/components/audit-trail-section";
import { ContactDetailsEditor } from "@/features/customers/contacts/components/contact-details-editor";
import { CustomerHeaderSection } from "@/features/customers/components/customer-header";
import { CustomerTicketsSection } from "@/features/customers/components/customer-tickets-section";
import { IdentityHistorySection } from "@/features/customers/components/identity-history-section";
import { PortalAccountsSection } from "@/features/customers/components/portal-accounts-section";
import { customerHeader } from "@/features/customers/customer-profile";
import { CustomerMerges } from "@/features/customers/merge/components/customer-merges";
import { CustomerOrganisationSection } from "@/features/organisations/components/customer-organisation-section";
import { EraseCustomerLink } from "@/features/privacy/components/erase-customer-link";
import { requirePageActor } from "@/platform/auth/guard";
import { mayEnter } from "@/platform/auth/policy";
import { isUuid } from "@/platform/ids";
import { searchParamText } from "@/platform/text/schemas";

export const metadata: Metadata = { title: "Customer" };

/**
 * One customer for staff: who they are, how to reach them (masked), their tickets, agreements,
 * portal accounts, identity history and audit trail. Each section loads its own data
 * (features/customers/customer-profile.ts); adding a section is one line here.
 */
export default async function CustomerPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const header = await customerHeader(id.toLowerCase());
  if (!header) notFound();
  const query = await searchParams;
  const ticketPage = Number(searchParamText(query.tickets, 6)) || 1;
  const supervisor = mayEnter(actor.role, "supervisor");
  // An audit event id (PostgreSQL bigint): anything else, or past its range, is the first page.
  const auditText = searchParamText(query.audit, 19);
  const auditBefore = /^\d{1,19}$/.test(auditText) && BigInt(auditText) <= 9_223_372_036_854_775_807n ? BigInt(auditText) : undefined;

  return (
    <>
      <CustomerHeaderSection header={header} />
      <div className="flex flex-col gap-6">
        <CustomerOrganisationSection customerId={header.id} />
        <ContactDetailsEditor customerId={header.id} />
        <CustomerTicketsSection customerId={header.id} page={ticketPage} />
        <AgreementsSection customerId={header.id} customerName={header.name ?? "Erased customer"} mayChange={supervisor} />
        <PortalAccountsSection customerId={header.id} />
        <IdentityHistorySection customerId={header.id} />
        <ContactChangesSection customerId={header.id} />
        <AuditTrailSection customerId={header.id} beforeId={auditBefore} />
        <CustomerMerges customerId={header.id} mayMerge={supervisor} />
        <EraseCustomerLink customerId={header.id} customerName={header.name ?? "Erased customer"} show={supervisor && !header.erasedAt} />
      </div>
    </>
  );
}
