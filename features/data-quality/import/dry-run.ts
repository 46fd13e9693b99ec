import "server-only";
import type { CountryCode } from "libphonenumber-js";
import { db, Prisma } from "@/platform/db/client";
import { JobFailure, type JobContext } from "@/platform/jobs/runner";
import { fileStore } from "@/platform/storage";
import { type CleanedRow, cleanRow, type ImportIssue, type ImportValues, rowEmailKeys, valuesKey } from "./clean";
import { type CsvRecord, inspectCsv, parseCsvRows } from "./csv-file";
import { loadLookups } from "./lookups";
import { matchRow, planRow, type MatchedBy } from "./plan";
import { readStoredMapping } from "./stored-mapping";

export const DRY_RUN_JOB = "customer-import.dry-run";
/** Rows planned (one set of look-ups) and saved per step. */
export const DRY_RUN_BATCH = 5_000;

export type Outcome = "new" | "update" | "unchanged" | "skipped" | "flagged" | "duplicate";
export const OUTCOMES: readonly Outcome[] = ["new", "update", "unchanged", "flagged", "skipped", "duplicate"];
export type ImportSummary = Record<Outcome, number>;
export const emptySummary = (): ImportSummary => ({ new: 0, update: 0, unchanged: 0, skipped: 0, flagged: 0, duplicate: 0 });

export type PlannedRow = {
  rowNumber: number;
  outcome: Outcome;
  customerId: string | null;
  matchedBy: MatchedBy | null;
  values: ImportValues;
  issues: ImportIssue[];
};

/**
 * The file's rows against each other, as they come: exact duplicates merge into their first
 * occurrence; a second, different row about the same customer, or claiming an address another row
 * gives to someone else, is skipped with the row it clashes with named.
 */
export class InFileRules {
  private firstByValues = new Map<string, number>();
  private identityClaims = new Map<string, number>();
  private emailClaims = new Map<string, { row: number; identity: string }>();

  plan(rowNumber: number, cleaned: CleanedRow, lookups: Parameters<typeof planRow>[2]): PlannedRow {
    const { values } = cleaned;
    const base = { rowNumber, values, customerId: null, matchedBy: null };
    const hasAnything = Boolean(
      values.accountNumber || values.name || values.organisation || values.email || values.aliases.length || values.mobile || values.phone,
    );
    if (!hasAnything) {
      const issues = cleaned.issues.length > 0 ? cleaned.issues : [{ column: "", value: "", reason: "The row has no value in any imported column." }];
      return { ...base, outcome: "skipped", issues };
    }
    const key = valuesKey(values);
    const first = this.firstByValues.get(key);
    if (first !== undefined)
      return { ...base, outcome: "duplicate", issues: [...cleaned.issues, { column: "", value: "", reason: `Same as row ${first}: merged into it.` }] };
    this.firstByValues.set(key, rowNumber);

    const match = matchRow(values, lookups);
    const plan = planRow(values, match, lookups);
    const issues = [...cleaned.issues, ...plan.issues];
    if (plan.outcome === "skipped") return { ...base, outcome: "skipped", customerId: plan.customerId, matchedBy: plan.matchedBy, issues };

    const identity = match?.customerId ?? (values.accountNumber ? `account:${values.accountNumber.toUpperCase()}` : `row:${rowNumber}`);
    const sameCustomer = this.identityClaims.get(identity);
    if (sameCustomer !== undefined) {
      return {
        ...base,
        outcome: "skipped",
        customerId: plan.customerId,
        matchedBy: plan.matchedBy,
        issues: [...issues, { column: "", value: "", reason: `Row ${sameCustomer} is about the same customer with other values: keep one of the two rows.` }],
      };
    }
    const emails = rowEmailKeys(values);
    for (const email of emails) {
      const claim = this.emailClaims.get(email);
      if (claim && claim.identity !== identity) {
        return {
          ...base,
          outcome: "skipped",
          customerId: plan.customerId,
          matchedBy: plan.matchedBy,
          issues: [
            ...issues,
            { column: "", value: email, reason: `Row ${claim.row} gives this address to another customer: one address belongs to one customer.` },
          ],
        };
      }
    }
    this.identityClaims.set(identity, rowNumber);
    for (const email of emails) this.emailClaims.set(email, { row: rowNumber, identity });
    return { rowNumber, outcome: plan.outcome, customerId: plan.customerId, matchedBy: plan.matchedBy, values, issues };
  }
}

/** Plans a batch of parsed records (look-ups in one go for the batch). */
export async function planBatch(
  records: readonly CsvRecord[],
  headers: readonly string[],
  mapping: ReturnType<typeof readStoredMapping>,
  rules: InFileRules,
): Promise<PlannedRow[]> {
  const cleaned = records.map((record) => ("error" in record ? null : cleanRow(headers, record.cells, mapping.columns, mapping.defaultCountry as CountryCode)));
  const accounts: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  for (const row of cleaned) {
    if (!row) continue;
    if (row.values.accountNumber) accounts.push(row.values.accountNumber);
    emails.push(...rowEmailKeys(row.values));
    if (row.values.mobile) phones.push(row.values.mobile);
    if (row.values.phone) phones.push(row.values.phone);
  }
  const lookups = await loadLookups({ accounts, emails, phones });
  return records.map((record, index) => {
    const row = cleaned[index];
    if ("error" in record || !row) {
      return {
        rowNumber: record.rowNumber,
        outcome: "skipped",
        customerId: null,
        matchedBy: null,
        values: { aliases: [] },
        issues: [{ column: "", value: "", reason: "error" in record ? record.error : "Unreadable row." }],
      };
    }
    return rules.plan(record.rowNumber, row, lookups);
  });
}

/** Saves planned rows in one statement (over any a runner that lost the job wrote meanwhile). */
export async function insertPlannedRows(importId: string, rows: readonly PlannedRow[], writer: Prisma.TransactionClient | typeof db = db): Promise<void> {
  if (rows.length === 0) return;
  await writer.$executeRaw`
    INSERT INTO "CustomerImportRow" ("importId", "rowNumber", outcome, "customerId", "matchedBy", "values", issues)
    SELECT ${importId}::uuid, u.n, u.outcome::"ImportRowOutcome", u.customer, u.matched, u.v::jsonb, u.i::jsonb
      FROM unnest(${rows.map((row) => row.rowNumber)}::int[], ${rows.map((row) => row.outcome)}::text[], ${rows.map((row) => row.customerId)}::uuid[],
                  ${rows.map((row) => row.matchedBy)}::text[], ${rows.map((row) => JSON.stringify(row.values))}::text[], ${rows.map((row) => JSON.stringify(row.issues))}::text[])
           AS u(n, outcome, customer, matched, v, i)
    ON CONFLICT ("importId", "rowNumber") DO UPDATE SET outcome = EXCLUDED.outcome, "customerId" = EXCLUDED."customerId", "matchedBy" = EXCLUDED."matchedBy", "values" = EXCLUDED."values", issues = EXCLUDED.issues`;
}

async function failImport(importId: string, message: string): Promise<never> {
  await db.customerImport.updateMany({ where: { id: importId, status: "dry_running" }, data: { status: "failed", summary: { error: message } } });
  throw new JobFailure(message);
}

/**
 * The dry run: reads the stored file, plans every row and stores the plan (CustomerImportRow) and
 * the counts. It writes nothing else, so a restart simply does it again from the first row.
 */
export async function runDryRun({ job, checkpoint }: JobContext) {
  const { importId } = job.payload as { importId: string };
  const found = await db.customerImport.findUnique({ where: { id: importId } });
  if (!found || found.status !== "dry_running") return { progress: { skippedBecause: found ? found.status : "gone" } };
  const bytes = await fileStore().get(found.fileKey);
  if (!bytes) return failImport(importId, "The uploaded file is no longer stored; upload it again.");
  const inspection = inspectCsv(bytes);
  if (!inspection.ok) return failImport(importId, inspection.message);
  const parseStarted = Date.now();
  let records: CsvRecord[];
  try {
    records = parseCsvRows(inspection.text, inspection.delimiter, inspection.headers.length);
  } catch (error) {
    return failImport(importId, error instanceof Error ? error.message : "The file is not valid CSV.");
  }
  const mapping = readStoredMapping(found.mapping);
  const total = records.length;
  await db.customerImportRow.deleteMany({ where: { importId } });
  await checkpoint({ progressDone: 0, progressTotal: total, progress: { phase: "checking" } });

  const rules = new InFileRules();
  const summary = emptySummary();
  const timings = { parseMs: Date.now() - parseStarted, planMs: 0, saveMs: 0 };
  for (let start = 0; start < total; start += DRY_RUN_BATCH) {
    let started = Date.now();
    const planned = await planBatch(records.slice(start, start + DRY_RUN_BATCH), inspection.headers, mapping, rules);
    timings.planMs += Date.now() - started;
    started = Date.now();
    await insertPlannedRows(importId, planned);
    timings.saveMs += Date.now() - started;
    for (const row of planned) summary[row.outcome] += 1;
    await checkpoint({ progressDone: Math.min(total, start + DRY_RUN_BATCH), progressTotal: total, progress: { phase: "checking", summary } });
  }
  const updated = await db.customerImport.updateMany({
    where: { id: importId, status: "dry_running" },
    data: { status: "previewed", rowCount: total, summary: summary as unknown as Prisma.InputJsonValue },
  });
  if (updated.count === 0) await db.customerImportRow.deleteMany({ where: { importId } }); // discarded meanwhile
  return { progressDone: total, progressTotal: total, progress: { phase: "done", summary, ...timings } };
}
