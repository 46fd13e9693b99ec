import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { db } from "@/platform/db/client";
import { listAwaitingAccounts } from "@/features/customers/registration-review/review";
import { isUuid } from "@/platform/ids";
import { LocalTime } from "@/ui/local-time";

export const metadata: Metadata = { title: "Registrations awaiting a match" };

export default async function RegistrationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("console");
  const params = await searchParams;
  const doneId = isUuid(params.done) ? params.done : null;
  const [accounts, done] = await Promise.all([
    listAwaitingAccounts(),
    doneId
      ? db.user.findFirst({
          where: { id: doneId, role: "customer" },
          select: { name: true, email: true, customer: { select: { name: true, accountNumber: true, organisation: { select: { name: true } } } } },
        })
      : null,
  ]);

  return (
    <>
      <PageHeader
        title="Registrations awaiting a match"
        description="Portal accounts whose verified email address matched no customer record. Link each to its customer, or create a customer from it."
      />
      {done?.customer ? (
        <div className="mb-6">
          <Alert tone="success">
            {done.name} ({done.email}) is now linked to {done.customer.organisation?.name ?? done.customer.name} ({done.customer.accountNumber}).{" "}
            {doneId ? (
              <Link href={`/console/registrations/${doneId}#organisation`} className="font-semibold underline underline-offset-2">
                See the account
              </Link>
            ) : null}
          </Alert>
        </div>
      ) : null}
      {accounts.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-10 text-center text-slate-600 shadow-sm">No accounts are waiting for a match.</p>
      ) : (
        // From md up a table (scrolling inside its box if it must); on a phone each row is a card with
        // its labels above the values (a short list: plain label spans, not the queue's data-label), so nothing is cut off and the page never scrolls
        // sideways. `relative` keeps the rows' visually hidden texts inside the box.
        <div className="relative rounded-xl border border-slate-200 bg-white shadow-sm md:overflow-x-auto">
          <table role="table" className="block w-full text-left text-sm md:table">
            <caption className="sr-only">Accounts awaiting a match, longest waiting first</caption>
            <thead
              role="rowgroup"
              className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 md:table-header-group"
            >
              <tr role="row">
                {["Name", "Verified email", "They typed (a hint)", "Registered"].map((column) => (
                  <th key={column} role="columnheader" scope="col" className="px-4 py-3">
                    {column}
                  </th>
                ))}
                <th role="columnheader" scope="col" className="px-4 py-3">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup" className="block divide-y divide-slate-100 md:table-row-group">
              {accounts.map((account) => (
                <tr key={account.id} role="row" className="grid grid-cols-1 gap-y-2 px-4 py-3 md:table-row md:p-0">
                  <td role="cell" className="font-medium text-slate-900 md:px-4 md:py-3">
                    {account.name}
                  </td>
                  <td role="cell" className="break-all md:px-4 md:py-3">
                    <PhoneLabel>Verified email</PhoneLabel>
                    {account.email}
                  </td>
                  <td role="cell" className="md:px-4 md:py-3">
                    <PhoneLabel>They typed (a hint)</PhoneLabel>
                    {account.accountHint ?? <span className="text-slate-500">Nothing</span>}
                  </td>
                  <td role="cell" className="text-slate-600 md:whitespace-nowrap md:px-4 md:py-3">
                    <PhoneLabel>Registered</PhoneLabel>
                    <LocalTime value={account.createdAt} />
                  </td>
                  <td role="cell" className="md:px-4 md:py-3 md:text-right">
                    <Link
                      href={`/console/registrations/${account.id}`}
                      className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 font-semibold text-slate-800 hover:bg-slate-50"
                    >
                      Review<span className="sr-only"> {account.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** A cell's column name, shown above its value on a phone (where the table's head is hidden). */
function PhoneLabel({ children }: { children: string }) {
  return <span className="block text-xs font-semibold uppercase tracking-wide text-slate-500 md:hidden">{children}</span>;
}
