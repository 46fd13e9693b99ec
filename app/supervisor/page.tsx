import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { TestEmailButton } from "@/components/supervisor/test-email-button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guard";
import { outboxStatusCounts } from "@/lib/delivery/outbox";
import { listOpenEscalations } from "@/lib/escalations/queries";
import { ticketReference } from "@/lib/tickets/labels";

export const metadata: Metadata = { title: "Supervisor" };

const REASON_LABEL = {
  identity_unverified: "Identity could not be verified",
  customer_request: "Customer request",
  sla_at_risk: "SLA at risk",
  sla_breached: "SLA breached",
  technical: "Technical",
} as const;

export default async function SupervisorPage() {
  await requirePageActor("supervisor");
  const [escalations, delivery] = await Promise.all([listOpenEscalations(), outboxStatusCounts()]);
  return (
    <>
      <PageHeader title="Supervisor" description="Escalations waiting for a supervisor, and the health of outgoing email and SMS." />
      <section aria-labelledby="escalations" className="mb-8">
        <h2 id="escalations" className="mb-3 text-lg font-semibold">Open escalations</h2>
        {escalations.length === 0 ? (
          <p className="text-sm text-slate-600">No open escalations.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {escalations.map((escalation) => (
              <li key={escalation.id} className="flex flex-wrap items-start justify-between gap-3 px-4 py-3">
                <div>
                  <span className="font-mono text-xs text-slate-500">{ticketReference(escalation.ticket.number)}</span>
                  <div className="font-medium">{escalation.ticket.subject}</div>
                  <p className="text-sm text-slate-600">{escalation.note}</p>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Badge tone="warn">{REASON_LABEL[escalation.reason]}</Badge>
                  <Badge tone={escalation.status === "open" ? "bad" : "info"}>
                    {escalation.status === "open" ? "Unclaimed" : `Claimed by ${escalation.assignee?.name ?? "a supervisor"}`}
                  </Badge>
                  {escalation.automatic ? <Badge>Automatic</Badge> : <Badge>By {escalation.raisedBy?.name ?? "an agent"}</Badge>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="delivery">
        <h2 id="delivery" className="mb-3 text-lg font-semibold">Outgoing messages</h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {(["queued", "sending", "sent", "failed"] as const).map((status) => (
            <div key={status} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{status}</dt>
              <dd className={`text-2xl font-semibold ${status === "failed" && delivery[status] > 0 ? "text-red-700" : ""}`}>{delivery[status]}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4">
          <TestEmailButton />
        </div>
      </section>
    </>
  );
}
