import "server-only";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { appNow } from "@/platform/clock";
import { displayZone } from "@/platform/time-zone";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { ScrollTable } from "@/features/data-quality/report/components/report-tables";
import { type CountSeries, CountChart } from "@/features/reporting/satisfaction/components/satisfaction-charts";
import { goodShare, periodOf, type RatingRow, satisfactionReport } from "@/features/reporting/satisfaction/report";
import type { SatisfactionTable } from "@/features/reporting/satisfaction/schemas";

export const metadata: Metadata = { title: "Satisfaction and help centre" };

const RATING_SERIES: readonly CountSeries[] = [
  { key: "good", label: "Good", colour: "#15803d", pattern: "solid" },
  { key: "bad", label: "Bad", colour: "#b91c1c", pattern: "stripes" },
];
const DEFLECTION_SERIES: readonly CountSeries[] = [{ key: "count", label: "Forms", colour: "#1d4ed8", pattern: "solid" }];
const SEARCH_SERIES: readonly CountSeries[] = [{ key: "count", label: "Searches", colour: "#7c3aed", pattern: "solid" }];

const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 1000) / 10}%`);

function Section({
  id,
  title,
  description,
  exportHref,
  children,
}: {
  id: string;
  title: string;
  description: ReactNode;
  exportHref: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold text-slate-900">
          {title}
        </h2>
        <a href={exportHref} className="text-sm font-medium text-brand-700 underline underline-offset-2" download>
          Export CSV<span className="sr-only"> of {title}</span>
        </a>
      </div>
      <div className="mb-3 mt-1 text-sm text-slate-600">{description}</div>
      <div className="grid min-w-0 gap-4 lg:grid-cols-2">{children}</div>
    </section>
  );
}

const th = "px-3 py-2 text-left font-semibold";
const td = "px-3 py-2 tabular-nums";

function RatingTable({ labelledBy, first, rows }: { labelledBy: string; first: string; rows: RatingRow[] }) {
  return (
    <ScrollTable labelledBy={labelledBy}>
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className={th}>
              {first}
            </th>
            <th scope="col" className={th}>
              Sent
            </th>
            <th scope="col" className={th}>
              Rated
            </th>
            <th scope="col" className={th}>
              Good
            </th>
            <th scope="col" className={th}>
              Bad
            </th>
            <th scope="col" className={th}>
              Good share
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className="px-3 py-2 text-left font-medium text-slate-900">
                {row.label}
              </th>
              <td className={td}>{row.sent}</td>
              <td className={td}>{row.rated}</td>
              <td className={td}>{row.good}</td>
              <td className={td}>{row.bad}</td>
              <td className={td}>{percent(goodShare(row))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

const ratingSummary = (what: string, rows: RatingRow[]) =>
  rows.every((row) => row.rated === 0)
    ? `${what}: no ratings in this period.`
    : `${what}: ${rows
        .filter((row) => row.rated > 0)
        .map((row) => `${row.label} ${row.good} good, ${row.bad} bad`)
        .join("; ")}.`;

/** Satisfaction per agent, tier and identity path; the help centre's deflection and its searches that found nothing. */
export default async function SatisfactionReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("supervisor");
  const [params, zone, now] = await Promise.all([searchParams, viewerTimeZone(), appNow()]);
  const { period, errors } = periodOf(params, zone, now);
  const report = await satisfactionReport(period, now);
  const query = `from=${period.fromDay}&to=${period.toDay}`;
  const exportHref = (table: SatisfactionTable) => `/supervisor/satisfaction/export?table=${table}&${query}`;
  const bars = (rows: RatingRow[]) => rows.map((row) => ({ name: row.label, good: row.good, bad: row.bad }));
  const { deflection } = report;
  const errorText = Object.values(errors).flat();

  return (
    <>
      <PageHeader
        title="Satisfaction and help centre"
        description={`Ratings of the tickets solved from ${period.fromDay} to ${period.toDay} (days in ${displayZone(zone).zone}): ${report.overall.sent} surveys sent, ${report.overall.rated} rated, ${percent(goodShare(report.overall))} good.`}
      />
      <form method="get" action="/supervisor/satisfaction" className="mb-6 flex flex-wrap items-end gap-3 text-sm" aria-label="Report period">
        <label className="flex flex-col gap-1">
          <span className="font-medium text-slate-700">First day</span>
          <input type="date" name="from" defaultValue={period.fromDay} className="rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="font-medium text-slate-700">Last day</span>
          <input type="date" name="to" defaultValue={period.toDay} className="rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 font-medium text-white">
          Show
        </button>
        {errorText.length > 0 ? (
          <p role="alert" className="w-full text-red-700">
            {errorText.join(" ")} Showing the last 30 days instead.
          </p>
        ) : null}
      </form>
      <div className="flex flex-col gap-6">
        <Section
          id="satisfaction-agents"
          title="Satisfaction per agent"
          description="The agent who solved the ticket (its assignee when the REST API solved it). Veridesk has no teams, so there is no per-team breakdown."
          exportHref={exportHref("agents")}
        >
          <CountChart id="chart-agents" bars={bars(report.byAgent)} series={RATING_SERIES} summary={ratingSummary("Ratings per agent", report.byAgent)} />
          <RatingTable labelledBy="satisfaction-agents" first="Agent" rows={report.byAgent} />
        </Section>
        <Section
          id="satisfaction-tiers"
          title="Satisfaction per agreement tier"
          description="The customer's agreement valid on the day the ticket was solved."
          exportHref={exportHref("tiers")}
        >
          <CountChart id="chart-tiers" bars={bars(report.byTier)} series={RATING_SERIES} summary={ratingSummary("Ratings per tier", report.byTier)} />
          <RatingTable labelledBy="satisfaction-tiers" first="Tier" rows={report.byTier} />
        </Section>
        <Section
          id="satisfaction-identity"
          title="Satisfaction per identity path"
          description="How the requester was known when the ticket was solved: proved it themselves (verified account or address), checked by an agent, escalated as unverified, or a supervisor's override."
          exportHref={exportHref("identity")}
        >
          <CountChart
            id="chart-identity"
            bars={bars(report.byIdentityPath)}
            series={RATING_SERIES}
            summary={ratingSummary("Ratings per identity path", report.byIdentityPath)}
          />
          <RatingTable labelledBy="satisfaction-identity" first="Identity path" rows={report.byIdentityPath} />
        </Section>
        <Section
          id="help-deflection"
          title="Deflection"
          description="Portal new-ticket forms where the customer opened a suggested article: those never sent as a ticket were deflected (forms of the last hour are not counted yet)."
          exportHref={exportHref("deflection")}
        >
          <CountChart
            id="chart-deflection"
            bars={[
              { name: "Deflected", count: deflection.deflected },
              { name: "Filed anyway", count: deflection.formsWithSuggestionOpened - deflection.deflected },
            ]}
            series={DEFLECTION_SERIES}
            summary={`Deflection: ${deflection.deflected} of ${deflection.formsWithSuggestionOpened} forms with a suggestion opened were not filed (${percent(deflection.rate)}).`}
          />
          <ScrollTable labelledBy="help-deflection">
            <table className="w-full text-sm">
              <tbody className="divide-y divide-slate-100">
                <tr>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    Forms with a suggestion opened
                  </th>
                  <td className={td}>{deflection.formsWithSuggestionOpened}</td>
                </tr>
                <tr>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    Deflected
                  </th>
                  <td className={td}>{deflection.deflected}</td>
                </tr>
                <tr>
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    Deflection rate
                  </th>
                  <td className={td}>{percent(deflection.rate)}</td>
                </tr>
              </tbody>
            </table>
          </ScrollTable>
        </Section>
        <Section
          id="help-no-results"
          title="Top searches with no result"
          description="What people looked for in the help centre and found nothing: what to write next."
          exportHref={exportHref("searches")}
        >
          <CountChart
            id="chart-searches"
            bars={report.noResultSearches
              .slice(0, 10)
              .map((row) => ({ name: row.query.length > 18 ? `${row.query.slice(0, 17)}…` : row.query, count: row.count }))}
            series={SEARCH_SERIES}
            summary={
              report.noResultSearches.length === 0
                ? "No search without a result in this period."
                : `Searches with no result: ${report.noResultSearches
                    .slice(0, 10)
                    .map((row) => `“${row.query}” ${row.count} times`)
                    .join(", ")}.`
            }
          />
          <ScrollTable labelledBy="help-no-results">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className={th}>
                    Search
                  </th>
                  <th scope="col" className={th}>
                    Times
                  </th>
                  <th scope="col" className={th}>
                    Last
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {report.noResultSearches.length === 0 ? (
                  <tr>
                    <td colSpan={3} className="px-3 py-2 text-slate-600">
                      None in this period.
                    </td>
                  </tr>
                ) : (
                  report.noResultSearches.map((row) => (
                    <tr key={row.query}>
                      <th scope="row" className="break-all px-3 py-2 text-left font-medium">
                        {row.query}
                      </th>
                      <td className={td}>{row.count}</td>
                      <td className={td}>
                        <LocalTime value={row.lastAt} />
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </ScrollTable>
        </Section>
      </div>
    </>
  );
}
