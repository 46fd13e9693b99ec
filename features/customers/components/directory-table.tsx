import "server-only";
import Link from "next/link";
import type { ReactNode } from "react";
import type { DirectoryRow } from "@/features/customers/directory";
import type { CustomerMatchedBy } from "@/features/tickets/phone-tickets";
import { Badge, type BadgeTone } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";

export const AGREEMENT_BADGE: Record<DirectoryRow["agreement"], { label: string; tone: BadgeTone }> = {
  valid: { label: "Valid", tone: "good" },
  expired: { label: "Expired", tone: "warn" },
  cancelled: { label: "Cancelled", tone: "bad" },
  none: { label: "None", tone: "neutral" },
};
const MATCHED_BY: Record<CustomerMatchedBy, string> = { name: "name", account_number: "account number", email: "email address", phone: "phone number" };

/** On narrow screens each row is a card and every value shows its column's name (.queue-row in app/globals.css). */
function Cell({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <td role="cell" data-label={label} className={className}>
      {children}
    </td>
  );
}

const COLUMNS = ["Customer", "Organisation", "Agreement", "Contacts", "Open tickets", "Created", ""];

/** The directory's rows: a table from 768 px up, stacked cards below (the queue's layout). */
export function DirectoryTable({ rows, caption, searching }: { rows: DirectoryRow[]; caption: string; searching: boolean }) {
  return (
    <div className="relative rounded-xl border border-slate-200 bg-white shadow-sm md:overflow-x-auto">
      <table role="table" className="block w-full text-left text-sm md:table">
        <caption className="sr-only">{caption}</caption>
        <thead role="rowgroup" className="list-head">
          <tr role="row">
            {COLUMNS.map((column, index) => (
              <th key={column || index} role="columnheader" scope="col" className="px-3 py-3 font-semibold">
                {column || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="block divide-y divide-slate-100 md:table-row-group">
          {rows.map((row) => (
            <tr key={row.id} role="row" className="queue-row" data-customer-row={row.id}>
              <td role="cell" className="col-span-2 md:min-w-[13rem]">
                <div>
                  {row.erased ? (
                    <span className="font-medium text-slate-600">Erased customer</span>
                  ) : (
                    <Link href={`/console/customers/${row.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {row.name}
                    </Link>
                  )}
                </div>
                <div className="queue-note">
                  <span className="font-mono">{row.accountNumber}</span>
                  {row.maskedPrimaryEmail ? <span className="font-mono"> · {row.maskedPrimaryEmail}</span> : null}
                  {row.matchedBy ? <span>{` · matched by ${MATCHED_BY[row.matchedBy]}`}</span> : null}
                </div>
              </td>
              <Cell label="Organisation" className="col-span-2 break-words md:col-span-1 md:max-w-[13rem]">
                {row.organisation ? (
                  <Link href={`/console/organisations/${row.organisation.id}`} className="text-brand-700 hover:underline">
                    {row.organisation.name}
                  </Link>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </Cell>
              <Cell label="Agreement">
                <Badge tone={AGREEMENT_BADGE[row.agreement].tone}>{AGREEMENT_BADGE[row.agreement].label}</Badge>
              </Cell>
              <Cell label="Contacts">
                <span className="inline-flex flex-wrap gap-1">
                  {row.bouncingContacts > 0 ? <Badge tone="bad">{`${row.bouncingContacts} bouncing`}</Badge> : null}
                  {row.unverifiedContacts > 0 ? <Badge tone="warn">{`${row.unverifiedContacts} unverified`}</Badge> : null}
                  {row.bouncingContacts === 0 && row.unverifiedContacts === 0 ? <span className="text-slate-500">All fine</span> : null}
                </span>
              </Cell>
              <Cell label="Open tickets">{row.openTickets}</Cell>
              <Cell label="Created" className="whitespace-nowrap text-slate-600">
                <LocalTime value={row.createdAt} style="date" />
              </Cell>
              <td role="cell" className="col-span-2 md:whitespace-nowrap">
                {searching && !row.erased ? (
                  <Link
                    href={`/console/customers/${row.id}/new-ticket`}
                    className="text-sm font-medium text-brand-700 hover:underline"
                    aria-label={`Start phone ticket for ${row.name}`}
                  >
                    Start phone ticket
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
