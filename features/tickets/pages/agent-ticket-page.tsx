import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EscalateForm } from "@/features/escalations/components/escalate-form";
import { EscalationBanner } from "@/features/escalations/components/escalation-banner";
import { IdentityOverrideForm } from "@/features/escalations/components/identity-override-form";
import { VerifyCaller } from "@/features/callers/components/verify-caller";
import { AgentComposer } from "@/features/tickets/components/agent-composer";
import { IdentityPanel } from "@/features/identity/components/identity-panel";
import { Thread } from "@/features/tickets/components/thread";
import { LiveUpdates } from "@/features/tickets/live/components/live-updates";
import { TicketControls } from "@/features/tickets/components/ticket-controls";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { SlaTimeLeft } from "@/features/sla/components/sla-badge";
import { Alert } from "@/ui/alert";
import { requirePageActor } from "@/platform/auth/guard";
import { activeEscalationsForTicket, reassignableStaff } from "@/features/escalations/queries";
import { listCodeChannels } from "@/features/callers/caller-verification";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { bounceNoticeForTicket } from "@/features/tickets/bounce-notice";
import { listCannedReplies } from "@/features/tickets/canned-replies";
import { getTicketForStaff, listStaff, replyRecipient } from "@/features/tickets/desk";
import { ticketReference } from "@/features/tickets/labels";
import { slaStateForTicket } from "@/features/sla/ticket-sla";
import { isUuid } from "@/platform/ids";

export const metadata: Metadata = { title: "Ticket" };

const CHANNEL_LABEL = { web: "Portal", email: "Email", phone: "Phone", chat: "Chat" } as const;

export default async function AgentTicketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const ticket = await getTicketForStaff(id);
  if (!ticket) notFound();
  const [panel, bounce, staff, canned] = await Promise.all([identityPanelForTicket(id), bounceNoticeForTicket(id), listStaff(), listCannedReplies()]);

  const isSupervisor = actor.role === "supervisor" || actor.role === "admin";
  const [escalations, reassignable] = await Promise.all([activeEscalationsForTicket(id), isSupervisor ? reassignableStaff() : Promise.resolve([])]);
  const sla = await slaStateForTicket(ticket);

  const codeChannels = ticket.customerId ? await listCodeChannels(ticket.customerId) : [];
  // The same answer the reply service will give (replyRecipient: one rule, isSendableAddress).
  const replyTo = replyRecipient(ticket.requesterAddress);
  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/console" className="font-medium text-brand-700 hover:underline">
          ← Back to the queue
        </Link>
      </p>
      <header className="mb-6">
        <p className="font-mono text-xs text-slate-500">
          {ticketReference(ticket.number)} · {CHANNEL_LABEL[ticket.channel]}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{ticket.subject}</h1>
        <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <StatusBadge status={ticket.status} />
          <PriorityBadge priority={ticket.priority} />
          <span>from {ticket.requesterName ?? ticket.customer?.name ?? "unknown requester"}</span>
          {ticket.assignee ? <span>· assigned to {ticket.assignee.name}</span> : <span>· unassigned</span>}
        </div>
        <SlaTimeLeft state={sla} />
        <LiveUpdates kind="staff-ticket" streamUrl={`/api/live/tickets/${ticket.id}`} presenceUrl={`/api/live/tickets/${ticket.id}/presence`} />
      </header>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex min-w-0 flex-col gap-6">
          <EscalationBanner
            escalations={escalations}
            ticketLabel={ticketReference(ticket.number)}
            supervisor={isSupervisor ? { meId: actor.userId, staff: reassignable } : null}
          />
          {bounce ? (
            <Alert tone="error" title={`Your reply did not reach the customer: ${bounce.bouncedAddress} bounced.`}>
              {bounce.detail ? <p className="mt-1">The provider said: {bounce.detail}</p> : null}
              {bounce.alternatives.length > 0 ? (
                <div className="mt-2">
                  <p>Other addresses on the customer&apos;s record:</p>
                  <ul className="ml-5 list-disc">
                    {bounce.alternatives.map((alternative) => (
                      <li key={alternative.address}>
                        <span className="font-mono">{alternative.address}</span>
                        {alternative.isPrimary ? " (primary)" : " (alias)"}
                        {alternative.verified ? ", verified" : ", not verified: confirm with the customer first"}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <p className="mt-1">The customer has no other usable address on record: call them or ask them to update it in the portal.</p>
              )}
            </Alert>
          ) : null}
          <Thread
            showDelivery
            attachmentBasePath="/console/attachments"
            messages={ticket.messages.map((message) => ({
              id: message.id,
              kind: message.kind,
              body: message.body,
              createdAt: message.createdAt,
              // No author and no address: a note the app wrote itself (an automatic SLA escalation).
              authorName: message.author?.name ?? (message.kind === "internal_note" && !message.authorAddress ? "Veridesk (automatic)" : null),
              authorIsStaff: Boolean(message.author && message.author.role !== "customer"),
              authorAddress: message.authorAddress,
              deliveryStatus: message.deliveryStatus,
              deliveryDetail: message.deliveryDetail,
              attachments: message.attachments,
            }))}
          />
          <AgentComposer
            ticketId={ticket.id}
            recipient={replyTo.to}
            notEmailedBecause={replyTo.notEmailedBecause}
            cannedReplies={canned}
            bouncing={panel?.addressDeliverability === "bouncing" || panel?.addressDeliverability === "complained"}
          />
          <section id="verify-caller" aria-labelledby="verify-caller-heading" className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="verify-caller-heading" className="mb-3 text-base font-semibold">
              Verify caller
            </h2>
            {ticket.customerId ? (
              <VerifyCaller customerId={ticket.customerId} ticketId={ticket.id} channels={codeChannels} />
            ) : (
              <p className="text-sm text-slate-700">
                This ticket is not linked to a customer record, so there is nothing to check the caller against. Find the customer under Customers and start a
                phone ticket for them.
              </p>
            )}
          </section>
          <EscalateForm ticketId={ticket.id} alreadyEscalated={escalations.some((escalation) => !escalation.automatic)} />
        </div>
        <aside className="flex flex-col gap-6" aria-label="Ticket details">
          <TicketControls
            ticketId={ticket.id}
            status={ticket.status}
            priority={ticket.priority}
            assigneeId={ticket.assignee?.id ?? null}
            staff={staff}
            meId={actor.userId}
          />
          {panel ? <IdentityPanel panel={panel} /> : null}
          {isSupervisor ? <IdentityOverrideForm ticketId={ticket.id} /> : null}
        </aside>
      </div>
    </>
  );
}
