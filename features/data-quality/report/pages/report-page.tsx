import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import { REASONS, VALIDITY_LABELS } from "@/features/data-quality/reasons";
import { type ShareBar, ShareChart, TrendChart, type TrendRow } from "@/features/data-quality/report/components/quality-charts";
import { CATEGORY_LABEL, ShareTable, TrendTable } from "@/features/data-quality/report/components/report-tables";
import { formatShare, SERIES } from "@/features/data-quality/report/components/series";
import {
  campaignTotals,
  type Category,
  dataQualitySnapshot,
  dataQualityTrend,
  type TrendChannel,
  type TrendPoint,
} from "@/features/data-quality/report/report";
import { contactQueryString } from "@/features/data-quality/report/schemas";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { formatInstant } from "@/platform/time-zone";
import { BarTable } from "@/ui/bar-table";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";

export const metadata: Metadata = { title: "Data quality" };

function Section({ id, title, description, children }: { id: string; title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <div className="mb-3 mt-1 text-sm text-slate-600">{description}</div>
      {children}
    </section>
  );
}

const share = (part: number, total: number) => (total === 0 ? 0 : Math.round((part / total) * 1000) / 10);
const shares = (counts: TrendChannel | Category) =>
  Object.fromEntries(SERIES.map((series) => [series.key, share(counts[series.key], counts.total)])) as Omit<ShareBar, "name">;

/** "Email addresses: 120 in all; 40% verified, 30% valid, …" */
function summariseCategory(label: string, counts: TrendChannel | Category): string {
  if (counts.total === 0) return `${label}: none.`;
  return `${label}: ${counts.total} in all; ${SERIES.map((series) => `${formatShare(counts[series.key], counts.total)} ${series.label.toLowerCase()}`).join(", ")}.`;
}

function summariseTrend(label: string, points: TrendPoint[], channel: "email" | "phone", zone: string | null): string {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const at = (point: TrendPoint) => formatInstant(point.finishedAt, zone, "date");
  const part = (point: TrendPoint, key: "verified" | "invalid") => formatShare(point[channel][key], point[channel].total);
  if (points.length === 1) return `${label} at the one finished run (${at(last)}): ${summariseCategory(label, last[channel])}`;
  return `${label} over ${points.length} runs from ${at(first)} to ${at(last)}: verified went from ${part(first, "verified")} to ${part(last, "verified")}, invalid from ${part(first, "invalid")} to ${part(last, "invalid")}.`;
}

/** The data-quality report: live shares per category, reasons, duplicates, and the trend over finished validation runs. */
export default async function DataQualityReportPage() {
  await requirePageActor("supervisor");
  const [snapshot, trend, campaigns, zone] = await Promise.all([dataQualitySnapshot(), dataQualityTrend(), campaignTotals(), viewerTimeZone()]);
  const bars: ShareBar[] = snapshot.categories.map((category) => ({
    name: CATEGORY_LABEL[category.key].replace(" addresses", "").replace(" phones", ""),
    ...shares(category),
  }));
  const shareSummary = `Share of contacts by verdict. ${snapshot.categories.map((category) => summariseCategory(CATEGORY_LABEL[category.key], category)).join(" ")}`;
  const reasonRows = (channel: "email" | "phone") => {
    const rows = snapshot.reasons.filter((reason) => reason.channel === channel && reason.count > 0).sort((a, b) => b.count - a.count);
    const top = Math.max(1, ...rows.map((row) => row.count));
    return rows.map((reason) => ({
      label: reason.label,
      cells: [VALIDITY_LABELS[REASONS[reason.code].validity]],
      value: (
        <Link
          href={`/supervisor/data-quality/contacts${contactQueryString({ channel, reason: reason.code })}`}
          className="text-brand-700 underline decoration-slate-400 underline-offset-2"
          aria-label={`${reason.count}: list the contacts with “${reason.label}”`}
        >
          {reason.count}
        </Link>
      ),
      fraction: reason.count / top,
    }));
  };
  const trendRows = (channel: "email" | "phone"): TrendRow[] =>
    trend.map((point) => ({ when: formatInstant(point.finishedAt, zone, "date"), ...shares(point[channel]) }));

  return (
    <>
      <DataQualityNav />
      <PageHeader
        title="Data quality"
        description="How many customer contacts are verified by the customer, and what validation found about the rest. Counted live from the contacts; merged and erased customers are left out. Select any figure to see its contacts."
      />
      <div className="grid grid-cols-1 gap-5">
        <Section
          id="dq-shares"
          title="Contacts by verdict"
          description="Verified: the customer proved it (a code or link). The rest by their latest validation verdict. Each contact is counted once."
        >
          <div className="grid grid-cols-1 gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
            <figure className="min-w-0">
              <figcaption className="mb-2 text-sm font-medium text-slate-800">Share of each category, in percent</figcaption>
              <ShareChart id="dq-share-chart" bars={bars} summary={shareSummary} />
              <p className="mt-2 text-sm text-slate-600">{shareSummary}</p>
            </figure>
            <div className="min-w-0">
              <h3 id="dq-shares-table" className="mb-2 text-sm font-medium text-slate-800">
                Contacts by verdict, in numbers
              </h3>
              <ShareTable labelledBy="dq-shares-table" categories={snapshot.categories} />
            </div>
          </div>
        </Section>

        <Section
          id="dq-trend"
          title="Trend over validation runs"
          description="One point per finished validation run, from the counts it recorded then. Runs count verified contacts the same way as above."
        >
          {trend.length === 0 ? (
            <p className="text-sm text-slate-700">
              No validation run has finished yet; the trend starts with the first.{" "}
              <Link href="/supervisor/data-quality/validation" className="text-brand-700 underline">
                Run a validation
              </Link>
              .
            </p>
          ) : (
            <div className="grid grid-cols-1 gap-6">
              {(["email", "phone"] as const).map((channel) => {
                const label = channel === "email" ? "Email addresses" : "Phone numbers";
                const summary = summariseTrend(label, trend, channel, zone);
                return (
                  <div key={channel} className="grid grid-cols-1 gap-5 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
                    <figure className="min-w-0">
                      <figcaption className="mb-2 text-sm font-medium text-slate-800">{label}: share by verdict per run, in percent</figcaption>
                      <TrendChart rows={trendRows(channel)} summary={summary} />
                      <p className="mt-2 text-sm text-slate-600">{summary}</p>
                    </figure>
                    <div className="min-w-0">
                      <h3 id={`dq-trend-${channel}`} className="mb-2 text-sm font-medium text-slate-800">
                        {label} per run, in numbers
                      </h3>
                      <TrendTable
                        labelledBy={`dq-trend-${channel}`}
                        rows={[...trend].reverse().map((point) => ({
                          key: point.runId,
                          when: <LocalTime value={point.finishedAt} />,
                          trigger: point.trigger,
                          counts: point[channel],
                        }))}
                      />
                    </div>
                  </div>
                );
              })}
            </div>
          )}
        </Section>

        <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
          {(["email", "phone"] as const).map((channel) => (
            <Section
              key={channel}
              id={`dq-reasons-${channel}`}
              title={channel === "email" ? "Why email addresses were flagged" : "Why phone numbers were flagged"}
              description="Contacts per reason validation gave (a contact can have several). Select a figure to see them."
            >
              <BarTable
                labelledBy={`dq-reasons-${channel}`}
                headers={["Reason", "Verdict", "Contacts"]}
                tone="warn"
                empty="No contact has this kind of flag."
                rows={reasonRows(channel)}
              />
            </Section>
          ))}
        </div>

        <Section id="dq-duplicates" title="Duplicates" description="Phone numbers that more than one current customer has (often one person with two records).">
          <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
            {[
              ["Shared phone numbers", snapshot.duplicates.phones],
              ["Customers holding them", snapshot.duplicates.customers],
            ].map(([term, value]) => (
              <div key={term} className="rounded-lg bg-slate-50 p-3">
                <dt className="text-xs font-medium text-slate-600">{term}</dt>
                <dd className="text-xl font-semibold tabular-nums">
                  <Link
                    href={`/supervisor/data-quality/contacts${contactQueryString({ channel: "phone", duplicate: "yes" })}`}
                    className="text-brand-700 underline decoration-slate-400 underline-offset-2"
                  >
                    {value}
                  </Link>
                </dd>
              </div>
            ))}
            {campaigns.campaigns > 0 ? (
              <div className="rounded-lg bg-slate-50 p-3">
                <dt className="text-xs font-medium text-slate-600">Re-verification requests sent / verified</dt>
                <dd className="text-xl font-semibold tabular-nums text-slate-900">
                  {campaigns.sent} / {campaigns.verified}
                </dd>
              </div>
            ) : null}
          </dl>
        </Section>
      </div>
    </>
  );
}
