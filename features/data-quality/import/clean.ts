import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { isSendableAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { textProblem, toWellFormed } from "@/platform/text/schemas";
import { MAX_CELL_LENGTH } from "./csv-file";
import type { ImportField } from "./fields";

/**
 * One CSV row's cells, cleaned into what an import writes. Every value is trimmed and Unicode
 * normalised; a cell with NUL or control characters is refused (an issue), as is an address
 * isSendableAddress refuses or a phone number libphonenumber cannot read as a real number. A
 * cell starting with = + - @ is data like any other (a name can be "-"): it is stored as text and
 * only neutralised where a spreadsheet could run it, in the error report (platform/csv.ts).
 */

export type ImportValues = {
  accountNumber?: string;
  name?: string;
  organisation?: string;
  /** Display form; `emailKey` is the normalised one every match uses. */
  email?: string;
  aliases: string[];
  /** E.164 */
  mobile?: string;
  phone?: string;
};

export type ImportIssue = { column: string; value: string; reason: string };

export type CleanedRow = { values: ImportValues; issues: ImportIssue[] };

export type ColumnMapping = Record<string, ImportField>;

const MAX_NAME = 200;
const MAX_ACCOUNT = 64;

function cleanCell(raw: string): { value: string } | { problem: string } {
  const value = toWellFormed(raw).normalize("NFC").trim();
  const problem = textProblem(value);
  if (problem) return { problem };
  if (value.length > MAX_CELL_LENGTH) return { problem: `Longer than ${MAX_CELL_LENGTH} characters.` };
  return { value };
}

/** National numbers are read in `country`; "+…" and "00…" numbers in their own. */
export function toE164(value: string, country: CountryCode): string | null {
  const compact = value.replace(/^00/, "+");
  const parsed = parsePhoneNumberFromString(compact, country);
  return parsed?.isValid() ? parsed.number : null;
}

export function cleanRow(headers: readonly string[], cells: readonly string[], mapping: ColumnMapping, country: CountryCode): CleanedRow {
  const values: ImportValues = { aliases: [] };
  const issues: ImportIssue[] = [];
  const seenEmails = new Set<string>();
  const addEmail = (column: string, raw: string, primary: boolean) => {
    if (!isSendableAddress(raw)) {
      issues.push({ column, value: raw, reason: "Not an email address one can send to." });
      return;
    }
    const key = normalizeEmail(raw);
    if (seenEmails.has(key)) return;
    seenEmails.add(key);
    if (primary) values.email = raw;
    else values.aliases.push(raw);
  };
  for (let index = 0; index < headers.length; index++) {
    const column = headers[index] as string;
    const field = mapping[column] ?? "ignore";
    if (field === "ignore") continue;
    const raw = cells[index] ?? "";
    const cleaned = cleanCell(raw);
    if ("problem" in cleaned) {
      issues.push({ column, value: raw.slice(0, 200), reason: cleaned.problem });
      continue;
    }
    const value = cleaned.value;
    if (value === "") continue; // A blank cell never overwrites.
    switch (field) {
      case "accountNumber":
        if (value.length > MAX_ACCOUNT || /\s{2,}/.test(value))
          issues.push({ column, value, reason: `An account number is at most ${MAX_ACCOUNT} characters.` });
        else values.accountNumber = value;
        break;
      case "name":
        if (value.length > MAX_NAME) issues.push({ column, value: value.slice(0, 200), reason: `A name is at most ${MAX_NAME} characters.` });
        else values.name = value;
        break;
      case "organisation":
        if (value.length > MAX_NAME) issues.push({ column, value: value.slice(0, 200), reason: `An organisation name is at most ${MAX_NAME} characters.` });
        else values.organisation = value;
        break;
      case "email":
        if (values.email === undefined) {
          // Some exports put several addresses in one cell: the first is the primary.
          const [first, ...rest] = value.split(/[;,\s]+/).filter(Boolean);
          if (first) addEmail(column, first, true);
          for (const other of rest) addEmail(column, other, false);
        }
        break;
      case "alias":
        for (const part of value.split(/[;,\s]+/).filter(Boolean)) addEmail(column, part, false);
        break;
      case "mobile":
      case "phone": {
        const e164 = toE164(value, country);
        if (!e164) issues.push({ column, value, reason: `Not a phone number that exists (read as a ${country} number unless it starts with +).` });
        else if (field === "mobile") values.mobile = e164;
        else values.phone = e164;
        break;
      }
    }
  }
  // The primary may have been given only in an alias column: keep the aliases as aliases.
  if (values.phone && values.phone === values.mobile) delete values.phone;
  return { values, issues };
}

/** The addresses of a row, normalised, primary first. */
export function rowEmailKeys(values: ImportValues): string[] {
  return [values.email, ...values.aliases].filter((address): address is string => Boolean(address)).map(normalizeEmail);
}

/** Two rows are exact duplicates when their cleaned values are equal. */
export function valuesKey(values: ImportValues): string {
  return JSON.stringify([
    values.accountNumber?.toUpperCase() ?? "",
    values.name ?? "",
    values.organisation?.toLowerCase() ?? "",
    values.email ? normalizeEmail(values.email) : "",
    values.aliases.map(normalizeEmail).sort(),
    values.mobile ?? "",
    values.phone ?? "",
  ]);
}
