import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { db } from "@/platform/db/client";
import { listAwaitingAccounts } from "@/features/customers/registration-review/review";
import { isUuid } from "@/platform/ids";

export const metadata: Metadata = { title: "Registrations awaiting a match" };

const when = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function RegistrationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("console");
  const params = await searchParams;
  const doneId = isUuid(params.done) ? params.done : null;
  const [accounts, done] = await Promise.all([
    listAwaitingAccounts(),
    doneId
      ? db.user.findFirst({
          where: { id: doneId, role: "customer" },
          select: { name: true, email: true, customer: { select: { name: true, company: true, accountNumber: true } } },
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
            {done.name} ({done.email}) is now linked to {done.customer.company ?? done.customer.name} ({done.customer.accountNumber}).
          </Alert>
        </div>
      ) : null}
      {accounts.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-10 text-center text-slate-600 shadow-sm">No accounts are waiting for a match.</p>
      ) : (
        // `relative`: the scroll box must also hold the visually hidden ("sr-only", absolutely
        // positioned) texts of its rows, or they stick out past it and the page scrolls sideways.
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Accounts awaiting a match, longest waiting first</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-3">
                  Name
                </th>
                <th scope="col" className="px-4 py-3">
                  Verified email
                </th>
                <th scope="col" className="px-4 py-3">
                  They typed (a hint)
                </th>
                <th scope="col" className="px-4 py-3">
                  Registered
                </th>
                <th scope="col" className="px-4 py-3">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {accounts.map((account) => (
                <tr key={account.id}>
                  <td className="px-4 py-3 font-medium text-slate-900">{account.name}</td>
                  <td className="px-4 py-3 break-all">{account.email}</td>
                  <td className="px-4 py-3">{account.accountHint ?? <span className="text-slate-500">Nothing</span>}</td>
                  <td className="px-4 py-3 whitespace-nowrap text-slate-600">
                    <time dateTime={account.createdAt.toISOString()}>{when(account.createdAt)}</time>
                  </td>
                  <td className="px-4 py-3 text-right">
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
