import "server-only";
import { db } from "@/platform/db/client";
import { CustomerOrganisation } from "@/features/organisations/components/customer-organisation";
import { organisationNames } from "@/features/organisations/organisations";

/** The customer page's organisation section (server part): loads the customer's organisation and the names to choose from. */
export async function CustomerOrganisationSection({ customerId }: { customerId: string }) {
  const [customer, names] = await Promise.all([
    db.customer.findUnique({ where: { id: customerId }, select: { organisation: { select: { id: true, name: true } } } }),
    organisationNames(),
  ]);
  if (!customer) return null;
  return <CustomerOrganisation customerId={customerId} organisation={customer.organisation} names={names} />;
}
