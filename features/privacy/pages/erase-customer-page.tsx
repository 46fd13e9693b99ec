import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import { Alert } from "@/ui/alert";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { EraseCustomerForm } from "@/features/privacy/components/erase-customer-form";
import { erasureSubject } from "@/features/privacy/erasure";

export const metadata: Metadata = { title: "Erase customer" };

/** The confirmation before erasing a customer (supervisors and administrators). */
export default async function EraseCustomerPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageActor("supervisor");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const customer = await erasureSubject(id);
  if (!customer) notFound();

  const back = (
    <p className="mb-3 text-sm">
      <Link href={`/console/customers/${customer.id}`} className="font-medium text-brand-700 hover:underline">
        ← Back to the customer
      </Link>
    </p>
  );

  if (customer.erasedAt) {
    return (
      <>
        {back}
        <PageHeader title="Erase customer" />
        <Alert tone="info" title="Already erased">
          This customer was erased on <LocalTime value={customer.erasedAt} style="date" />. There is nothing left to erase.
        </Alert>
      </>
    );
  }
  if (customer.mergedInto) {
    return (
      <>
        {back}
        <PageHeader title={`Erase ${customer.name}`} />
        <Alert tone="warning" title="This record was merged into another customer">
          Its addresses, phones and tickets now belong to{" "}
          <Link href={`/console/customers/${customer.mergedInto.id}`} className="font-medium underline">
            {customer.mergedInto.name}
          </Link>
          . Erase that customer instead: erasing it erases this record too.
        </Alert>
      </>
    );
  }

  const counts = customer._count;
  return (
    <>
      {back}
      <PageHeader title={`Erase ${customer.name}`} description={<span className="font-mono text-xs">{customer.accountNumber}</span>} />
      <div className="flex max-w-2xl flex-col gap-4 text-sm leading-6 text-slate-700">
        <Alert tone="warning" title="This cannot be undone">
          Erasing removes this person's personal data for good: there is no backup to restore it from in Veridesk.
        </Alert>
        <p>Erasing this customer:</p>
        <ul className="list-disc pl-5">
          <li>
            deletes their {counts.emails} email addresses and {counts.phones} phone numbers, and their {counts.users} portal accounts (signing them out
            everywhere);
          </li>
          <li>
            keeps their {counts.tickets} tickets for the numbers and reports, but blanks every subject and message (internal notes too) and deletes every
            attachment;
          </li>
          <li>deletes the emails and texts sent to them, emails received from them, verification codes and notifications about their tickets;</li>
          <li>renames the record "Erased customer" and unlinks its organisation; support agreements stay;</li>
          <li>keeps that identity checks happened (method, outcome, date) without any personal data, so reports still count them.</li>
        </ul>
        <EraseCustomerForm customerId={customer.id} customerName={customer.name} />
      </div>
    </>
  );
}
