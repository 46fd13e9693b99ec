import "server-only";
import { normalizeOrganisationName } from "@/features/organisations/names";
import { recordAudit } from "@/platform/audit";
import { createChangeSet, recordBefore, recordInserted, sealChangeSet } from "@/platform/change-sets/change-sets";
import { db, Prisma } from "@/platform/db/client";
import { uuidv7 } from "@/platform/ids";
import { checkpointJob, DEFAULT_LEASE_MS } from "@/platform/jobs/queue";
import type { JobContext } from "@/platform/jobs/runner";
import { type ImportIssue, type ImportValues, rowEmailKeys } from "./clean";
import { emptySummary, type ImportSummary, type Outcome } from "./dry-run";
import { loadLookups } from "./lookups";
import { type MatchedBy, planRow, type RowChanges } from "./plan";

export const COMMIT_JOB = "customer-import.commit";
/** Rows written per transaction (each with its checkpoint). */
export const COMMIT_BATCH = 1_000;

type Tx = Prisma.TransactionClient;
type StoredRow = { rowNumber: number; outcome: Outcome; customerId: string | null; matchedBy: string | null; values: ImportValues; issues: ImportIssue[] };
type CommitCheckpoint = { nextRow: number; done: number };

const ACCOUNT_NUMBER_PREFIX = "ACC-";
const FIRST_ACCOUNT_NUMBER = 10001;

export function importSummarySentence(fileName: string, summary: ImportSummary): string {
  return `Import of ${fileName}: ${summary.new} new, ${summary.update + summary.flagged} updated`;
}

/**
 * The commit: writes the planned rows (new, update, flagged) in batches of COMMIT_BATCH, each in
 * one transaction with its checkpoint, so that a restart (another instance, after a crash)
 * resumes at the first unwritten row and never writes a row twice. Every insert and update goes
 * into the import's one change set. Each batch re-reads the customers it touches and applies the
 * rules again (plan.ts), so what changed since the dry run is respected: a verified identifier is
 * still never overwritten, an address another customer took meanwhile is still never moved.
 */
export async function runCommit({ job, owner, checkpoint }: JobContext) {
  const { importId } = job.payload as { importId: string };
  const found = await db.customerImport.findUnique({ where: { id: importId } });
  if (!found || found.status !== "committing") return { progress: { skippedBecause: found ? found.status : "gone" } };
  const saved = (job.checkpoint ?? { nextRow: 1, done: 0 }) as CommitCheckpoint;
  const total = await db.customerImportRow.count({ where: { importId, outcome: { in: ["new", "update", "flagged"] } } });

  let changeSetId = found.changeSetId;
  if (!changeSetId) {
    changeSetId = await db.$transaction(async (tx) => {
      const id = await createChangeSet(tx, { kind: "customer-import", summary: `Import of ${found.fileName} (in progress)`, createdById: found.createdById });
      await tx.customerImport.update({ where: { id: importId }, data: { changeSetId: id } });
      await checkpointJob(
        job.id,
        { checkpoint: saved, progressDone: saved.done, progressTotal: total, progress: { phase: "writing" } },
        owner,
        DEFAULT_LEASE_MS,
        tx,
      );
      return id;
    });
  }

  let position = saved;
  const writeStarted = Date.now();
  for (;;) {
    const rows = await db.customerImportRow.findMany({
      where: { importId, rowNumber: { gte: position.nextRow }, outcome: { in: ["new", "update", "flagged"] } },
      orderBy: { rowNumber: "asc" },
      take: COMMIT_BATCH,
      select: { rowNumber: true, outcome: true, customerId: true, matchedBy: true, values: true, issues: true },
    });
    if (rows.length === 0) break;
    const next: CommitCheckpoint = { nextRow: (rows.at(-1) as { rowNumber: number }).rowNumber + 1, done: position.done + rows.length };
    await db.$transaction(
      async (tx) => {
        await writeBatch(tx, importId, changeSetId, rows as unknown as StoredRow[]);
        await checkpointJob(
          job.id,
          { checkpoint: next, progressDone: next.done, progressTotal: total, progress: { phase: "writing" } },
          owner,
          DEFAULT_LEASE_MS,
          tx,
        );
      },
      { timeout: 120_000, maxWait: 20_000 },
    );
    position = next;
  }

  const writeMs = Date.now() - writeStarted;
  await checkpoint({ progress: { phase: "finishing" } });
  const sealStarted = Date.now();
  const summary = await countOutcomes(importId);
  await db.$transaction(
    async (tx) => {
      await sealChangeSet(tx, changeSetId, importSummarySentence(found.fileName, summary));
      await tx.customerImport.update({ where: { id: importId }, data: { status: "committed", summary: summary as unknown as Prisma.InputJsonValue } });
      await recordAudit(
        {
          action: "customer_import.committed",
          actor: null,
          subjectType: "customer_import",
          subjectId: importId,
          details: { changeSetId, createdById: found.createdById, ...summary },
        },
        tx,
      );
    },
    { timeout: 300_000, maxWait: 20_000 },
  );
  // Timings (this run's, in milliseconds) for the bench and the server log; no personal data.
  return { progressDone: total, progressTotal: total, progress: { phase: "done", summary, writeMs, sealMs: Date.now() - sealStarted } };
}

export async function countOutcomes(importId: string): Promise<ImportSummary> {
  const groups = await db.customerImportRow.groupBy({ by: ["outcome"], where: { importId }, _count: { _all: true } });
  const summary = emptySummary();
  for (const group of groups) summary[group.outcome] = group._count._all;
  return summary;
}

async function writeBatch(tx: Tx, importId: string, changeSetId: string, rows: StoredRow[]): Promise<void> {
  const accounts: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  const customerIds: string[] = [];
  for (const row of rows) {
    if (row.values.accountNumber) accounts.push(row.values.accountNumber);
    emails.push(...rowEmailKeys(row.values));
    if (row.values.mobile) phones.push(row.values.mobile);
    if (row.values.phone) phones.push(row.values.phone);
    if (row.customerId) customerIds.push(row.customerId);
  }
  const lookups = await loadLookups({ accounts, emails, phones, customerIds }, tx);

  type Work = { row: StoredRow; customerId: string; isNew: boolean; changes: RowChanges; outcome: Outcome; issues: ImportIssue[] };
  const work: Work[] = [];
  const outcomes: { rowNumber: number; outcome: Outcome; customerId: string | null; issues: ImportIssue[] }[] = [];
  for (const row of rows) {
    const match = row.customerId ? { customerId: row.customerId, matchedBy: (row.matchedBy ?? "account_number") as MatchedBy } : null;
    const plan = planRow(row.values, match, lookups);
    // The dry run's notes stay; what the rules find now is added (the same note is not said twice).
    const cleaningIssues = row.issues;
    if (
      !match &&
      row.values.accountNumber &&
      (lookups.byAccount.has(row.values.accountNumber) || lookups.byAccount.has(row.values.accountNumber.toUpperCase()))
    ) {
      outcomes.push({
        rowNumber: row.rowNumber,
        outcome: "skipped",
        customerId: null,
        issues: [
          ...cleaningIssues,
          {
            column: "accountNumber",
            value: row.values.accountNumber,
            reason: "Another customer got this account number after the dry run; run the import again.",
          },
        ],
      });
      continue;
    }
    const issues = [
      ...cleaningIssues,
      ...plan.issues.filter(
        (issue) => !cleaningIssues.some((known) => known.column === issue.column && known.value === issue.value && known.reason === issue.reason),
      ),
    ];
    if (plan.outcome === "skipped") {
      outcomes.push({ rowNumber: row.rowNumber, outcome: "skipped", customerId: plan.customerId, issues });
      continue;
    }
    work.push({ row, customerId: plan.customerId ?? uuidv7(), isNew: !plan.customerId, changes: plan.changes, outcome: plan.outcome, issues });
  }

  // Organisations, found or created by name.
  const organisationNames = new Map<string, string>();
  for (const item of work) {
    const name = item.changes.organisation;
    if (name) organisationNames.set(normalizeOrganisationName(name), name.trim());
  }
  const organisationIds = new Map<string, string>();
  if (organisationNames.size > 0) {
    const keys = [...organisationNames.keys()];
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Organisation" (id, name, "normalizedName", "createdAt", "updatedAt")
      SELECT u.id, u.name, u.key, now(), now() FROM unnest(${keys.map(() => uuidv7())}::uuid[], ${keys.map((key) => organisationNames.get(key) as string)}::text[], ${keys}::text[]) AS u(id, name, key)
      ON CONFLICT ("normalizedName") DO NOTHING RETURNING id::text`;
    await recordInserted(
      tx,
      changeSetId,
      "Organisation",
      inserted.map((row) => row.id),
    );
    const all = await tx.$queryRaw<
      { id: string; key: string }[]
    >`SELECT id::text, "normalizedName" AS key FROM "Organisation" WHERE "normalizedName" = ANY(${keys}::text[])`;
    for (const row of all) organisationIds.set(row.key, row.id);
  }
  const organisationOf = (changes: RowChanges) =>
    changes.organisation ? (organisationIds.get(normalizeOrganisationName(changes.organisation)) ?? null) : null;

  // New customers; one numbering at a time across instances, as registration review numbers them.
  const created = work.filter((item) => item.isNew);
  if (created.length > 0) {
    const needNumbers = created.filter((item) => !item.row.values.accountNumber);
    const numbers = new Map<Work, string>();
    if (needNumbers.length > 0) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('customer-account-number', 0))`;
      const rows = await tx.$queryRaw<{ highest: number | null }[]>`
        SELECT max(substring("accountNumber" from 5)::int) AS highest FROM "Customer" WHERE "accountNumber" ~ '^ACC-[0-9]{1,9}$'`;
      let next = Math.max((rows[0]?.highest ?? FIRST_ACCOUNT_NUMBER - 1) + 1, FIRST_ACCOUNT_NUMBER);
      for (const item of needNumbers) numbers.set(item, `${ACCOUNT_NUMBER_PREFIX}${next++}`);
    }
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Customer" (id, "accountNumber", name, "organisationId", "createdAt", "updatedAt")
      SELECT u.id, u.account, u.name, u.org, now(), now()
        FROM unnest(${created.map((item) => item.customerId)}::uuid[], ${created.map((item) => item.row.values.accountNumber ?? numbers.get(item))}::text[],
                    ${created.map((item) => item.changes.name ?? "")}::text[], ${created.map((item) => organisationOf(item.changes))}::uuid[]) AS u(id, account, name, org)
      ON CONFLICT ("accountNumber") DO NOTHING RETURNING id::text`;
    await recordInserted(
      tx,
      changeSetId,
      "Customer",
      inserted.map((row) => row.id),
    );
    const ok = new Set(inserted.map((row) => row.id));
    for (const item of created) {
      if (ok.has(item.customerId)) continue;
      item.outcome = "skipped";
      item.issues.push({
        column: "accountNumber",
        value: item.row.values.accountNumber ?? "",
        reason: "Another customer got this account number meanwhile; run the import again.",
      });
    }
  }
  const live = work.filter((item) => item.outcome !== "skipped");

  // Name and organisation of existing customers.
  const updated = live.filter((item) => !item.isNew && (item.changes.name !== undefined || item.changes.organisation !== undefined));
  if (updated.length > 0) {
    await recordBefore(
      tx,
      changeSetId,
      "Customer",
      updated.map((item) => item.customerId),
    );
    await tx.$executeRaw`
      UPDATE "Customer" c SET name = coalesce(u.name, c.name), "organisationId" = coalesce(u.org, c."organisationId"), "updatedAt" = now()
        FROM unnest(${updated.map((item) => item.customerId)}::uuid[], ${updated.map((item) => item.changes.name ?? null)}::text[], ${updated.map((item) => organisationOf(item.changes))}::uuid[]) AS u(id, name, org)
       WHERE c.id = u.id`;
  }

  // Addresses: the old unverified primary becomes an alias, an address already on the record is promoted, the others are added.
  const demote = live.flatMap((item) => item.changes.demoteEmailIds);
  const promote = live.flatMap((item) => (item.changes.promoteEmailId ? [item.changes.promoteEmailId] : []));
  if (demote.length + promote.length > 0) {
    await recordBefore(tx, changeSetId, "CustomerEmail", [...demote, ...promote]);
    if (demote.length > 0) await tx.$executeRaw`UPDATE "CustomerEmail" SET "isPrimary" = false, "updatedAt" = now() WHERE id = ANY(${demote}::uuid[])`;
    if (promote.length > 0) await tx.$executeRaw`UPDATE "CustomerEmail" SET "isPrimary" = true, "updatedAt" = now() WHERE id = ANY(${promote}::uuid[])`;
  }
  const newEmails = live.flatMap((item) => item.changes.addEmails.map((email) => ({ ...email, customerId: item.customerId })));
  if (newEmails.length > 0) {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "CustomerEmail" (id, "customerId", address, normalized, "isPrimary", "addedByStaffAt", "createdAt", "updatedAt")
      SELECT u.id, u.customer, u.address, u.normalized, u.primary, now(), now(), now()
        FROM unnest(${newEmails.map(() => uuidv7())}::uuid[], ${newEmails.map((email) => email.customerId)}::uuid[], ${newEmails.map((email) => email.address)}::text[],
                    ${newEmails.map((email) => email.normalized)}::text[], ${newEmails.map((email) => email.primary)}::boolean[]) AS u(id, customer, address, normalized, "primary")
      ON CONFLICT (normalized) DO NOTHING RETURNING id::text`;
    await recordInserted(
      tx,
      changeSetId,
      "CustomerEmail",
      inserted.map((row) => row.id),
    );
  }

  // Phones: an unverified mobile is replaced (its validation verdict was about the old number), the others added.
  const replaced = live.flatMap((item) => (item.changes.replaceMobile ? [item.changes.replaceMobile] : []));
  if (replaced.length > 0) {
    await recordBefore(
      tx,
      changeSetId,
      "CustomerPhone",
      replaced.map((phone) => phone.phoneId),
    );
    await tx.$executeRaw`
      UPDATE "CustomerPhone" p SET e164 = u.e164, validity = NULL, "validityReasons" = '{}', "lineType" = NULL, "validatedAt" = NULL, deliverability = 'unknown', "updatedAt" = now()
        FROM unnest(${replaced.map((phone) => phone.phoneId)}::uuid[], ${replaced.map((phone) => phone.e164)}::text[]) AS u(id, e164)
       WHERE p.id = u.id AND NOT EXISTS (SELECT 1 FROM "CustomerPhone" o WHERE o."customerId" = p."customerId" AND o.e164 = u.e164)`;
  }
  const newPhones = live.flatMap((item) => item.changes.addPhones.map((phone) => ({ ...phone, customerId: item.customerId })));
  if (newPhones.length > 0) {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "CustomerPhone" (id, "customerId", e164, kind, "createdAt", "updatedAt")
      SELECT u.id, u.customer, u.e164, u.kind::"PhoneKind", now(), now()
        FROM unnest(${newPhones.map(() => uuidv7())}::uuid[], ${newPhones.map((phone) => phone.customerId)}::uuid[], ${newPhones.map((phone) => phone.e164)}::text[],
                    ${newPhones.map((phone) => phone.kind)}::text[]) AS u(id, customer, e164, kind)
      ON CONFLICT ("customerId", e164) DO NOTHING RETURNING id::text`;
    await recordInserted(
      tx,
      changeSetId,
      "CustomerPhone",
      inserted.map((row) => row.id),
    );
  }

  // The rows' committed outcomes (the same as planned unless something changed since the dry run).
  for (const item of work) {
    outcomes.push({
      rowNumber: item.row.rowNumber,
      outcome: item.outcome,
      customerId: item.outcome === "skipped" ? null : item.customerId,
      issues: item.issues,
    });
  }
  await tx.$executeRaw`
    UPDATE "CustomerImportRow" r SET outcome = u.outcome::"ImportRowOutcome", "customerId" = u.customer, issues = u.issues::jsonb
      FROM unnest(${outcomes.map((row) => row.rowNumber)}::int[], ${outcomes.map((row) => row.outcome)}::text[], ${outcomes.map((row) => row.customerId)}::uuid[],
                  ${outcomes.map((row) => JSON.stringify(row.issues))}::text[]) AS u(n, outcome, customer, issues)
     WHERE r."importId" = ${importId}::uuid AND r."rowNumber" = u.n`;
}
