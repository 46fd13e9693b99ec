import "server-only";
import Link from "next/link";
import { EscalationActions, type StaffOption } from "@/features/escalations/components/escalation-actions";
import { EscalationFeedback } from "@/ui/feedback";
import { Badge } from "@/ui/badge";
import type { EscalationQueueRow } from "@/features/escalations/queries";
import { ESCALATION_REASON_LABEL } from "@/features/escalations/schemas";
import { TIER_LABEL } from "@/features/customers/labels";
import { describeSlaState } from "@/features/sla/format";
import { formatDuration } from "@/platform/text/durations";
import { PRIORITY_LABEL, STATUS_LABEL, ticketReference } from "@/features/tickets/labels";
import { formatAbsolute } from "@/platform/time-zone";
import { viewerTimeZone } from "@/platform/auth/guard";

/** Colour and a shape, so the SLA state reads without colour vision too. */
const SLA_TONE_CLASS = { bad: "text-red-700", warn: "text-amber-800", good: "text-emerald-800", neutral: "text-slate-600" } as const;
const SLA_SYMBOL = { bad: "✗", warn: "!", good: "✓", neutral: "–" } as const;

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{term}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** The supervisors' escalation queue: one card per escalation, oldest first, with its facts and actions. */
export async function EscalationQueue({ rows, meId, staff, emptyText }: { rows: EscalationQueueRow[]; meId: string; staff: StaffOption[]; emptyText: string }) {
  const zone = await viewerTimeZone();
  return (
    <EscalationFeedback>
      {rows.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">{emptyText}</p>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Escalations, oldest first">
          {rows.map((row) => {
            const label = ticketReference(row.ticket.number);
            const sla = describeSlaState(row.sla);
            const headingId = `escalation-${row.id}`;
            return (
              <li key={row.id}>
                <article aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <h3 id={headingId} className="min-w-0 text-base font-semibold">
                      <Link href={`/console/tickets/${row.ticket.id}`} className="text-brand-700 hover:underline">
                        <span className="font-mono text-sm">{label}</span> <span className="break-words">{row.ticket.subject}</span>
                      </Link>
                    </h3>
                    <div className="flex flex-wrap gap-1.5">
                      <Badge tone={row.reason === "identity_unverified" || row.reason === "sla_breached" ? "bad" : "warn"}>
                        {ESCALATION_REASON_LABEL[row.reason]}
                      </Badge>
                      {row.automatic ? <Badge tone="info">Automatic</Badge> : null}
                      <Badge tone={row.status === "open" ? "bad" : "info"}>
                        {row.status === "open" ? "Unclaimed" : `Claimed by ${row.claimedBy?.id === meId ? "you" : (row.claimedBy?.name ?? "a supervisor")}`}
                      </Badge>
                    </div>
                  </div>
                  <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-800">
                    <span className="sr-only">Note: </span>
                    {row.note}
                  </p>
                  <p className="mt-1 text-xs text-slate-600">
                    {row.automatic
                      ? `Raised automatically by the SLA job${row.slaEvent ? ` (${row.slaEvent.replaceAll("_", " ")})` : ""}`
                      : `Raised by ${row.raisedBy ?? "a former member of staff"}`}
                  </p>
                  <dl className="mt-3 grid grid-cols-2 gap-3 border-t border-slate-100 pt-3 sm:grid-cols-4">
                    <Fact term="Waiting">
                      <time dateTime={row.raisedAt.toISOString()} title={formatAbsolute(row.raisedAt, zone)}>
                        {formatDuration(row.ageSeconds, { seconds: true })}
                      </time>
                    </Fact>
                    <Fact term="SLA">
                      <span className={`flex items-start gap-1.5 font-medium ${SLA_TONE_CLASS[sla.tone]}`}>
                        <span aria-hidden="true">{SLA_SYMBOL[sla.tone]}</span>
                        <span>{sla.withPhase}</span>
                      </span>
                    </Fact>
                    <Fact term="Customer">
                      {row.customer ? (
                        <>
                          <span className="block truncate">{row.customer.name}</span>
                          <span className="text-xs text-slate-600">
                            {row.customer.tier ? `${TIER_LABEL[row.customer.tier]} agreement` : "No valid agreement"}
                          </span>
                        </>
                      ) : (
                        "Not matched"
                      )}
                    </Fact>
                    <Fact term="Ticket">
                      {STATUS_LABEL[row.ticket.status as keyof typeof STATUS_LABEL] ?? row.ticket.status} ·{" "}
                      {PRIORITY_LABEL[row.ticket.priority as keyof typeof PRIORITY_LABEL] ?? row.ticket.priority}
                      <span className="block text-xs text-slate-600">{row.ticket.assignee ? `Assigned to ${row.ticket.assignee}` : "Unassigned"}</span>
                    </Fact>
                  </dl>
                  <div className="mt-3 border-t border-slate-100 pt-3">
                    <EscalationActions
                      escalation={{ id: row.id, status: row.status, claimedBy: row.claimedBy, ticketLabel: label }}
                      meId={meId}
                      staff={staff}
                    />
                  </div>
                </article>
              </li>
            );
          })}
        </ol>
      )}
    </EscalationFeedback>
  );
}
