import "server-only";
import { csvRecord, type CsvValue } from "@/platform/csv";
import { goodShare, type RatingRow, type SatisfactionReport } from "@/features/reporting/satisfaction/report";
import type { SatisfactionTable } from "@/features/reporting/satisfaction/schemas";

/**
 * One table of the satisfaction report as CSV (platform/csv.ts: RFC 4180, formula cells
 * neutralised: a search is whatever a visitor typed). Each table is the one beside its chart.
 */
const ratingHeader = (first: string) => [first, "surveys_sent", "rated", "good", "bad", "good_share"];
const ratingValues = (row: RatingRow): CsvValue[] => {
  const share = goodShare(row);
  return [row.label, row.sent, row.rated, row.good, row.bad, share === null ? null : share.toFixed(3)];
};

export function satisfactionCsv(report: SatisfactionReport, table: SatisfactionTable): string {
  const rows: CsvValue[][] = (() => {
    switch (table) {
      case "agents":
        return [ratingHeader("agent"), ...report.byAgent.map(ratingValues)];
      case "tiers":
        return [ratingHeader("agreement_tier"), ...report.byTier.map(ratingValues)];
      case "identity":
        return [ratingHeader("identity_path"), ...report.byIdentityPath.map(ratingValues)];
      case "deflection": {
        const { formsWithSuggestionOpened, deflected, rate } = report.deflection;
        return [
          ["forms_with_suggestion_opened", "deflected", "filed", "deflection_rate"],
          [formsWithSuggestionOpened, deflected, formsWithSuggestionOpened - deflected, rate === null ? null : rate.toFixed(3)],
        ];
      }
      case "searches":
        return [["search", "times", "last_searched_at"], ...report.noResultSearches.map((row) => [row.query, row.count, row.lastAt])];
    }
  })();
  return [["period_from", report.period.fromDay, "period_to", report.period.toDay], ...rows].map(csvRecord).join("");
}

/** "veridesk-satisfaction-agents-2026-11-05-to-2026-12-04.csv" */
export const satisfactionCsvFilename = (report: SatisfactionReport, table: SatisfactionTable) =>
  `veridesk-satisfaction-${table}-${report.period.fromDay}-to-${report.period.toDay}.csv`;
