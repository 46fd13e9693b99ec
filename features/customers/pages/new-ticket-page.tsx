import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StartTicketForm } from "@/features/customers/components/start-ticket-form";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { customerSummary } from "@/features/tickets/phone-tickets";
import { isUuid } from "@/platform/ids";

export const metadata: Metadata = { title: "Start a ticket" };

export default async function NewConversationTicketPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const customer = await customerSummary(id);
  if (!customer) notFound();
  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/console/customers" className="font-medium text-brand-700 hover:underline">
          ← Back to customers
        </Link>
      </p>
      <PageHeader
        title={`Start a ticket for ${customer.name}`}
        description={
          <>
            {customer.organisationName ? `${customer.organisationName} · ` : ""}
            <span className="font-mono text-xs">{customer.accountNumber}</span>. The ticket is assigned to you; verify the caller on it next.
          </>
        }
      />
      <StartTicketForm customerId={customer.id} />
    </>
  );
}
