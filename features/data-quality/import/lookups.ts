import "server-only";
import { db, type Prisma } from "@/platform/db/client";
import type { ExistingCustomer, ExistingEmail, ExistingPhone, Lookups } from "./plan";

type Reader = Prisma.TransactionClient | typeof db;

/**
 * Loads what the rules need about the customers a batch of rows could touch, in a handful of
 * set-based queries (never one per row): the customers holding any of the account numbers,
 * addresses and phone numbers, plus `customerIds` (the dry run's matches, at commit), with all of
 * their addresses and phones.
 */
export async function loadLookups(
  keys: { accounts: Iterable<string>; emails: Iterable<string>; phones: Iterable<string>; customerIds?: Iterable<string> },
  reader: Reader = db,
): Promise<Lookups> {
  const accounts = [...new Set([...keys.accounts].flatMap((account) => [account, account.toUpperCase()]))];
  const emails = [...new Set(keys.emails)];
  const phones = [...new Set(keys.phones)];
  const lookups: Lookups = { customers: new Map(), byAccount: new Map(), byEmail: new Map(), byPhone: new Map() };
  const ids = new Set(keys.customerIds ?? []);

  if (accounts.length > 0) {
    const rows = await reader.$queryRaw<{ id: string; accountNumber: string }[]>`
      SELECT id::text, "accountNumber" FROM "Customer" WHERE "accountNumber" = ANY(${accounts}::text[])`;
    for (const row of rows) {
      lookups.byAccount.set(row.accountNumber, row.id);
      if (!lookups.byAccount.has(row.accountNumber.toUpperCase())) lookups.byAccount.set(row.accountNumber.toUpperCase(), row.id);
      ids.add(row.id);
    }
  }
  if (emails.length > 0) {
    const rows = await reader.$queryRaw<{ customerId: string }[]>`
      SELECT DISTINCT "customerId"::text AS "customerId" FROM "CustomerEmail" WHERE normalized = ANY(${emails}::text[])`;
    for (const row of rows) ids.add(row.customerId);
  }
  if (phones.length > 0) {
    const rows = await reader.$queryRaw<{ customerId: string; e164: string }[]>`
      SELECT "customerId"::text AS "customerId", e164 FROM "CustomerPhone" WHERE e164 = ANY(${phones}::text[])`;
    for (const row of rows) {
      const holders = lookups.byPhone.get(row.e164) ?? [];
      if (!holders.includes(row.customerId)) holders.push(row.customerId);
      lookups.byPhone.set(row.e164, holders);
      ids.add(row.customerId);
    }
  }
  if (ids.size === 0) return lookups;
  const idList = [...ids];
  const customers = await reader.$queryRaw<
    { id: string; accountNumber: string; name: string; organisationKey: string | null; merged: boolean; erased: boolean }[]
  >`
    SELECT c.id::text, c."accountNumber", c.name, o."normalizedName" AS "organisationKey", (c."mergedIntoId" IS NOT NULL) AS merged, (c."erasedAt" IS NOT NULL) AS erased
      FROM "Customer" c LEFT JOIN "Organisation" o ON o.id = c."organisationId"
     WHERE c.id = ANY(${idList}::uuid[])`;
  for (const row of customers) {
    const customer: ExistingCustomer = {
      id: row.id,
      accountNumber: row.accountNumber,
      name: row.name,
      organisationKey: row.organisationKey,
      unavailable: row.erased ? "erased" : row.merged ? "merged" : null,
      emails: [],
      phones: [],
    };
    lookups.customers.set(row.id, customer);
  }
  const emailRows = await reader.$queryRaw<(Omit<ExistingEmail, "verified"> & { verified: boolean })[]>`
    SELECT id::text, "customerId"::text AS "customerId", normalized, address, "isPrimary", ("verifiedAt" IS NOT NULL) AS verified
      FROM "CustomerEmail" WHERE "customerId" = ANY(${idList}::uuid[]) ORDER BY "createdAt", id`;
  for (const email of emailRows) {
    lookups.customers.get(email.customerId)?.emails.push(email);
    lookups.byEmail.set(email.normalized, email);
  }
  const phoneRows = await reader.$queryRaw<ExistingPhone[]>`
    SELECT id::text, "customerId"::text AS "customerId", e164, kind::text AS kind, ("verifiedAt" IS NOT NULL) AS verified
      FROM "CustomerPhone" WHERE "customerId" = ANY(${idList}::uuid[]) ORDER BY "createdAt", id`;
  for (const phone of phoneRows) lookups.customers.get(phone.customerId)?.phones.push(phone);
  return lookups;
}
