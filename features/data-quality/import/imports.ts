import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { sealChangeSet, type UndoConflict, undoChangeSet } from "@/platform/change-sets/change-sets";
import { csvRecord } from "@/platform/csv";
import { db, Prisma, type CustomerImportStatus, type ImportRowOutcome } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { enqueueJob } from "@/platform/jobs/queue";
import { fileStore } from "@/platform/storage";
import type { ImportIssue } from "./clean";
import { COMMIT_JOB } from "./commit";
import { inspectCsv } from "./csv-file";
import { DRY_RUN_JOB, emptySummary, type ImportSummary } from "./dry-run";
import { type ImportField, suggestMapping } from "./fields";
import type { IMPORT_OUTCOME_FILTERS, ImportIdInput } from "./schemas";
import { type StoredMapping, readStoredMapping } from "./stored-mapping";

/** The import's steps as supervisors call them (the pages and actions go through here). */

const MAPPING_KEY_PREFIX = "customer-import.mapping:";
const LAST_MAPPING_KEY = `${MAPPING_KEY_PREFIX}last`;
export const DEFAULT_COUNTRY = "GB";
export const ROWS_PER_PAGE = 50;

type Staff = Pick<Actor, "userId" | "role">;

function headersKey(headers: readonly string[]): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(headers.map((header) => header.toLowerCase())))
    .digest("hex");
  return `${MAPPING_KEY_PREFIX}${digest.slice(0, 32)}`;
}

export type UploadResult = { ok: true; importId: string } | { ok: false; message: string };

/** Checks the file and stores it with a new import, waiting for its mapping. Refused files leave nothing behind. */
export async function createImport(actor: Staff, fileName: string, bytes: Uint8Array, ip: string | null = null): Promise<UploadResult> {
  const inspection = inspectCsv(bytes);
  if (!inspection.ok) return inspection;
  const id = randomUUID();
  const fileKey = `customer-import/${id}`;
  const cleanName =
    fileName
      .replace(/[\u0000-\u001f\u007f]/g, "")
      .trim()
      .slice(0, 200) || "import.csv";
  await db.$transaction(async (tx) => {
    await fileStore().put(fileKey, bytes, tx);
    await tx.customerImport.create({
      data: {
        id,
        fileName: cleanName,
        fileKey,
        byteSize: bytes.byteLength,
        encoding: inspection.encoding,
        delimiter: inspection.delimiter,
        headers: inspection.headers,
        createdById: actor.userId,
      },
    });
    await recordAudit(
      {
        action: "customer_import.uploaded",
        actor,
        subjectType: "customer_import",
        subjectId: id,
        ip,
        details: { byteSize: bytes.byteLength, columns: inspection.headers.length },
      },
      tx,
    );
  });
  return { ok: true, importId: id };
}

/** The mapping the form starts from: the one used last for these headers, else the last one used at all, else suggested from the names. */
export async function initialMapping(headers: readonly string[]): Promise<StoredMapping & { remembered: "these_headers" | "last_import" | null }> {
  const rows = await db.appSetting.findMany({ where: { key: { in: [headersKey(headers), LAST_MAPPING_KEY] } } });
  const exact = rows.find((row) => row.key === headersKey(headers));
  const last = rows.find((row) => row.key === LAST_MAPPING_KEY);
  const suggested = suggestMapping(headers);
  if (exact) {
    const stored = readStoredMapping(exact.value);
    return { columns: { ...suggested, ...pick(stored.columns, headers) }, defaultCountry: stored.defaultCountry, remembered: "these_headers" };
  }
  if (last) {
    const stored = readStoredMapping(last.value);
    const known = pick(stored.columns, headers);
    return { columns: { ...suggested, ...known }, defaultCountry: stored.defaultCountry, remembered: Object.keys(known).length > 0 ? "last_import" : null };
  }
  return { columns: suggested, defaultCountry: DEFAULT_COUNTRY, remembered: null };
}

function pick(columns: Record<string, ImportField>, headers: readonly string[]): Record<string, ImportField> {
  return Object.fromEntries(headers.filter((header) => columns[header] !== undefined).map((header) => [header, columns[header] as ImportField]));
}

async function lockedImport(tx: Prisma.TransactionClient, importId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM "CustomerImport" WHERE id = ${importId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw new DomainError("There is no such import.", "not_found");
  return tx.customerImport.findUniqueOrThrow({ where: { id: importId } });
}

function refuseStatus(status: CustomerImportStatus, doing: string): never {
  const now: Record<CustomerImportStatus, string> = {
    uploaded: "is waiting for its column mapping",
    dry_running: "is being checked",
    previewed: "has been checked and waits to be imported",
    committing: "is being written",
    committed: "has been imported",
    undone: "has been undone",
    failed: "failed",
    discarded: "was discarded",
  };
  throw new DomainError(`This import cannot ${doing}: it ${now[status]}.`, "conflict");
}

/** Saves the mapping (remembered for next time) and starts the dry run. */
export async function startDryRun(
  actor: Staff,
  input: { importId: string; columns: { header: string; field: ImportField }[]; defaultCountry: string },
): Promise<{ jobId: string }> {
  return db.$transaction(async (tx) => {
    const found = await lockedImport(tx, input.importId);
    if (!["uploaded", "previewed", "failed"].includes(found.status) && !(found.status === "dry_running" && (await dryRunStopped(found.dryRunJobId, tx)))) {
      refuseStatus(found.status, "be checked again");
    }
    const given = new Map(input.columns.map((column) => [column.header, column.field]));
    if (given.size !== found.headers.length || found.headers.some((header) => !given.has(header))) {
      throw new DomainError("The mapping does not name this file's columns; reload the page.", "invalid");
    }
    const mapping: StoredMapping = { columns: Object.fromEntries(given), defaultCountry: input.defaultCountry };
    const value = mapping as unknown as Prisma.InputJsonValue;
    for (const key of [headersKey(found.headers), LAST_MAPPING_KEY]) {
      await tx.appSetting.upsert({ where: { key }, create: { key, value }, update: { value } });
    }
    await tx.customerImportRow.deleteMany({ where: { importId: found.id } });
    const job = await enqueueJob(DRY_RUN_JOB, { importId: found.id }, { createdById: actor.userId }, tx);
    await tx.customerImport.update({
      where: { id: found.id },
      data: { mapping: value, status: "dry_running", dryRunJobId: job.id, summary: Prisma.DbNull, rowCount: null },
    });
    return { jobId: job.id };
  });
}

/** Whether the import's dry run ended without finishing it (an unexpected error, a cancel): then it may be started again. */
/** True when the job (a dry run or a commit) ended without finishing: failed, cancelled or gone. */
export async function dryRunStopped(jobId: string | null, reader: Prisma.TransactionClient | typeof db = db): Promise<boolean> {
  if (!jobId) return true;
  const job = await reader.backgroundJob.findUnique({ where: { id: jobId }, select: { status: true } });
  return !job || job.status === "failed" || job.status === "cancelled";
}

/** Starts writing a checked import. */
export async function startCommit(actor: Staff, { importId }: ImportIdInput, ip: string | null = null): Promise<{ jobId: string }> {
  return db.$transaction(async (tx) => {
    const found = await lockedImport(tx, importId);
    if (found.status !== "previewed") refuseStatus(found.status, "be imported");
    const summary = { ...emptySummary(), ...((found.summary ?? {}) as Partial<ImportSummary>) };
    const job = await enqueueJob(
      COMMIT_JOB,
      { importId },
      { createdById: actor.userId, dedupeKey: `${COMMIT_JOB}:${importId}`, progressTotal: summary.new + summary.update + summary.flagged },
      tx,
    );
    await tx.customerImport.update({ where: { id: importId }, data: { status: "committing", commitJobId: job.id } });
    await recordAudit(
      { action: "customer_import.commit_started", actor, subjectType: "customer_import", subjectId: importId, ip, details: { jobId: job.id } },
      tx,
    );
    return { jobId: job.id };
  });
}

/** Abandons an import before it is written: its plan and its file go. */
export async function discardImport(actor: Staff, { importId }: ImportIdInput, ip: string | null = null): Promise<void> {
  await db.$transaction(async (tx) => {
    const found = await lockedImport(tx, importId);
    if (!["uploaded", "previewed", "failed", "dry_running"].includes(found.status)) refuseStatus(found.status, "be discarded");
    await tx.customerImportRow.deleteMany({ where: { importId } });
    await fileStore().delete([found.fileKey], tx);
    await tx.customerImport.update({ where: { id: importId }, data: { status: "discarded" } });
    await recordAudit({ action: "customer_import.discarded", actor, subjectType: "customer_import", subjectId: importId, ip }, tx);
  });
}

export type UndoImportResult = { restored: number; conflicts: UndoConflict[] };

/**
 * Undoes a committed import, or one whose commit job failed part-way: every row it touched goes
 * back, except those changed since (reported).
 */
export async function undoImport(actor: Staff, { importId }: ImportIdInput, ip: string | null = null): Promise<UndoImportResult> {
  const found = await db.customerImport.findUnique({ where: { id: importId } });
  if (!found) throw new DomainError("There is no such import.", "not_found");
  const stoppedMidway = found.status === "committing" && (await dryRunStopped(found.commitJobId));
  if ((found.status !== "committed" && !stoppedMidway) || !found.changeSetId) refuseStatus(found.status, "be undone");
  // A commit that failed part-way never sealed its change set: record what its batches left now,
  // so that undo puts back exactly what was written.
  if (stoppedMidway) await db.$transaction((tx) => sealChangeSet(tx, found.changeSetId as string, `Import of ${found.fileName} (stopped part-way)`));
  const result = await undoChangeSet(found.changeSetId, actor.userId);
  if (!result.ok) throw new DomainError(result.message, "conflict");
  await db.customerImport.update({ where: { id: importId }, data: { status: "undone" } });
  await recordAudit({
    action: "customer_import.undone",
    actor,
    subjectType: "customer_import",
    subjectId: importId,
    ip,
    details: { changeSetId: found.changeSetId, restored: result.restored, notRestored: result.conflicts.length },
  });
  return { restored: result.restored, conflicts: result.conflicts };
}

export type ImportListItem = {
  id: string;
  fileName: string;
  status: CustomerImportStatus;
  rowCount: number | null;
  summary: ImportSummary | null;
  createdAt: Date;
  createdBy: string | null;
};

export async function listImports(limit = 50): Promise<ImportListItem[]> {
  const rows = await db.customerImport.findMany({ where: { status: { not: "discarded" } }, orderBy: { createdAt: "desc" }, take: limit });
  const users = await db.user.findMany({
    where: { id: { in: rows.flatMap((row) => (row.createdById ? [row.createdById] : [])) } },
    select: { id: true, name: true },
  });
  const names = new Map(users.map((user) => [user.id, user.name]));
  return rows.map((row) => ({
    id: row.id,
    fileName: row.fileName,
    status: row.status,
    rowCount: row.rowCount,
    summary: summaryOf(row.summary),
    createdAt: row.createdAt,
    createdBy: row.createdById ? (names.get(row.createdById) ?? null) : null,
  }));
}

function summaryOf(value: Prisma.JsonValue): ImportSummary | null {
  if (!value || typeof value !== "object" || Array.isArray(value) || !("new" in value)) return null;
  return { ...emptySummary(), ...(value as Partial<ImportSummary>) };
}

export async function getImport(importId: string) {
  const found = await db.customerImport.findUnique({ where: { id: importId } });
  if (!found) return null;
  const changeSet = found.changeSetId
    ? await db.changeSet.findUnique({ where: { id: found.changeSetId }, select: { undoneAt: true, undoReport: true } })
    : null;
  const failure =
    found.summary && typeof found.summary === "object" && !Array.isArray(found.summary) && "error" in found.summary ? String(found.summary.error) : null;
  return { ...found, summary: summaryOf(found.summary), failure, undoReport: (changeSet?.undoReport ?? null) as UndoConflict[] | null };
}

export type ImportRowView = {
  rowNumber: number;
  outcome: ImportRowOutcome;
  matchedBy: string | null;
  customerId: string | null;
  values: Record<string, unknown>;
  issues: ImportIssue[];
};

export async function importRows(
  importId: string,
  filter: (typeof IMPORT_OUTCOME_FILTERS)[number],
  page: number,
): Promise<{ rows: ImportRowView[]; total: number }> {
  const where: Prisma.CustomerImportRowWhereInput = { importId };
  if (filter === "issues") where.NOT = { issues: { equals: [] } };
  else if (filter !== "all") where.outcome = filter;
  const [rows, total] = await Promise.all([
    db.customerImportRow.findMany({ where, orderBy: { rowNumber: "asc" }, skip: (page - 1) * ROWS_PER_PAGE, take: ROWS_PER_PAGE }),
    db.customerImportRow.count({ where }),
  ]);
  return {
    rows: rows.map((row) => ({ ...row, values: row.values as Record<string, unknown>, issues: row.issues as unknown as ImportIssue[] })),
    total,
  };
}

/** The error report: one line per problem (row, column, value, reason), cells neutralised for spreadsheets by platform/csv.ts. */
export async function* errorReportLines(importId: string): AsyncGenerator<string> {
  yield csvRecord(["Row", "Column", "Value", "Outcome", "Reason"]);
  let after = 0;
  for (;;) {
    const rows = await db.$queryRaw<{ rowNumber: number; outcome: string; issues: ImportIssue[] }[]>`
      SELECT "rowNumber", outcome::text AS outcome, issues FROM "CustomerImportRow"
       WHERE "importId" = ${importId}::uuid AND "rowNumber" > ${after} AND jsonb_array_length(issues) > 0
       ORDER BY "rowNumber" LIMIT 2000`;
    if (rows.length === 0) return;
    let chunk = "";
    for (const row of rows) {
      for (const issue of row.issues) chunk += csvRecord([row.rowNumber, issue.column, issue.value, row.outcome, issue.reason]);
    }
    yield chunk;
    after = (rows.at(-1) as { rowNumber: number }).rowNumber;
  }
}
