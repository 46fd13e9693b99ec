import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CustomerReply, type CustomerTicketState } from "@/features/tickets/components/customer-reply";
import { customerReopen, reopenDeadline } from "@/features/tickets/status-rules";
import { appNow } from "@/platform/clock";
import { formatInstant } from "@/platform/time-zone";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { Thread } from "@/features/tickets/components/thread";
import { LiveUpdates } from "@/features/tickets/live/components/live-updates";
import { Alert } from "@/ui/alert";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { customerReopenWindowDays, getOwnTicket } from "@/features/tickets/desk";
import { ticketReference } from "@/features/tickets/labels";
import { isUuid } from "@/platform/ids";
import { serverEnv } from "@/platform/env";
import { attachmentLimits } from "@/features/tickets/uploads/limits";
import type { TicketStatus } from "@/platform/db/generated/prisma/enums";

export const metadata: Metadata = { title: "Ticket" };

/** What the customer may do next, by the same rules the server applies (features/tickets/status-rules.ts). */
async function customerState(ticket: { id: string; status: TicketStatus; solvedAt: Date | null }): Promise<CustomerTicketState> {
  if (ticket.status !== "solved" && ticket.status !== "closed") return { kind: "working" };
  const windowDays = customerReopenWindowDays();
  const followUpHref = `/portal/tickets/new?followUp=${ticket.id}`;
  if (ticket.status === "solved" && ticket.solvedAt && customerReopen(ticket, await appNow(), windowDays).ok) {
    return { kind: "solved", reopenUntil: formatInstant(reopenDeadline(ticket.solvedAt, windowDays), await viewerTimeZone()) };
  }
  return {
    kind: "finished",
    followUpHref,
    reason:
      ticket.status === "closed"
        ? "This ticket is closed. If you need more help with it, open a follow-up ticket: it will refer to this one."
        : `This ticket was solved more than ${windowDays} ${windowDays === 1 ? "day" : "days"} ago, so it can no longer be reopened. Open a follow-up ticket: it will refer to this one.`,
  };
}

export default async function CustomerTicketPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const actor = await requirePageActor("portal");
  const { id } = await params;
  // Another customer's ticket and a ticket that does not exist look the same.
  const ticket = isUuid(id) ? await getOwnTicket(actor, id) : null;
  if (!ticket) notFound();
  const { created } = await searchParams;
  const state = await customerState(ticket);
  return (
    <div className="mx-auto max-w-3xl">
      <p className="mb-3 text-sm">
        <Link href="/portal" className="font-medium text-brand-700 hover:underline">
          ← My support
        </Link>
      </p>
      {created ? (
        <div className="mb-4">
          <Alert tone="success">Ticket {ticketReference(ticket.number)} is open. We will answer by email and here.</Alert>
        </div>
      ) : null}
      <header className="mb-6">
        <p className="font-mono text-xs text-slate-500">{ticketReference(ticket.number)}</p>
        <h1 className="text-2xl font-semibold tracking-tight">{ticket.subject}</h1>
        <div className="mt-2 flex gap-2">
          <StatusBadge status={ticket.status} />
          <PriorityBadge priority={ticket.priority} />
        </div>
        <LiveUpdates kind="customer-ticket" streamUrl={`/api/live/portal/tickets/${ticket.id}`} />
      </header>
      <div className="flex flex-col gap-6">
        <Thread
          attachmentBasePath="/portal/attachments"
          messages={ticket.messages.map((message) => ({
            id: message.id,
            kind: "public_reply" as const,
            body: message.body,
            createdAt: message.createdAt,
            authorName: message.authorUserId === actor.userId ? "You" : (message.author?.name ?? message.authorApiToken?.name ?? message.authorAddress),
            // A reply written through the REST API (authorApiToken) is the support team's.
            authorIsStaff: Boolean((message.author && message.author.role !== "customer") || message.authorApiToken),
            authorAddress: message.authorAddress,
            attachments: message.attachments,
          }))}
        />
        <CustomerReply ticketId={ticket.id} reference={ticketReference(ticket.number)} state={state} attachmentLimits={attachmentLimits(serverEnv())} />
      </div>
    </div>
  );
}
