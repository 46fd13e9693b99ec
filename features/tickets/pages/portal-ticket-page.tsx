import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CustomerReply } from "@/features/tickets/components/customer-reply";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { Thread } from "@/features/tickets/components/thread";
import { LiveUpdates } from "@/features/tickets/live/components/live-updates";
import { Alert } from "@/ui/alert";
import { requirePageActor } from "@/platform/auth/guard";
import { getOwnTicket } from "@/features/tickets/desk";
import { ticketReference } from "@/features/tickets/labels";
import { isUuid } from "@/platform/ids";

export const metadata: Metadata = { title: "Ticket" };

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
            authorName: message.authorUserId === actor.userId ? "You" : (message.author?.name ?? message.authorAddress),
            authorIsStaff: Boolean(message.author && message.author.role !== "customer"),
            authorAddress: message.authorAddress,
            attachments: message.attachments,
          }))}
        />
        <CustomerReply ticketId={ticket.id} closed={ticket.status === "closed"} />
      </div>
    </div>
  );
}
