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
import { CollapsibleSection } from "@/ui/collapsible-section";
import { requirePageActor } from "@/platform/auth/guard";
import { activeEscalationsForTicket, inReassignOrder } from "@/features/escalations/queries";
import { listCodeChannels } from "@/features/callers/caller-verification";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { bounceNoticeForTicket } from "@/features/tickets/bounce-notice";
import { listCannedReplies } from "@/features/tickets/canned-replies";
import { replyRecipient } from "@/features/tickets/desk";
import { activeStaff } from "@/features/staff/active-staff";
import { getTicketForStaff } from "@/features/tickets/staff-ticket";
import { CHANNEL_LABEL, ticketReference } from "@/features/tickets/labels";
import { slaStateForTicket } from "@/features/sla/ticket-sla";
import { isUuid } from "@/platform/ids";
import { serverEnv } from "@/platform/env";
import { attachmentLimits } from "@/features/tickets/uploads/limits";
import { surveyOfTicket } from "@/features/satisfaction/surveys";
import { TicketSatisfaction } from "@/features/satisfaction/components/ticket-satisfaction";

export const metadata: Metadata = { title: "Ticket" };

export default async function AgentTicketPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const ticket = await getTicketForStaff(id);
  if (!ticket) notFound();
  // Side by side: each read needs only the ticket, so the page waits for the slowest, not the sum.
  const [panel, bounce, staff, canned, survey, escalations, sla, codeChannels] = await Promise.all([
    identityPanelForTicket(id),
    bounceNoticeForTicket(id),
    activeStaff(),
    listCannedReplies(),
    surveyOfTicket(id),
    activeEscalationsForTicket(id),
    slaStateForTicket(ticket),
    ticket.customerId ? listCodeChannels(ticket.customerId) : [],
  ]);
  const isSupervisor = actor.role === "supervisor" || actor.role === "admin";
  const reassignable = isSupervisor ? inReassignOrder(staff) : [];
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
        {survey ? <TicketSatisfaction survey={survey} /> : null}
        {ticket.followUpTo || ticket.followUps.length > 0 ? (
          <p className="mt-2 flex flex-wrap gap-x-3 text-sm text-slate-700">
            {ticket.followUpTo ? (
              <span>
                Follow-up to{" "}
                <Link href={`/console/tickets/${ticket.followUpTo.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                  {ticketReference(ticket.followUpTo.number)}: {ticket.followUpTo.subject}
                </Link>
              </span>
            ) : null}
            {ticket.followUps.length > 0 ? (
              <span>
                Followed up in{" "}
                {ticket.followUps.map((followUp, index) => (
                  <span key={followUp.id}>
                    {index > 0 ? ", " : null}
                    <Link href={`/console/tickets/${followUp.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {ticketReference(followUp.number)}
                    </Link>
                  </span>
                ))}
              </span>
            ) : null}
          </p>
        ) : null}
        <SlaTimeLeft state={sla} />
        <LiveUpdates kind="staff-ticket" streamUrl={`/api/live/tickets/${ticket.id}`} presenceUrl={`/api/live/tickets/${ticket.id}/presence`} />
      </header>
      {/*
        Two columns from lg up: the conversation and the checks on the left, the controls and the
        identity on the right. In one column (a phone) the wrappers dissolve (display: contents) and
        `order` puts what an agent does every time first: thread, reply box, ticket controls; the
        caller check, escalation and identity details follow, folded.
      */}
      <div className="flex flex-col gap-6 lg:grid lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start">
        <div className="contents lg:flex lg:min-w-0 lg:flex-col lg:gap-6">
          <div className="flex min-w-0 flex-col gap-6 max-lg:order-1">
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
              offerArticles
              showDelivery
              attachmentBasePath="/console/attachments"
              messages={ticket.messages.map((message) => ({
                id: message.id,
                kind: message.kind,
                body: message.body,
                createdAt: message.createdAt,
                // Written through the REST API: the token's name. No author and no address: a note the app
                // wrote itself (an automatic SLA escalation).
                authorName:
                  message.author?.name ??
                  (message.authorApiToken ? `${message.authorApiToken.name} (API)` : null) ??
                  (message.kind === "internal_note" && !message.authorAddress ? "Veridesk (automatic)" : null),
                authorIsStaff: Boolean((message.author && message.author.role !== "customer") || message.authorApiTokenId),
                authorAddress: message.authorAddress,
                deliveryStatus: message.deliveryStatus,
                deliveryDetail: message.deliveryDetail,
                attachments: message.attachments,
                wholeEmail: message.inboundEmail && message.inboundEmail.textBody !== message.body ? message.inboundEmail.textBody : null,
              }))}
            />
            <AgentComposer
              ticketId={ticket.id}
              recipient={replyTo.to}
              notEmailedBecause={replyTo.notEmailedBecause}
              cannedReplies={canned}
              bouncing={panel?.addressDeliverability === "bouncing" || panel?.addressDeliverability === "complained"}
              attachmentLimits={attachmentLimits(serverEnv())}
            />
          </div>
          <div className="flex min-w-0 flex-col gap-6 max-lg:order-3">
            <CollapsibleSection title="Caller check">
              <section
                id="verify-caller"
                aria-labelledby="verify-caller-heading"
                className="scroll-mt-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
              >
                <h2 id="verify-caller-heading" className="mb-3 text-base font-semibold">
                  Verify caller
                </h2>
                {ticket.customerId ? (
                  <VerifyCaller customerId={ticket.customerId} ticketId={ticket.id} channels={codeChannels} />
                ) : (
                  <p className="text-sm text-slate-700">
                    This ticket is not linked to a customer record, so there is nothing to check the caller against. Find the customer under Customers and start
                    a phone ticket for them.
                  </p>
                )}
              </section>
            </CollapsibleSection>
            <CollapsibleSection title="Escalation">
              <EscalateForm ticketId={ticket.id} alreadyEscalated={escalations.some((escalation) => !escalation.automatic)} />
            </CollapsibleSection>
          </div>
        </div>
        <aside className="contents lg:flex lg:min-w-0 lg:flex-col lg:gap-6" aria-label="Ticket details">
          <div className="min-w-0 max-lg:order-2">
            <TicketControls
              ticketId={ticket.id}
              status={ticket.status}
              priority={ticket.priority}
              assigneeId={ticket.assignee?.id ?? null}
              staff={staff}
              meId={actor.userId}
            />
          </div>
          {panel || isSupervisor ? (
            <div className="min-w-0 max-lg:order-4">
              <CollapsibleSection title="Identity details">
                {panel ? <IdentityPanel panel={panel} /> : null}
                {isSupervisor ? <IdentityOverrideForm ticketId={ticket.id} /> : null}
              </CollapsibleSection>
            </div>
          ) : null}
        </aside>
      </div>
    </>
  );
}
