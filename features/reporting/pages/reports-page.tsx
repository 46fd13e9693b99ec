import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { BarTable, formatRate } from "@/ui/bar-table";
import { formatDuration } from "@/platform/text/durations";
import { CHANNEL_LABEL } from "@/features/tickets/labels";
import { Badge } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { ESCALATION_REASON_LABEL } from "@/features/escalations/schemas";
import { IDENTITY_BADGE_LABEL } from "@/features/identity/ticket-identity";
import { appNow } from "@/platform/clock";
import { REPORT_PERIODS, parseReportQuery, supervisorReport } from "@/features/reporting/supervisor-report";
import { SLA_SCOPE_LABELS } from "@/features/sla/policies";
import { LocalTime } from "@/ui/local-time";
import { formatInstant } from "@/platform/time-zone";

export const metadata: Metadata = { title: "Reports" };

const CONVERSATION_LABEL: Record<string, string> = { ...CHANNEL_LABEL, unknown: "Not recorded" };
const CODE_CHANNEL_LABEL: Record<string, string> = { email: "Email code", sms: "SMS code" };
const SLA_EVENT_LABEL: Record<string, string> = { first_response_breach: "First response missed", resolution_breach: "Resolution missed" };
const scopeLabel = (scope: string) => (SLA_SCOPE_LABELS as Record<string, string>)[scope] ?? (scope === "none" ? "No SLA recorded" : scope);
const max = (values: number[]) => Math.max(1, ...values);

function Section({ id, title, description, children }: { id: string; title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mb-3 mt-1 text-sm text-slate-600">{description}</p>
      {children}
    </section>
  );
}

/** Supervisor reporting: each chart is a table whose rows carry their number beside a CSS bar. */
export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("supervisor");
  const { days } = parseReportQuery(await searchParams);
  const report = await supervisorReport({ days: Number(days), now: await appNow() });
  const badgeMax = max(report.openTicketsByIdentity.map((row) => row.count));
  const reasonMax = max(report.escalationsByReason.map((row) => row.count));
  const periodText = `the last ${days} days`;
  const { overall } = report.timeToResolve;

  return (
    <>
      <PageHeader
        title="Reports"
        description={`Identity, escalations, SLAs and email health. Figures for ${periodText} (to ${formatInstant(report.period.to, await viewerTimeZone())}) unless a chart says otherwise.`}
      />
      <nav aria-label="Report period" className="mb-6 flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium text-slate-700">Period:</span>
        {REPORT_PERIODS.map((period) => (
          <Link
            key={period}
            href={`/supervisor/reports?days=${period}`}
            aria-current={period === days ? "page" : undefined}
            className={`rounded-full px-3 py-1 font-medium ring-1 ring-inset ${period === days ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            Last {period} days
          </Link>
        ))}
      </nav>

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
        <Section
          id="report-identity"
          title="Open tickets by identity status"
          description="Right now, with the badge the queue shows (new, open, waiting and on-hold tickets)."
        >
          <BarTable
            labelledBy="report-identity"
            headers={["Identity", "Tickets"]}
            rows={report.openTicketsByIdentity.map((row) => ({ label: IDENTITY_BADGE_LABEL[row.key], value: row.count, fraction: row.count / badgeMax }))}
          />
        </Section>

        <Section
          id="report-verification"
          title="Verification success by channel"
          description={`Identity checks in ${periodText} that passed, by how the person reached us. Partial matches count as not passed; supervisor overrides are left out.`}
        >
          <BarTable
            labelledBy="report-verification"
            headers={["Channel", "Passed", "Checks", "Success"]}
            tone="good"
            rows={report.verificationByConversationChannel.map((row) => ({
              label: CONVERSATION_LABEL[row.key] ?? row.key,
              cells: [row.passed, row.total],
              value: formatRate(row.passed, row.total),
              fraction: row.total ? row.passed / row.total : 0,
            }))}
          />
          <h3 id="report-code-channel" className="mb-2 mt-5 text-sm font-semibold text-slate-900">
            One-time codes by delivery channel
          </h3>
          <BarTable
            labelledBy="report-code-channel"
            headers={["Code sent by", "Passed", "Checks", "Success"]}
            tone="good"
            rows={report.verificationByCodeChannel.map((row) => ({
              label: CODE_CHANNEL_LABEL[row.key] ?? row.key,
              cells: [row.passed, row.total],
              value: formatRate(row.passed, row.total),
              fraction: row.total ? row.passed / row.total : 0,
            }))}
          />
        </Section>

        <Section id="report-escalations" title="Escalations by reason" description={`Raised in ${periodText}.`}>
          <BarTable
            labelledBy="report-escalations"
            headers={["Reason", "Escalations"]}
            tone="warn"
            rows={report.escalationsByReason.map((row) => ({ label: ESCALATION_REASON_LABEL[row.key], value: row.count, fraction: row.count / reasonMax }))}
          />
        </Section>

        <Section
          id="report-resolve"
          title="Time to resolve escalations"
          description={`Escalations resolved in ${periodText}, from raised to resolved. Median: half took less. 90th percentile: nine in ten took less.`}
        >
          <dl className="mb-4 grid grid-cols-3 gap-3">
            {[
              ["Resolved", String(overall.resolved)],
              ["Median", formatDuration(overall.medianSeconds)],
              ["90th percentile", formatDuration(overall.p90Seconds)],
            ].map(([term, value]) => (
              <div key={term} className="rounded-lg bg-slate-50 p-3">
                <dt className="text-xs font-medium text-slate-600">{term}</dt>
                <dd className="text-xl font-semibold tabular-nums text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
          <BarTable
            labelledBy="report-resolve"
            headers={["Reason", "Resolved", "Median", "90th percentile"]}
            empty={`No escalations were resolved in ${periodText}.`}
            rows={report.timeToResolve.byReason.map((row) => ({
              label: ESCALATION_REASON_LABEL[row.key],
              cells: [row.resolved, formatDuration(row.medianSeconds)],
              value: formatDuration(row.p90Seconds),
              fraction: (row.p90Seconds ?? 0) / max(report.timeToResolve.byReason.map((r) => r.p90Seconds ?? 0)),
            }))}
          />
        </Section>

        <Section id="report-sla" title="SLA breaches" description={`Targets missed in ${periodText}, as escalated automatically by the SLA job.`}>
          <p className="mb-3 text-sm text-slate-800">
            <span className="text-2xl font-semibold tabular-nums">{report.slaBreaches.total}</span> {report.slaBreaches.total === 1 ? "breach" : "breaches"}
          </p>
          {report.slaBreaches.total > 0 ? (
            <>
              <h3 id="report-sla-event" className="mb-2 text-sm font-semibold text-slate-900">
                By target
              </h3>
              <BarTable
                labelledBy="report-sla-event"
                headers={["Target", "Breaches"]}
                tone="bad"
                rows={report.slaBreaches.byEvent.map((row) => ({
                  label: SLA_EVENT_LABEL[row.key] ?? row.key,
                  value: row.count,
                  fraction: row.count / max(report.slaBreaches.byEvent.map((r) => r.count)),
                }))}
              />
              <h3 id="report-sla-tier" className="mb-2 mt-5 text-sm font-semibold text-slate-900">
                By agreement tier
              </h3>
              <BarTable
                labelledBy="report-sla-tier"
                headers={["Tier", "Breaches"]}
                tone="bad"
                rows={report.slaBreaches.byScope.map((row) => ({
                  label: scopeLabel(row.key),
                  value: row.count,
                  fraction: row.count / max(report.slaBreaches.byScope.map((r) => r.count)),
                }))}
              />
            </>
          ) : null}
        </Section>

        <Section id="report-bouncing" title="Bouncing addresses" description="Customer addresses our email cannot reach right now, or that marked it as spam.">
          <BarTable
            labelledBy="report-bouncing"
            headers={["Status", "Addresses"]}
            tone="bad"
            rows={report.bouncingAddresses.counts.map((row) => ({
              label: row.key === "bouncing" ? "Bouncing" : "Marked as spam",
              value: row.count,
              fraction: row.count / max(report.bouncingAddresses.counts.map((r) => r.count)),
            }))}
          />
          {report.bouncingAddresses.recent.length > 0 ? (
            <>
              <h3 id="report-bouncing-recent" className="mb-2 mt-5 text-sm font-semibold text-slate-900">
                Most recent
              </h3>
              <ul aria-labelledby="report-bouncing-recent" className="divide-y divide-slate-100 text-sm">
                {report.bouncingAddresses.recent.map((row) => (
                  <li key={row.address} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 py-2">
                    <span className="min-w-0 break-all">
                      <span className="font-medium text-slate-900">{row.address}</span>
                      <span className="block text-xs text-slate-600">
                        {row.customerName} · {row.accountNumber}
                      </span>
                    </span>
                    <span className="flex items-center gap-2 text-xs text-slate-600">
                      <Badge tone="bad">
                        {row.deliverability === "complained" ? "Marked as spam" : `${row.bounceCount} ${row.bounceCount === 1 ? "bounce" : "bounces"}`}
                      </Badge>
                      {row.lastBouncedAt ? <LocalTime value={row.lastBouncedAt} style="date" /> : null}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Section>
      </div>
    </>
  );
}
