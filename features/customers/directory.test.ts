import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entitlementOf } from "@/features/customers/agreements";
import { entitlementJoinSql } from "@/features/identity/identity-sql";
import { type DirectoryPage, directoryQueryString, listDirectory } from "@/features/customers/directory";
import { customerDirectorySchema, type DirectoryFilterInput } from "@/features/customers/schemas";
import { db } from "@/platform/db/client";

const TAG = `DIR${randomBytes(3).toString("hex").toUpperCase()}`;
const NOW = new Date("2026-06-15T12:00:00Z");
const day = (value: string) => new Date(`${value}T00:00:00Z`);

const filter = (input: DirectoryFilterInput) => customerDirectorySchema.parse(input);

let orgA: string;
let orgB: string;
const ids: Record<string, string> = {};

async function customer(key: string, data: { name: string; createdAt: string; organisationId?: string | null; mergedIntoId?: string; erasedAt?: Date }) {
  const row = await db.customer.create({
    data: {
      accountNumber: `${TAG}-${key}`,
      name: data.name,
      createdAt: new Date(data.createdAt),
      organisationId: data.organisationId ?? null,
      mergedIntoId: data.mergedIntoId,
      erasedAt: data.erasedAt,
    },
  });
  ids[key] = row.id;
  return row.id;
}

const names = (page: DirectoryPage) => page.rows.map((row) => row.name);

beforeAll(async () => {
  orgA = (await db.organisation.create({ data: { name: `${TAG} Acme`, normalizedName: `${TAG.toLowerCase()} acme` } })).id;
  orgB = (await db.organisation.create({ data: { name: `${TAG} Bolt`, normalizedName: `${TAG.toLowerCase()} bolt` } })).id;

  // Organisation A: five contacts, named so that name order and creation order differ.
  await customer("own", { name: "Anna Own", createdAt: "2026-01-05T10:00:00Z", organisationId: orgA });
  await customer("orgheld", { name: "Ben Org", createdAt: "2026-01-01T10:00:00Z", organisationId: orgA });
  await customer("expired", { name: "Cara Expired", createdAt: "2026-01-04T10:00:00Z", organisationId: orgA });
  await customer("cancelled", { name: "Dan Cancelled", createdAt: "2026-01-02T10:00:00Z", organisationId: orgA });
  await customer("zed", { name: "Zed Org", createdAt: "2026-01-03T23:59:59Z", organisationId: orgA });
  // No organisation, and only an agreement that has not started: "none".
  await customer("none", { name: "Eve None", createdAt: "2026-01-08T10:00:00Z" });
  // Organisation B holds a valid agreement: every contact of B is covered, none of A's.
  await customer("b1", { name: "Finn Bolt", createdAt: "2026-02-01T10:00:00Z", organisationId: orgB });
  // Absorbed by a merge into "own", and an erased one: in organisation A too.
  await customer("merged", { name: "Anna Own (old)", createdAt: "2026-01-06T10:00:00Z", organisationId: orgA, mergedIntoId: ids.own });
  await customer("erased", { name: "Gone Person", createdAt: "2026-01-07T10:00:00Z", organisationId: orgA, erasedAt: day("2026-03-01") });

  await db.supportAgreement.createMany({
    data: [
      { customerId: ids.own!, reference: `${TAG}-1`, tier: "basic", startsOn: day("2026-01-01"), endsOn: day("2026-12-31") },
      // Own agreement lapsed, but B's organisation agreement is valid: Finn is covered.
      { customerId: ids.b1!, reference: `${TAG}-2`, tier: "premium", startsOn: day("2025-01-01"), endsOn: day("2025-12-31") },
      { organisationId: orgB, reference: `${TAG}-3`, tier: "standard", startsOn: day("2026-01-01"), endsOn: day("2026-06-15") },
      { customerId: ids.expired!, reference: `${TAG}-4`, tier: "premium", startsOn: day("2025-01-01"), endsOn: day("2026-06-14") },
      // Cancelled yesterday; an older expired one ends earlier, so "cancelled" is the latest lapse.
      {
        customerId: ids.cancelled!,
        reference: `${TAG}-5`,
        tier: "basic",
        startsOn: day("2026-01-01"),
        endsOn: day("2026-12-31"),
        cancelledAt: new Date("2026-06-14T18:00:00Z"),
      },
      { customerId: ids.cancelled!, reference: `${TAG}-6`, tier: "basic", startsOn: day("2025-01-01"), endsOn: day("2025-12-31") },
      // Not started yet: counts for nothing.
      { customerId: ids.none!, reference: `${TAG}-7`, tier: "premium", startsOn: day("2026-07-01"), endsOn: day("2027-06-30") },
    ],
  });
  await db.supportAgreement.create({
    data: { organisationId: orgA, reference: `${TAG}-8`, tier: "basic", startsOn: day("2024-01-01"), endsOn: day("2024-12-31") },
  });

  await db.customerEmail.createMany({
    data: [
      {
        customerId: ids.own!,
        address: `anna@${TAG}.example`,
        normalized: `anna@${TAG.toLowerCase()}.example`,
        isPrimary: true,
        verifiedAt: NOW,
        deliverability: "delivering",
      },
      { customerId: ids.orgheld!, address: `ben@${TAG}.example`, normalized: `ben@${TAG.toLowerCase()}.example`, isPrimary: true, verifiedAt: NOW },
      { customerId: ids.expired!, address: `cara@${TAG}.example`, normalized: `cara@${TAG.toLowerCase()}.example`, isPrimary: true, verifiedAt: null },
    ],
  });
  await db.customerPhone.createMany({
    data: [
      { customerId: ids.orgheld!, e164: "+447700900111", kind: "mobile", verifiedAt: NOW, deliverability: "bouncing" },
      { customerId: ids.own!, e164: "+447700900112", kind: "mobile", verifiedAt: NOW },
    ],
  });
  // Organisation A's agreement (2024) lapsed: Ben and Zed, with none of their own, are "expired" through it.
});

afterAll(async () => {
  await db.customer.updateMany({ where: { accountNumber: { startsWith: `${TAG}-` } }, data: { mergedIntoId: null } });
  await db.customer.deleteMany({ where: { accountNumber: { startsWith: `${TAG}-` } } });
  await db.organisation.deleteMany({ where: { id: { in: [orgA, orgB] } } });
});

describe("listDirectory filters", () => {
  it("filters by organisation, hides merged records and erased ones unless asked", async () => {
    const a = await listDirectory(filter({ org: orgA }), { now: NOW });
    expect(names(a)).toEqual(["Anna Own", "Ben Org", "Cara Expired", "Dan Cancelled", "Zed Org"]);
    expect(a.rows[0]?.organisation).toEqual({ id: orgA, name: `${TAG} Acme` });
    expect(names(await listDirectory(filter({ org: orgB }), { now: NOW }))).toEqual(["Finn Bolt"]);

    const withErased = await listDirectory(filter({ org: orgA, erased: "show" }), { now: NOW });
    const erased = withErased.rows.find((row) => row.erased);
    expect(erased).toMatchObject({ id: ids.erased!, name: null, organisation: null, maskedPrimaryEmail: null });
    expect(withErased.rows.map((row) => row.id)).not.toContain(ids.merged!);
  });

  it("reads the agreement state like entitlementOf, organisation agreements included", async () => {
    const state = async (agreement: string) => names(await listDirectory(filter({ org: orgA, agreement }), { now: NOW }));
    expect(await state("valid")).toEqual(["Anna Own"]);
    expect(await state("expired")).toEqual(["Ben Org", "Cara Expired", "Zed Org"]);
    expect(await state("cancelled")).toEqual(["Dan Cancelled"]);
    expect(await state("none")).toEqual([]);
    expect(names(await listDirectory(filter({ q: `${TAG}-none`, org: "none", agreement: "none" }), { now: NOW }))).toEqual(["Eve None"]);
    expect(names(await listDirectory(filter({ q: `${TAG}-none`, org: orgA }), { now: NOW }))).toEqual([]);
    // Finn's own agreement lapsed; his organisation's is valid (last day today): covered.
    expect(names(await listDirectory(filter({ org: orgB, agreement: "valid" }), { now: NOW }))).toEqual(["Finn Bolt"]);
    expect(names(await listDirectory(filter({ org: orgB, agreement: "valid" }), { now: new Date("2026-06-16T00:00:00Z") }))).toEqual([]);

    // The SQL twin agrees with the rules for every row.
    const all = await listDirectory(filter({ q: undefined }), { now: NOW, pageSize: 500 });
    const agreements = await db.supportAgreement.findMany({ where: { reference: { startsWith: `${TAG}-` } } });
    const customers = await db.customer.findMany({ where: { accountNumber: { startsWith: `${TAG}-` } } });
    for (const row of all.rows.filter((r) => Object.values(ids).includes(r.id))) {
      const customerRow = customers.find((c) => c.id === row.id)!;
      const held = agreements.filter((a) => a.customerId === row.id || (a.organisationId !== null && a.organisationId === customerRow.organisationId));
      expect(row.agreement, customerRow.name).toBe(entitlementOf(held, NOW).status);
    }
  });

  it("gives a ticket the tier of its customer's organisation agreement (the queue's entitlement twin)", async () => {
    const ticket = await db.ticket.create({ data: { subject: `${TAG} org covered`, channel: "email", customerId: ids.b1! } });
    const orphan = await db.ticket.create({ data: { subject: `${TAG} no customer`, channel: "email" } });
    try {
      const tierOf = async (id: string, now: Date) =>
        (
          await db.$queryRaw<
            { tier: string | null }[]
          >`SELECT CAST(ent."tier" AS text) AS "tier" FROM "Ticket" c ${entitlementJoinSql(now)} WHERE c."id" = CAST(${id} AS uuid)`
        )[0]?.tier;
      // Finn's own premium agreement lapsed; organisation B's standard one is valid today.
      expect(await tierOf(ticket.id, NOW)).toBe("standard");
      expect(await tierOf(ticket.id, new Date("2026-06-16T00:00:00Z"))).toBeNull();
      expect(await tierOf(orphan.id, NOW)).toBeNull();
    } finally {
      await db.ticket.deleteMany({ where: { id: { in: [ticket.id, orphan.id] } } });
    }
  });

  it("filters by unverified or bouncing contacts", async () => {
    const contacts = async (value: string) => names(await listDirectory(filter({ org: orgA, contacts: value }), { now: NOW }));
    expect(await contacts("unverified")).toEqual(["Cara Expired"]);
    expect(await contacts("bouncing")).toEqual(["Ben Org"]);
    expect(await contacts("either")).toEqual(["Ben Org", "Cara Expired"]);
    const ben = (await listDirectory(filter({ org: orgA }), { now: NOW })).rows.find((row) => row.id === ids.orgheld!);
    expect(ben).toMatchObject({ bouncingContacts: 1, unverifiedContacts: 0, maskedPrimaryEmail: `b•••@${TAG.toLowerCase()}.example` });
  });

  it("filters by creation day, both ends inclusive (UTC days)", async () => {
    expect(names(await listDirectory(filter({ org: orgA, from: "2026-01-02", to: "2026-01-03" }), { now: NOW }))).toEqual(["Dan Cancelled", "Zed Org"]);
    expect(names(await listDirectory(filter({ org: orgA, from: "2026-01-04" }), { now: NOW }))).toEqual(["Anna Own", "Cara Expired"]);
    expect(names(await listDirectory(filter({ org: orgA, to: "2026-01-01" }), { now: NOW }))).toEqual(["Ben Org"]);
    expect(customerDirectorySchema.safeParse({ from: "2026-02-30" }).success).toBe(false);
    expect(customerDirectorySchema.safeParse({ from: "2026-03-02", to: "2026-03-01" }).success).toBe(false);
  });

  it("searches with the phone desk's search, narrowed by the other filters", async () => {
    expect(names(await listDirectory(filter({ q: `${TAG}-cancelled` }), { now: NOW }))).toEqual(["Dan Cancelled"]);
    const hit = await listDirectory(filter({ q: `${TAG}-cancelled`, agreement: "valid" }), { now: NOW });
    expect(hit.rows).toEqual([]);
    expect((await listDirectory(filter({ q: `${TAG}-own` }), { now: NOW })).rows[0]?.matchedBy).toBe("account_number");
    expect(customerDirectorySchema.safeParse({ q: "a\u0000b" }).success).toBe(false);
  });
});

describe("listDirectory sort and pages", () => {
  it("sorts by name either way and by creation", async () => {
    const byName = ["Anna Own", "Ben Org", "Cara Expired", "Dan Cancelled", "Zed Org"];
    expect(names(await listDirectory(filter({ org: orgA, sort: "name_desc" }), { now: NOW }))).toEqual([...byName].reverse());
    expect(names(await listDirectory(filter({ org: orgA, sort: "oldest" }), { now: NOW }))).toEqual([
      "Ben Org",
      "Dan Cancelled",
      "Zed Org",
      "Cara Expired",
      "Anna Own",
    ]);
    expect(names(await listDirectory(filter({ org: orgA, sort: "newest" }), { now: NOW }))).toEqual([
      "Anna Own",
      "Cara Expired",
      "Zed Org",
      "Dan Cancelled",
      "Ben Org",
    ]);
  });

  for (const sort of ["name", "newest"] as const) {
    it(`walks every page forwards and back (${sort}), with positions and no link past either end`, async () => {
      const whole = names(await listDirectory(filter({ org: orgA, sort }), { now: NOW }));
      const pageSize = 2;
      const seen: (string | null)[] = [];
      const starts: number[] = [];
      let page = await listDirectory(filter({ org: orgA, sort }), { now: NOW, pageSize });
      expect(page.previousCursor).toBeNull();
      for (;;) {
        seen.push(...names(page));
        starts.push(page.start);
        if (!page.nextCursor) break;
        page = await listDirectory(filter({ org: orgA, sort, after: page.nextCursor, start: String(page.start + page.rows.length) }), { now: NOW, pageSize });
        expect(page.previousCursor).not.toBeNull();
      }
      expect(seen).toEqual(whole);
      expect(starts).toEqual([1, 3, 5]);
      expect(page.rows).toHaveLength(1);

      // Back from the last page to the first.
      const back: (string | null)[][] = [];
      let start = page.start;
      while (page.previousCursor) {
        start = Math.max(1, start - pageSize);
        page = await listDirectory(filter({ org: orgA, sort, before: page.previousCursor, start: String(start) }), { now: NOW, pageSize });
        back.unshift(names(page));
        expect(page.nextCursor).not.toBeNull();
      }
      expect(back).toEqual([whole.slice(0, 2), whole.slice(2, 4)]);
      expect(page.start).toBe(1);
    });
  }

  it("ignores a cursor of another sort or a forged one", async () => {
    const first = await listDirectory(filter({ org: orgA, sort: "name" }), { now: NOW, pageSize: 2 });
    const other = await listDirectory(filter({ org: orgA, sort: "newest", after: first.nextCursor ?? undefined }), { now: NOW, pageSize: 2 });
    expect(other.start).toBe(1);
    expect(other.previousCursor).toBeNull();
    const forged = await listDirectory(filter({ org: orgA, after: Buffer.from('["name","x"]').toString("base64url") }), { now: NOW, pageSize: 2 });
    expect(names(forged)).toEqual(["Anna Own", "Ben Org"]);
  });

  it("writes the view into the URL without defaults", () => {
    expect(directoryQueryString(filter({}))).toBe("");
    expect(directoryQueryString(filter({ org: orgA, agreement: "valid", sort: "newest" }), { after: "abc", start: 51 })).toBe(
      `?org=${orgA}&agreement=valid&sort=newest&after=abc&start=51`,
    );
  });
});
