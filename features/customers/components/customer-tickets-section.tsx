import "server-only";
import Link from "next/link";
import { customerTickets } from "@/features/customers/customer-profile";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { ticketReference } from "@/features/tickets/labels";
import { buttonClasses } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { Panel } from "@/ui/panel";

/** Every ticket of the customer, open ones first, then by latest activity; 20 a page (`?tickets=2`). */
export async function CustomerTicketsSection({ customerId, page = 1 }: { customerId: string; page?: number }) {
  const tickets = await customerTickets(customerId, page);
  const href = (to: number) => `/console/customers/${customerId}?tickets=${to}#tickets-heading`;
  return (
    <Panel
      id="tickets-heading"
      title="Tickets"
      description={tickets.total === 0 ? undefined : `${tickets.open} open of ${tickets.total}. Open tickets first, then the most recently active.`}
    >
      {tickets.total === 0 ? (
        <p className="text-sm text-slate-600">No tickets yet.</p>
      ) : (
        <>
          <ul aria-label="Tickets of this customer" className="flex flex-col divide-y divide-slate-100">
            {tickets.rows.map((ticket) => (
              <li key={ticket.id} className="flex flex-col gap-1 py-2 text-sm sm:flex-row sm:items-center sm:justify-between sm:gap-3">
                <span className="min-w-0 [overflow-wrap:anywhere]">
                  <span className="font-mono text-xs text-slate-500">{ticketReference(ticket.number)}</span>{" "}
                  <Link href={`/console/tickets/${ticket.id}`} className="font-medium text-brand-700 hover:underline">
                    {ticket.subject}
                  </Link>
                </span>
                <span className="flex shrink-0 flex-wrap items-center gap-2">
                  <StatusBadge status={ticket.status} />
                  <PriorityBadge priority={ticket.priority} />
                  <span className="text-xs text-slate-600">
                    Updated <LocalTime value={ticket.lastActivityAt} />
                  </span>
                </span>
              </li>
            ))}
          </ul>
          {tickets.pageCount > 1 ? (
            <nav aria-label="Pages of tickets" className="mt-3 flex items-center justify-between gap-3 text-sm">
              {tickets.page > 1 ? (
                <Link href={href(tickets.page - 1)} className={buttonClasses("secondary")} rel="prev">
                  ← Newer
                </Link>
              ) : (
                <span />
              )}
              <span className="text-slate-600">
                Page {tickets.page} of {tickets.pageCount}
              </span>
              {tickets.page < tickets.pageCount ? (
                <Link href={href(tickets.page + 1)} className={buttonClasses("secondary")} rel="next">
                  Older →
                </Link>
              ) : (
                <span />
              )}
            </nav>
          ) : null}
        </>
      )}
    </Panel>
  );
}
