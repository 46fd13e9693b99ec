import "server-only";
import { db, Prisma } from "@/platform/db/client";
import type { ContactFilter } from "@/features/data-quality/report/schemas";

/**
 * The drill-down behind every number of the data-quality report: the contacts a filter selects,
 * in keyset pages by contact id (uuid v7, so creation order; a page never shifts when rows are
 * added), and the same list in batches for the CSV export. Contacts of merged-away and erased
 * customers are left out, as in the counts.
 */

export const CONTACTS_PAGE_SIZE = 50;
export const CONTACTS_EXPORT_BATCH = 500;

export type ContactRow = {
  id: string;
  customerId: string;
  customerName: string;
  accountNumber: string;
  /** The address as given, or the E.164 number. */
  value: string;
  /** Phones: mobile / fixed / other; null for addresses. */
  kind: string | null;
  verifiedAt: Date | null;
  validity: "valid" | "doubtful" | "invalid" | null;
  reasons: string[];
  /** Addresses: a proposed fix; phones: the line type found. */
  suggestion: string | null;
  lineType: string | null;
  validatedAt: Date | null;
};

function conditions(filter: ContactFilter, alias: "e" | "p"): Prisma.Sql[] {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const where: Prisma.Sql[] = [Prisma.sql`c."mergedIntoId" IS NULL`, Prisma.sql`c."erasedAt" IS NULL`];
  if (filter.verified === "yes") where.push(Prisma.sql`${column("verifiedAt")} IS NOT NULL`);
  if (filter.verified === "no") where.push(Prisma.sql`${column("verifiedAt")} IS NULL`);
  if (filter.validity === "unvalidated") where.push(Prisma.sql`${column("validity")} IS NULL`);
  else if (filter.validity) where.push(Prisma.sql`${column("validity")} = CAST(${filter.validity} AS "ContactValidity")`);
  if (filter.reason) where.push(Prisma.sql`${filter.reason} = ANY(${column("validityReasons")})`);
  if (alias === "p") {
    if (filter.kind === "mobile") where.push(Prisma.sql`p.kind = 'mobile'`);
    if (filter.kind === "other") where.push(Prisma.sql`p.kind <> 'mobile'`);
    if (filter.duplicate === "yes")
      where.push(Prisma.sql`EXISTS (
        SELECT 1 FROM "CustomerPhone" o JOIN "Customer" oc ON oc.id = o."customerId"
         WHERE o.e164 = p.e164 AND o."customerId" <> p."customerId" AND oc."mergedIntoId" IS NULL AND oc."erasedAt" IS NULL)`);
  }
  return where;
}

/** Contacts matching `filter` with an id above `after`, in id order, at most `limit`. */
async function selectContacts(filter: ContactFilter, after: string | undefined, limit: number): Promise<ContactRow[]> {
  if (filter.channel === "email") {
    const where = conditions(filter, "e");
    if (after) where.push(Prisma.sql`e.id > CAST(${after} AS uuid)`);
    return db.$queryRaw<ContactRow[]>`
      SELECT e.id::text AS id, c.id::text AS "customerId", c.name AS "customerName", c."accountNumber",
             e.address AS value, NULL AS kind, e."verifiedAt", e.validity::text AS validity, e."validityReasons" AS reasons,
             e."validitySuggestion" AS suggestion, NULL AS "lineType", e."validatedAt"
        FROM "CustomerEmail" e JOIN "Customer" c ON c.id = e."customerId"
       WHERE ${Prisma.join(where, " AND ")}
       ORDER BY e.id
       LIMIT ${limit}`;
  }
  const where = conditions(filter, "p");
  if (after) where.push(Prisma.sql`p.id > CAST(${after} AS uuid)`);
  return db.$queryRaw<ContactRow[]>`
    SELECT p.id::text AS id, c.id::text AS "customerId", c.name AS "customerName", c."accountNumber",
           p.e164 AS value, p.kind::text AS kind, p."verifiedAt", p.validity::text AS validity, p."validityReasons" AS reasons,
           NULL AS suggestion, p."lineType", p."validatedAt"
      FROM "CustomerPhone" p JOIN "Customer" c ON c.id = p."customerId"
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY p.id
     LIMIT ${limit}`;
}

export type ContactPage = { rows: ContactRow[]; nextCursor: string | null };

/** One page of the list, after `filter.after`. */
export async function listContacts(filter: ContactFilter, pageSize = CONTACTS_PAGE_SIZE): Promise<ContactPage> {
  const rows = await selectContacts(filter, filter.after, pageSize + 1);
  const page = rows.slice(0, pageSize);
  return { rows: page, nextCursor: rows.length > pageSize ? page[page.length - 1]!.id : null };
}

/** Every contact the filter selects (its cursor ignored), in batches: one index range scan each. */
export async function* contactBatches(filter: ContactFilter, batchSize = CONTACTS_EXPORT_BATCH): AsyncGenerator<ContactRow[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await selectContacts(filter, after, batchSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}
