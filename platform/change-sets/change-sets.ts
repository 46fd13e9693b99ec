import "server-only";
import { db, Prisma } from "@/platform/db/client";

/**
 * Undoable bulk changes. A bulk operation (an import, a cleansing pass) opens a change set,
 * records each row's state before it touches it (`recordBefore`) or after it creates it
 * (`recordInserted`), and seals the set when done (`sealChangeSet`, which stores every row's state
 * after). `undoChangeSet` then puts back every row that is still as the set left it, and reports
 * those that were changed since (an agent's later edit is never silently thrown away).
 *
 * Rows are copied whole with `to_jsonb` and restored with `jsonb_populate_record`, so the undo
 * follows the schema without a list of columns to keep up to date. Only the tables below may be
 * recorded; their SQL names are the Prisma model names.
 */

export const UNDOABLE_TABLES = ["Organisation", "OrganisationDomain", "Customer", "CustomerEmail", "CustomerPhone"] as const;
export type UndoableTable = (typeof UNDOABLE_TABLES)[number];

/**
 * Columns that change without anyone editing the row (validation verdicts, the clock): a nightly
 * validation run must not make every imported row count as "changed since".
 */
const BOOKKEEPING = ["updatedAt", "validity", "validityReasons", "validitySuggestion", "validatedAt", "lineType"];

/** What may hang on a row a set inserted, without being in the set (the SQL sees `e`, the entry). */
const INSERTED_PARENT_DEPENDANTS: readonly { parent: UndoableTable; label: string; sql: string }[] = [
  { parent: "Customer", label: "tickets", sql: `SELECT 1 FROM "Ticket" x WHERE x."customerId" = e."rowId"` },
  { parent: "Customer", label: "agreements", sql: `SELECT 1 FROM "SupportAgreement" x WHERE x."customerId" = e."rowId"` },
  { parent: "Customer", label: "portal accounts", sql: `SELECT 1 FROM "User" x WHERE x."customerId" = e."rowId"` },
  {
    parent: "Customer",
    label: "contact details",
    sql: `SELECT 1 FROM "CustomerEmail" x WHERE x."customerId" = e."rowId" AND NOT EXISTS (SELECT 1 FROM "ChangeSetEntry" o WHERE o."changeSetId" = e."changeSetId" AND o."rowId" = x.id)
          UNION ALL SELECT 1 FROM "CustomerPhone" x WHERE x."customerId" = e."rowId" AND NOT EXISTS (SELECT 1 FROM "ChangeSetEntry" o WHERE o."changeSetId" = e."changeSetId" AND o."rowId" = x.id)`,
  },
  {
    parent: "Organisation",
    label: "contacts or agreements",
    sql: `SELECT 1 FROM "Customer" x WHERE x."organisationId" = e."rowId" AND NOT EXISTS (SELECT 1 FROM "ChangeSetEntry" o WHERE o."changeSetId" = e."changeSetId" AND o."rowId" = x.id)
          UNION ALL SELECT 1 FROM "SupportAgreement" x WHERE x."organisationId" = e."rowId"`,
  },
];

/** Parents before children: re-inserting deleted rows goes this way, deleting inserted rows the other. */
const PARENT_FIRST: readonly UndoableTable[] = UNDOABLE_TABLES;

type Writer = Prisma.TransactionClient | typeof db;

function tableSql(table: UndoableTable): Prisma.Sql {
  if (!UNDOABLE_TABLES.includes(table)) throw new Error(`Not an undoable table: ${table}`);
  return Prisma.raw(`"${table}"`);
}

export async function createChangeSet(writer: Writer, input: { kind: string; summary: string; createdById?: string | null }): Promise<string> {
  const set = await writer.changeSet.create({
    data: { kind: input.kind, summary: input.summary, createdById: input.createdById ?? null },
    select: { id: true },
  });
  return set.id;
}

/**
 * Call before updating or deleting rows: keeps each row's current state as its "before" (once per
 * row and set: the first state is what undo restores, however often the set touches it).
 */
export async function recordBefore(
  writer: Writer,
  changeSetId: string,
  table: UndoableTable,
  rowIds: readonly string[],
  operation: "update" | "delete" = "update",
): Promise<void> {
  if (rowIds.length === 0) return;
  await writer.$executeRaw`
    INSERT INTO "ChangeSetEntry" ("changeSetId", "tableName", "rowId", operation, before)
    SELECT ${changeSetId}::uuid, ${table}, t.id, ${operation}::"ChangeOperation", to_jsonb(t)
      FROM ${tableSql(table)} t
     WHERE t.id = ANY(${rowIds as string[]}::uuid[])
       AND NOT EXISTS (SELECT 1 FROM "ChangeSetEntry" e WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table} AND e."rowId" = t.id)`;
  if (operation === "delete") {
    // A row first updated then deleted by the same set is a delete for undo's purposes.
    await writer.$executeRaw`
      UPDATE "ChangeSetEntry" SET operation = 'delete'
       WHERE "changeSetId" = ${changeSetId}::uuid AND "tableName" = ${table} AND "rowId" = ANY(${rowIds as string[]}::uuid[]) AND operation = 'update'`;
  }
}

/** Call after inserting rows: undo deletes them. */
export async function recordInserted(writer: Writer, changeSetId: string, table: UndoableTable, rowIds: readonly string[]): Promise<void> {
  if (rowIds.length === 0) return;
  await writer.$executeRaw`
    INSERT INTO "ChangeSetEntry" ("changeSetId", "tableName", "rowId", operation)
    SELECT ${changeSetId}::uuid, ${table}, id, 'insert' FROM unnest(${rowIds as string[]}::uuid[]) AS id`;
}

/** Stores every recorded row's state now (null when deleted). Call once the set's last write is done, in its transaction. */
export async function sealChangeSet(writer: Writer, changeSetId: string, summary?: string): Promise<void> {
  for (const table of UNDOABLE_TABLES) {
    await writer.$executeRaw`
      UPDATE "ChangeSetEntry" e
         SET after = (SELECT to_jsonb(t) FROM ${tableSql(table)} t WHERE t.id = e."rowId")
       WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table}`;
  }
  if (summary !== undefined) await writer.changeSet.update({ where: { id: changeSetId }, data: { summary } });
}

export type UndoConflict = { table: UndoableTable; rowId: string; reason: string };
export type UndoResult = { ok: true; restored: number; conflicts: UndoConflict[] } | { ok: false; message: string };

/**
 * Puts back every row the set changed that is still as the set left it (compared whole, except
 * bookkeeping columns); the others, and inserted rows others now depend on, are reported, not
 * touched. One transaction: all of it or none.
 */
export async function undoChangeSet(changeSetId: string, undoneById: string | null): Promise<UndoResult> {
  return db.$transaction(
    async (tx) => {
      // Lock the set first, then read it: of two supervisors' undo clicks the second waits here
      // and then sees the first one's undoneAt.
      const [set] = await tx.$queryRaw<{ undoneAt: Date | null }[]>`SELECT "undoneAt" FROM "ChangeSet" WHERE id = ${changeSetId}::uuid FOR UPDATE`;
      if (!set) return { ok: false, message: "There is no such change set." };
      if (set.undoneAt) return { ok: false, message: "This change has already been undone." };

      const conflicts: UndoConflict[] = [];
      // Entries whose row is no longer as the set left it.
      for (const table of UNDOABLE_TABLES) {
        const changed = await tx.$queryRaw<{ rowId: string; gone: boolean }[]>`
          SELECT e."rowId", (t.id IS NULL) AS gone
            FROM "ChangeSetEntry" e
            LEFT JOIN ${tableSql(table)} t ON t.id = e."rowId"
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table}
             AND (CASE WHEN e.after IS NULL THEN t.id IS NOT NULL
                       ELSE t.id IS NULL OR (to_jsonb(t) - ${BOOKKEEPING}::text[]) IS DISTINCT FROM (e.after - ${BOOKKEEPING}::text[]) END)`;
        for (const row of changed) {
          conflicts.push({ table, rowId: row.rowId, reason: row.gone ? "deleted since" : "changed since" });
        }
      }
      // A row the set inserted that others now hang on (an agent added a ticket, an agreement, a
      // phone or a contact to an imported record) stays: deleting it would cascade to their work.
      for (const dependants of INSERTED_PARENT_DEPENDANTS) {
        const held = await tx.$queryRaw<{ rowId: string }[]>`
          SELECT e."rowId" FROM "ChangeSetEntry" e
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${dependants.parent} AND e.operation = 'insert'
             AND EXISTS (${Prisma.raw(dependants.sql)})`;
        for (const row of held) {
          if (!conflicts.some((conflict) => conflict.rowId === row.rowId)) {
            conflicts.push({ table: dependants.parent, rowId: row.rowId, reason: `has ${dependants.label} added since` });
          }
        }
      }
      // An inserted customer whose address or phone was changed since stays too (deleting it
      // would take that change with it).
      const changedContacts = conflicts
        .filter((conflict) => conflict.table === "CustomerEmail" || conflict.table === "CustomerPhone")
        .map((conflict) => conflict.rowId);
      if (changedContacts.length > 0) {
        const parents = await tx.$queryRaw<{ rowId: string }[]>`
          SELECT DISTINCT e."rowId" FROM "ChangeSetEntry" e
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = 'Customer' AND e.operation = 'insert'
             AND (EXISTS (SELECT 1 FROM "CustomerEmail" x WHERE x."customerId" = e."rowId" AND x.id = ANY(${changedContacts}::uuid[]))
               OR EXISTS (SELECT 1 FROM "CustomerPhone" x WHERE x."customerId" = e."rowId" AND x.id = ANY(${changedContacts}::uuid[])))`;
        for (const row of parents) {
          if (!conflicts.some((conflict) => conflict.rowId === row.rowId))
            conflicts.push({ table: "Customer", rowId: row.rowId, reason: "has contact details changed since" });
        }
      }
      // …and so do the contact details the set gave it.
      const keptCustomers = conflicts
        .filter((conflict) => conflict.table === "Customer" && conflict.reason.startsWith("has "))
        .map((conflict) => conflict.rowId);
      if (keptCustomers.length > 0) {
        for (const table of ["CustomerEmail", "CustomerPhone"] as const) {
          const children = await tx.$queryRaw<{ rowId: string }[]>`
            SELECT e."rowId" FROM "ChangeSetEntry" e JOIN ${tableSql(table)} t ON t.id = e."rowId"
             WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table} AND e.operation = 'insert'
               AND t."customerId" = ANY(${keptCustomers}::uuid[])`;
          for (const row of children) {
            if (!conflicts.some((conflict) => conflict.rowId === row.rowId))
              conflicts.push({ table, rowId: row.rowId, reason: "belongs to a customer that stays" });
          }
        }
      }
      // …and the organisation the set created for it.
      const stayingCustomers = conflicts.filter((conflict) => conflict.table === "Customer").map((conflict) => conflict.rowId);
      if (stayingCustomers.length > 0) {
        const organisations = await tx.$queryRaw<{ rowId: string }[]>`
          SELECT DISTINCT e."rowId" FROM "ChangeSetEntry" e JOIN "Customer" c ON c."organisationId" = e."rowId"
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = 'Organisation' AND e.operation = 'insert'
             AND c.id = ANY(${stayingCustomers}::uuid[])`;
        for (const row of organisations) {
          if (!conflicts.some((conflict) => conflict.rowId === row.rowId))
            conflicts.push({ table: "Organisation", rowId: row.rowId, reason: "has contacts that stay" });
        }
      }
      const skipped = conflicts.map((conflict) => conflict.rowId);
      let restored = 0;

      // 1. Rows the set deleted come back, parents first.
      for (const table of PARENT_FIRST) {
        restored += await tx.$executeRaw`
          INSERT INTO ${tableSql(table)}
          SELECT (jsonb_populate_record(NULL::${tableSql(table)}, e.before)).*
            FROM "ChangeSetEntry" e
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table} AND e.operation = 'delete'
             AND NOT (e."rowId" = ANY(${skipped}::uuid[]))`;
      }
      // 2. Rows the set updated get their earlier state.
      for (const table of UNDOABLE_TABLES) {
        restored += await tx.$executeRaw`
          UPDATE ${tableSql(table)} AS t
             SET (${Prisma.raw(await columnList(tx, table))}) = (SELECT ${Prisma.raw(await columnList(tx, table, "r."))} FROM jsonb_populate_record(NULL::${tableSql(table)}, e.before) r)
            FROM "ChangeSetEntry" e
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table} AND e.operation = 'update'
             AND e."rowId" = t.id AND NOT (e."rowId" = ANY(${skipped}::uuid[]))`;
      }
      // 3. Rows the set inserted go, children first.
      for (const table of [...PARENT_FIRST].reverse()) {
        restored += await tx.$executeRaw`
          DELETE FROM ${tableSql(table)} t
           USING "ChangeSetEntry" e
           WHERE e."changeSetId" = ${changeSetId}::uuid AND e."tableName" = ${table} AND e.operation = 'insert'
             AND e."rowId" = t.id AND NOT (e."rowId" = ANY(${skipped}::uuid[]))`;
      }
      await tx.changeSet.update({
        where: { id: changeSetId },
        data: { undoneAt: new Date(), undoneById, undoReport: conflicts.length > 0 ? (conflicts as unknown as Prisma.InputJsonValue) : Prisma.DbNull },
      });
      return { ok: true as const, restored, conflicts };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

/** The table's columns, quoted, in order (for a whole-row UPDATE … SET (…) = (…)). */
async function columnList(tx: Prisma.TransactionClient, table: UndoableTable, prefix = ""): Promise<string> {
  const rows = await tx.$queryRaw<{ column_name: string }[]>`
    SELECT column_name::text AS column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ${table}
     ORDER BY ordinal_position`;
  return rows.map((row) => `${prefix}"${row.column_name.replaceAll('"', '""')}"`).join(", ");
}
