import "server-only";
import { db, type AgreementTier, type SurveyIdentityPath } from "@/platform/db/client";
import { deflectionFigures, type DeflectionFigures } from "@/features/help-centre/deflection";
import { TIER_LABEL } from "@/features/customers/labels";
import { DEFAULT_RANGE_DAYS, rangeParamsOf, satisfactionRangeSchema } from "@/features/reporting/satisfaction/schemas";

/**
 * The satisfaction report (issue 15): ratings of the surveys sent in a period (sent = the ticket
 * was solved), per agent who solved it, per agreement tier and per identity path (both recorded
 * on the survey when it was sent, so a later change to the ticket or the agreement does not move
 * past figures); the help centre's deflection rate and its searches that found nothing.
 * Veridesk has no teams, so there is no per-team breakdown.
 */

export type RatingCounts = { sent: number; rated: number; good: number; bad: number };
export type RatingRow = RatingCounts & { key: string; label: string };
export type NoResultSearch = { query: string; count: number; lastAt: Date };

export interface SatisfactionReport {
  period: { from: Date; to: Date; fromDay: string; toDay: string };
  overall: RatingCounts;
  byAgent: RatingRow[];
  byTier: RatingRow[];
  byIdentityPath: RatingRow[];
  deflection: DeflectionFigures;
  noResultSearches: NoResultSearch[];
}

export const TIER_ORDER: readonly (AgreementTier | "none")[] = ["premium", "standard", "basic", "none"];
export const TIER_WORDS: Record<AgreementTier | "none", string> = { ...TIER_LABEL, none: "No agreement" };
export const IDENTITY_PATH_ORDER: readonly SurveyIdentityPath[] = ["self_verified", "agent_checked", "escalated", "overridden", "unverified"];
export const IDENTITY_PATH_WORDS: Record<SurveyIdentityPath, string> = {
  self_verified: "Self-verified",
  agent_checked: "Agent-checked",
  escalated: "Escalated",
  overridden: "Overridden",
  unverified: "Unverified",
};

export const NO_RESULT_SEARCHES_SHOWN = 20;

/** The share of rated surveys that were good, or null when none was rated. */
export const goodShare = (counts: RatingCounts) => (counts.rated === 0 ? null : counts.good / counts.rated);

// ───────────── The period, in the viewer's time zone ─────────────

/** Minutes east of UTC of `zone` at `at`. */
function offsetMinutes(at: Date, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a calendar day begins in `zone` (UTC without a zone). */
export function dayStartIn(day: string, zone: string | null): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  if (!zone) return new Date(midnightUtc);
  const first = midnightUtc - offsetMinutes(new Date(midnightUtc), zone) * 60_000;
  return new Date(midnightUtc - offsetMinutes(new Date(first), zone) * 60_000);
}

/** The calendar day of an instant in `zone`. */
export function dayIn(at: Date, zone: string | null): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone ?? "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

export type ReportPeriod = SatisfactionReport["period"];

/**
 * The period a query string asks for: its days, both included, from the start of the first to the
 * start of the day after the last, in the viewer's zone. A malformed range falls back to the last
 * DEFAULT_RANGE_DAYS days, with the messages to show (never an error page).
 */
export function periodOf(
  params: Record<string, string | string[] | undefined> | URLSearchParams,
  zone: string | null,
  now: Date,
): { period: ReportPeriod; errors: Record<string, string[]> } {
  const parsed = satisfactionRangeSchema.safeParse(rangeParamsOf(params));
  const today = dayIn(now, zone);
  const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const toDay = (parsed.success && parsed.data.to) || today;
  const fromDay = (parsed.success && parsed.data.from) || shift(toDay, -(DEFAULT_RANGE_DAYS - 1));
  const period = { fromDay, toDay, from: dayStartIn(fromDay, zone), to: dayStartIn(shift(toDay, 1), zone) };
  return { period, errors: parsed.success ? {} : (parsed.error.flatten().fieldErrors as Record<string, string[]>) };
}

// ───────────── The figures ─────────────

type GroupRow = { dimension: string; key: string | null; label: string | null; sent: bigint; rated: bigint; good: bigint; bad: bigint };

const countsOf = (row: Pick<GroupRow, "sent" | "rated" | "good" | "bad"> | undefined): RatingCounts => ({
  sent: Number(row?.sent ?? 0),
  rated: Number(row?.rated ?? 0),
  good: Number(row?.good ?? 0),
  bad: Number(row?.bad ?? 0),
});

export async function satisfactionReport(period: ReportPeriod, now: Date = new Date()): Promise<SatisfactionReport> {
  // One scan of the period's surveys (the sentAt index), grouped four ways at once.
  const groups = await db.$queryRaw<GroupRow[]>`
    SELECT CASE WHEN GROUPING(s."agentId") = 0 THEN 'agent'
                WHEN GROUPING(s."tier") = 0 THEN 'tier'
                WHEN GROUPING(s."identityPath") = 0 THEN 'path'
                ELSE 'all' END AS "dimension",
           coalesce(CAST(s."agentId" AS text), CAST(s."tier" AS text), CAST(s."identityPath" AS text)) AS "key",
           max(u."name") AS "label",
           count(*) AS "sent",
           count(s."rating") AS "rated",
           count(*) FILTER (WHERE s."rating" = 'good') AS "good",
           count(*) FILTER (WHERE s."rating" = 'bad') AS "bad"
      FROM "SatisfactionSurvey" s
      LEFT JOIN "User" u ON u."id" = s."agentId"
     WHERE s."sentAt" >= ${period.from} AND s."sentAt" < ${period.to}
     GROUP BY GROUPING SETS ((s."agentId"), (s."tier"), (s."identityPath"), ())`;
  const of = (dimension: string) => groups.filter((row) => row.dimension === dimension);

  const byAgent = of("agent")
    .map((row) => ({ key: row.key ?? "none", label: row.key ? (row.label ?? "Former staff member") : "Unassigned", ...countsOf(row) }))
    .sort((a, b) => b.sent - a.sent || a.label.localeCompare(b.label));
  const tiers = new Map(of("tier").map((row) => [row.key ?? "none", row]));
  const byTier = TIER_ORDER.map((tier) => ({ key: tier, label: TIER_WORDS[tier], ...countsOf(tiers.get(tier)) }));
  const paths = new Map(of("path").map((row) => [row.key, row]));
  const byIdentityPath = IDENTITY_PATH_ORDER.map((path) => ({ key: path, label: IDENTITY_PATH_WORDS[path], ...countsOf(paths.get(path)) }));

  const [deflection, searches] = await Promise.all([
    deflectionFigures({ from: period.from, to: period.to, now }),
    db.$queryRaw<{ query: string; count: bigint; lastAt: Date }[]>`
      SELECT "query", count(*) AS "count", max("createdAt") AS "lastAt"
        FROM "KbSearch"
       WHERE "resultCount" = 0 AND "createdAt" >= ${period.from} AND "createdAt" < ${period.to}
       GROUP BY "query"
       ORDER BY count(*) DESC, max("createdAt") DESC, "query"
       LIMIT ${NO_RESULT_SEARCHES_SHOWN}`,
  ]);
  return {
    period,
    overall: countsOf(of("all")[0]),
    byAgent,
    byTier,
    byIdentityPath,
    deflection,
    noResultSearches: searches.map((row) => ({ query: row.query, count: Number(row.count), lastAt: row.lastAt })),
  };
}
