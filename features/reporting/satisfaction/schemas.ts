import { z } from "zod";
import { isoDate } from "@/platform/text/schemas";

/**
 * The satisfaction report's date range: two calendar days in the viewer's time zone, both
 * included. Missing days default to the last 30 days; a range of more than MAX_RANGE_DAYS or one
 * that ends before it starts is refused with a message (the page then shows the default range).
 */
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

export const SATISFACTION_TABLES = ["agents", "tiers", "identity", "deflection", "searches"] as const;
export type SatisfactionTable = (typeof SATISFACTION_TABLES)[number];

export const satisfactionRangeSchema = z
  .object({
    from: isoDate("Enter the first day as a real date (YYYY-MM-DD).").optional(),
    to: isoDate("Enter the last day as a real date (YYYY-MM-DD).").optional(),
  })
  .refine((range) => !range.from || !range.to || range.from <= range.to, { message: "The first day must come before the last.", path: ["to"] })
  .refine((range) => !range.from || !range.to || (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 < MAX_RANGE_DAYS, {
    message: `Choose at most ${MAX_RANGE_DAYS} days.`,
    path: ["to"],
  });
export type SatisfactionRangeInput = z.input<typeof satisfactionRangeSchema>;

export const satisfactionExportSchema = z.object({ table: z.enum(SATISFACTION_TABLES, { message: "Unknown table." }) });

/** The first string of a query parameter, or undefined (a repeated or absent parameter is not an error). */
const first = (value: string | string[] | null | undefined) => (Array.isArray(value) ? value[0] : (value ?? undefined));

export function rangeParamsOf(params: Record<string, string | string[] | undefined> | URLSearchParams) {
  const get = (key: string) => (params instanceof URLSearchParams ? (params.get(key) ?? undefined) : first(params[key]));
  const blank = (value: string | undefined) => (value?.trim() ? value : undefined);
  return { from: blank(get("from")), to: blank(get("to")) };
}
