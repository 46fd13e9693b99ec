import "server-only";
/**
 * CSV for spreadsheets, per RFC 4180: fields separated by commas, records ended by CRLF, a field
 * quoted when it holds a comma, a quote, CR or LF, and quotes inside doubled.
 *
 * Formula injection: Excel, LibreOffice and Google Sheets run a cell that starts with = + - @
 * (or a tab / carriage return, which some of them skip before looking) as a formula, so an
 * attacker-controlled value ("=HYPERLINK(…)") could act when a supervisor opens the export. Such a
 * cell gets a leading single quote, which spreadsheets show as text (OWASP "CSV Injection").
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export type CsvValue = string | number | bigint | boolean | Date | null | undefined;

/** One field, escaped. null / undefined are empty; dates are ISO 8601 (UTC). */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  // Numbers we write ourselves (ids, counts) are never formulas; only text is neutralised.
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + "\r\n";
}
