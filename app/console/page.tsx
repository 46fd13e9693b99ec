import type { Metadata } from "next";
import { PriorityBadge, StatusBadge } from "@/components/tickets/ticket-badges";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guard";
import { listOpenTickets } from "@/lib/tickets/queries";
import { ticketReference } from "@/lib/tickets/labels";

export const metadata: Metadata = { title: "Ticket queue" };

const CHANNEL_LABEL = { web: "Portal", email: "Email", phone: "Phone", chat: "Chat" } as const;

export default async function ConsolePage() {
  const actor = await requirePageActor("console");
  const tickets = await listOpenTickets();
  return (
    <>
      <PageHeader title="Ticket queue" description={`Signed in as ${actor.name}. Open tickets, most recently active first.`} />
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Open tickets</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3">Ticket</th>
              <th scope="col" className="px-4 py-3">Requester</th>
              <th scope="col" className="px-4 py-3">Channel</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3">Priority</th>
              <th scope="col" className="px-4 py-3">Assignee</th>
              <th scope="col" className="px-4 py-3">Last activity</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tickets.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-4 py-8 text-center text-slate-600">No open tickets. Nicely done.</td>
              </tr>
            ) : (
              tickets.map((ticket) => (
                <tr key={ticket.id}>
                  <td className="px-4 py-3">
                    <span className="font-mono text-xs text-slate-500">{ticketReference(ticket.number)}</span>
                    <div className="font-medium text-slate-900">{ticket.subject}</div>
                  </td>
                  <td className="px-4 py-3">
                    <div>{ticket.customer?.name ?? ticket.requesterName ?? "Unknown requester"}</div>
                    <div className="text-xs text-slate-500">{ticket.requesterAddress}</div>
                  </td>
                  <td className="px-4 py-3">{CHANNEL_LABEL[ticket.channel]}</td>
                  <td className="px-4 py-3"><StatusBadge status={ticket.status} /></td>
                  <td className="px-4 py-3"><PriorityBadge priority={ticket.priority} /></td>
                  <td className="px-4 py-3">{ticket.assignee?.name ?? <span className="text-slate-500">Unassigned</span>}</td>
                  <td className="px-4 py-3 whitespace-nowrap text-slate-600">
                    <time dateTime={ticket.lastActivityAt.toISOString()}>{ticket.lastActivityAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
