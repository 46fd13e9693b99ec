import "server-only";
import { agreementCountsSql, agreementStatusJoinSql } from "@/features/identity/identity-sql";
import type { DirectoryFilter, DirectorySort } from "@/features/customers/schemas";
import { type CustomerMatchedBy, searchCustomers } from "@/features/tickets/phone-tickets";
import { db, Prisma } from "@/platform/db/client";
import { maskEmail } from "@/platform/mask";

/**
 * The customer directory (/console/customers): every customer, a page at a time, filtered and
 * sorted, built to stay fast at 100k customers:
 *  - keyset pages on (sort key, id), each one index range scan of Customer(name) or
 *    Customer(createdAt) (ids are UUIDv7, so id order follows creation); no OFFSET, no COUNT(*).
 *    "51–100" comes from the position the links carry (`start`), not from counting.
 *  - the agreement state is the SQL twin of entitlementOf (features/identity/identity-sql.ts),
 *    one LATERAL probe per candidate row, agreements held by the customer or its organisation.
 *  - the contact filters are EXISTS probes of CustomerEmail(customerId) / CustomerPhone(customerId…).
 *  - the search reuses the phone desk's search (features/tickets/phone-tickets.ts): at most its 20
 *    hits, which the other filters then narrow.
 * Absorbed records (mergedIntoId set) never show; erased ones (erasedAt set) only when asked for,
 * and then without any personal data ("Erased customer").
 */

export const DIRECTORY_PAGE_SIZE = 50;

export type DirectoryRow = {
  id: string;
  /** null for an erased customer (shown as "Erased customer"). */
  name: string | null;
  accountNumber: string;
  organisation: { id: string; name: string } | null;
  agreement: "valid" | "expired" | "cancelled" | "none";
  maskedPrimaryEmail: string | null;
  /** Addresses and numbers not verified, and those whose messages bounce (or were reported as spam). */
  unverifiedContacts: number;
  bouncingContacts: number;
  openTickets: number;
  createdAt: Date;
  erased: boolean;
  /** How the search found it, when there was a search. */
  matchedBy: CustomerMatchedBy | null;
};

export type DirectoryPage = {
  rows: DirectoryRow[];
  /** 1-based position of the first row (for "51–100"). */
  start: number;
  nextCursor: string | null;
  previousCursor: string | null;
};

/**
 * Opaque cursor: the sort it belongs to and the id of the edge row; the row's sort key is read back
 * from the row itself, so no name travels in a URL (server logs, browser history).
 */
export function encodeDirectoryCursor(sort: DirectorySort, id: string): string {
  return Buffer.from(JSON.stringify([sort, id]), "utf8").toString("base64url");
}

/** The row id in a cursor made for this sort, or null (another sort, tampering, garbage). */
export function decodeDirectoryCursor(sort: DirectorySort, cursor: string | undefined): string | null {
  if (!cursor) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parts) || parts.length !== 2 || parts[0] !== sort) return null;
    const id = parts[1];
    return typeof id === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}

const SORT_COLUMN: Record<DirectorySort, { column: "name" | "createdAt"; descending: boolean }> = {
  name: { column: "name", descending: false },
  name_desc: { column: "name", descending: true },
  newest: { column: "createdAt", descending: true },
  oldest: { column: "createdAt", descending: false },
};

type RawRow = {
  id: string;
  name: string;
  accountNumber: string;
  organisationId: string | null;
  organisationName: string | null;
  agreement: string | null;
  primaryEmail: string | null;
  unverifiedContacts: number;
  bouncingContacts: number;
  openTickets: number;
  createdAt: Date;
  erasedAt: Date | null;
};

const BOUNCING = Prisma.sql`('bouncing', 'complained')`;
const unverifiedExistsSql = Prisma.sql`(EXISTS (SELECT 1 FROM "CustomerEmail" e WHERE e."customerId" = cu."id" AND e."verifiedAt" IS NULL)
      OR EXISTS (SELECT 1 FROM "CustomerPhone" p WHERE p."customerId" = cu."id" AND p."verifiedAt" IS NULL))`;
const bouncingExistsSql = Prisma.sql`(EXISTS (SELECT 1 FROM "CustomerEmail" e WHERE e."customerId" = cu."id" AND e."deliverability" IN ${BOUNCING})
      OR EXISTS (SELECT 1 FROM "CustomerPhone" p WHERE p."customerId" = cu."id" AND p."deliverability" IN ${BOUNCING}))`;

/** One page of the directory for `filter` (its `after` / `before` cursor says which). */
export async function listDirectory(filter: DirectoryFilter, options: { now?: Date; pageSize?: number; phoneRegion?: string } = {}): Promise<DirectoryPage> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? DIRECTORY_PAGE_SIZE;
  const { column: columnName, descending } = SORT_COLUMN[filter.sort];
  const column = Prisma.raw(`cu."${columnName}"`);

  let matchedBy: Map<string, CustomerMatchedBy> | null = null;
  if (filter.q) {
    const hits = await searchCustomers(filter.q, { phoneRegion: options.phoneRegion });
    matchedBy = new Map(hits.map((hit) => [hit.id, hit.matchedBy]));
    if (matchedBy.size === 0) return { rows: [], start: 1, nextCursor: null, previousCursor: null };
  }

  const before = decodeDirectoryCursor(filter.sort, filter.before);
  const after = before ? null : decodeDirectoryCursor(filter.sort, filter.after);
  const cursor = before ?? after;
  // Walking backwards (the page before `before`) reads the reverse order, then flips the rows.
  const reverse = before !== null;
  const ascending = descending === reverse;

  const where: Prisma.Sql[] = [Prisma.sql`cu."mergedIntoId" IS NULL`];
  if (filter.erased === "hide") where.push(Prisma.sql`cu."erasedAt" IS NULL`);
  if (matchedBy) where.push(Prisma.sql`cu."id" = ANY(CAST(${[...matchedBy.keys()]} AS uuid[]))`);
  if (filter.org === "none") where.push(Prisma.sql`cu."organisationId" IS NULL`);
  else if (filter.org) where.push(Prisma.sql`cu."organisationId" = CAST(${filter.org} AS uuid)`);
  // "None" as an anti-join: a condition on the LATERAL's NULL is estimated so rare that the planner
  // sorted every customer (1.6 s at 100k); NOT EXISTS over the same agreements keeps the index walk.
  if (filter.agreement === "none") where.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "SupportAgreement" a ${agreementCountsSql(now)})`);
  else if (filter.agreement !== "any") where.push(Prisma.sql`ags."status" = ${filter.agreement}`);
  if (filter.contacts === "unverified") where.push(unverifiedExistsSql);
  else if (filter.contacts === "bouncing") where.push(bouncingExistsSql);
  else if (filter.contacts === "either") where.push(Prisma.sql`(${unverifiedExistsSql} OR ${bouncingExistsSql})`);
  if (filter.from) where.push(Prisma.sql`cu."createdAt" >= CAST(${`${filter.from}T00:00:00.000Z`} AS timestamp(3))`);
  if (filter.to) where.push(Prisma.sql`cu."createdAt" < CAST(${`${filter.to}T00:00:00.000Z`} AS timestamp(3)) + interval '1 day'`);
  if (cursor) {
    // The edge row's key, read back; a row since deleted ends the walk (an empty page offers the first).
    const key = Prisma.sql`(SELECT k.${Prisma.raw(`"${columnName}"`)} FROM "Customer" k WHERE k."id" = CAST(${cursor} AS uuid))`;
    where.push(
      ascending ? Prisma.sql`(${column}, cu."id") > (${key}, CAST(${cursor} AS uuid))` : Prisma.sql`(${column}, cu."id") < (${key}, CAST(${cursor} AS uuid))`,
    );
  }
  const direction = ascending ? Prisma.sql`ASC` : Prisma.sql`DESC`;

  const found = await db.$queryRaw<RawRow[]>`
    SELECT cu."id", cu."name", cu."accountNumber", cu."organisationId", o."name" AS "organisationName",
           ags."status" AS "agreement", cu."createdAt", cu."erasedAt",
           (SELECT e."address" FROM "CustomerEmail" e WHERE e."customerId" = cu."id" AND e."isPrimary" LIMIT 1) AS "primaryEmail",
           (SELECT CAST(count(*) AS int) FROM "CustomerEmail" e WHERE e."customerId" = cu."id" AND e."verifiedAt" IS NULL)
             + (SELECT CAST(count(*) AS int) FROM "CustomerPhone" p WHERE p."customerId" = cu."id" AND p."verifiedAt" IS NULL) AS "unverifiedContacts",
           (SELECT CAST(count(*) AS int) FROM "CustomerEmail" e WHERE e."customerId" = cu."id" AND e."deliverability" IN ${BOUNCING})
             + (SELECT CAST(count(*) AS int) FROM "CustomerPhone" p WHERE p."customerId" = cu."id" AND p."deliverability" IN ${BOUNCING}) AS "bouncingContacts",
           (SELECT CAST(count(*) AS int) FROM "Ticket" t WHERE t."customerId" = cu."id" AND t."status" IN ('new', 'open', 'pending', 'on_hold')) AS "openTickets"
      FROM "Customer" cu
      LEFT JOIN "Organisation" o ON o."id" = cu."organisationId"
      ${agreementStatusJoinSql(now)}
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY ${column} ${direction}, cu."id" ${direction}
     LIMIT ${pageSize + 1}`;

  const more = found.length > pageSize;
  const page = found.slice(0, pageSize);
  if (reverse) page.reverse();
  const rows = page.map((row): DirectoryRow => {
    const erased = row.erasedAt !== null;
    return {
      id: row.id,
      name: erased ? null : row.name,
      accountNumber: row.accountNumber,
      organisation: row.organisationId && row.organisationName && !erased ? { id: row.organisationId, name: row.organisationName } : null,
      agreement: (row.agreement ?? "none") as DirectoryRow["agreement"],
      maskedPrimaryEmail: row.primaryEmail && !erased ? maskEmail(row.primaryEmail) : null,
      unverifiedContacts: row.unverifiedContacts,
      bouncingContacts: row.bouncingContacts,
      openTickets: row.openTickets,
      createdAt: row.createdAt,
      erased,
      matchedBy: matchedBy?.get(row.id) ?? null,
    };
  });
  const cursorOf = (row: RawRow) => encodeDirectoryCursor(filter.sort, row.id);
  const first = page[0];
  const last = page.at(-1);

  if (reverse) {
    // Fewer than a page before the cursor: this is the first page, whatever `start` claimed.
    const start = more ? Math.max(2, filter.start) : 1;
    return { rows, start, previousCursor: more && first ? cursorOf(first) : null, nextCursor: last ? cursorOf(last) : null };
  }
  return {
    rows,
    start: after ? Math.max(filter.start, 2) : 1,
    previousCursor: after ? (first ? cursorOf(first) : (filter.after ?? null)) : null,
    nextCursor: more && last ? cursorOf(last) : null,
  };
}

/** The query string of a directory view; `changes` overrides fields, and moving to another view drops the cursors. */
export function directoryQueryString(filter: DirectoryFilter, changes: Partial<Record<keyof DirectoryFilter, string | number | undefined>> = {}): string {
  const merged: Record<string, unknown> = { ...filter, after: undefined, before: undefined, start: undefined, ...changes };
  const defaults: Record<string, unknown> = { agreement: "any", contacts: "any", erased: "hide", sort: "name", start: 1 };
  const params = new URLSearchParams();
  for (const key of ["q", "org", "agreement", "contacts", "erased", "from", "to", "sort", "after", "before", "start"] as const) {
    const value = merged[key];
    if (value === undefined || value === null || value === "" || defaults[key] === value) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The organisations to filter by, by name (the select of the filter form). */
export async function organisationChoices(limit = 500): Promise<{ id: string; name: string }[]> {
  return db.organisation.findMany({ orderBy: { name: "asc" }, take: limit, select: { id: true, name: true } });
}
