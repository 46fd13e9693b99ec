import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerEntitlement } from "@/features/customers/agreements";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";
import type { AgreementTier, IdentityCheckOutcome } from "@/platform/db/generated/prisma/enums";
import { type IdentityBadge, type TicketIdentityFacts, identityBadgeOf } from "@/features/identity/ticket-identity";
import { recentRiskEvents } from "@/features/identity/recent-risk";
import { countQueue, listQueue } from "@/features/tickets/queue/queue";
import { IDENTITY_BADGES, parseQueueFilter } from "@/features/tickets/queue/schemas";

/**
 * The SQL that FILTERS the queue by identity badge and entitlement (features/identity/identity-sql.ts)
 * against the pure functions the rest of the app uses (identityBadgeOf, entitlementOf), on seeded
 * tickets covering every badge and the edge cases of each fact. Facts are also loaded a second,
 * independent way (Prisma models + normalizeEmail) and must match what the SQL read.
 */

const now = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const day = (offset: number) => new Date(Date.UTC(2026, 10, 20 + offset));

type Seed = { id: string; label: string; badge: IdentityBadge; tier: AgreementTier | null };
const seeds: Seed[] = [];
const customerIds: string[] = [];
const organisationIds: string[] = [];

/** An organisation holding `agreements`; its contacts are entitled by them (features/customers/agreements.ts). */
async function organisation(name: string, agreements: { tier: AgreementTier; startsOn: Date; endsOn: Date; cancelledAt?: Date }[], contactIds: string[]) {
  const tag = randomUUID().slice(0, 8);
  const created = await db.organisation.create({
    data: {
      name: `${name} ${tag}`,
      normalizedName: `${name} ${tag}`.toLowerCase(),
      agreements: { create: agreements.map((a, i) => ({ reference: `QO-${tag}-${i}`, ...a })) },
    },
  });
  organisationIds.push(created.id);
  await db.customer.updateMany({ where: { id: { in: contactIds } }, data: { organisationId: created.id } });
}
const userIds: string[] = [];
let viewer: string;

async function customer(
  name: string,
  emails: { address: string; isPrimary?: boolean; verified?: boolean; deliverability?: "delivering" | "bouncing" | "complained" | "unknown" }[],
  agreements: { tier: AgreementTier; startsOn: Date; endsOn: Date; cancelledAt?: Date }[] = [],
) {
  const tag = randomUUID().slice(0, 8);
  const created = await db.customer.create({
    data: {
      accountNumber: `QI-${tag}`,
      name,
      emails: {
        create: emails.map((email, i) => ({
          address: email.address.replace("@", `.${tag}@`),
          normalized: normalizeEmail(email.address.replace("@", `.${tag}@`)),
          isPrimary: email.isPrimary ?? i === 0,
          verifiedAt: email.verified ? hoursAgo(1000) : null,
          deliverability: email.deliverability ?? "delivering",
        })),
      },
      agreements: { create: agreements.map((a, i) => ({ reference: `QI-${tag}-${i}`, ...a })) },
    },
    include: { emails: true },
  });
  customerIds.push(created.id);
  return { id: created.id, address: (i: number) => created.emails.find((e) => e.address.startsWith(emails[i]!.address.split("@")[0]!))!.address };
}

async function account(name: string, proofs: { email?: boolean; phone?: boolean; twoFactor?: boolean }) {
  const user = await db.user.create({
    data: {
      email: `${randomUUID()}@accounts.test`,
      name,
      role: "customer",
      emailVerifiedAt: proofs.email ? hoursAgo(500) : null,
      phoneVerifiedAt: proofs.phone ? hoursAgo(500) : null,
      twoFactorMethod: proofs.twoFactor ? "totp" : null,
    },
  });
  userIds.push(user.id);
  return user.id;
}

let order = 0;
async function seed(
  label: string,
  expected: IdentityBadge,
  tier: AgreementTier | null,
  fields: {
    customerId?: string | null;
    address?: string | null;
    requesterUserId?: string;
    channel?: "email" | "web" | "phone";
    checks?: { outcome: IdentityCheckOutcome; hoursAgo: number; expiresInHours: number; by?: string }[];
  },
) {
  order += 1;
  const ticket = await db.ticket.create({
    data: {
      subject: label,
      channel: fields.channel ?? "email",
      status: (["new", "open", "pending", "on_hold"] as const)[order % 4],
      customerId: fields.customerId ?? null,
      requesterUserId: fields.requesterUserId ?? null,
      requesterAddress: fields.address === undefined ? `stranger${order}@nowhere.test` : fields.address,
      requesterName: label,
      createdAt: hoursAgo(200 - order),
      lastActivityAt: hoursAgo(100 - order),
      identityChecks: {
        create: (fields.checks ?? []).map((check) => ({
          method: check.outcome === "overridden" ? "supervisor_override" : "email_code",
          outcome: check.outcome,
          performedById: check.by ?? null,
          createdAt: hoursAgo(check.hoursAgo),
          expiresAt: new Date(hoursAgo(check.hoursAgo).getTime() + check.expiresInHours * 3_600_000),
        })),
      },
    },
  });
  seeds.push({ id: ticket.id, label, badge: expected, tier });
}

/** The facts, read the other way: Prisma models and the app's own normalisation. */
async function factsViaPrisma(ticketId: string): Promise<TicketIdentityFacts> {
  const ticket = await db.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    include: { requester: true, identityChecks: { include: { performedBy: true } } },
  });
  const address = ticket.requesterAddress;
  const email = address?.trim() ? await db.customerEmail.findUnique({ where: { normalized: normalizeEmail(address) } }) : null;
  const standing = !address?.trim()
    ? "none"
    : !email
      ? "unknown"
      : ticket.customerId && email.customerId !== ticket.customerId
        ? "other_customer"
        : email.isPrimary
          ? "primary"
          : "alias";
  const checks = [...ticket.identityChecks].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const current = checks.find((check) => (check.outcome === "passed" || check.outcome === "overridden") && check.expiresAt > now);
  return {
    addressStanding: standing,
    requesterIsNumber: Boolean(address?.trim()) && !address!.includes("@"),
    addressVerified: !!email?.verifiedAt,
    addressDeliverability: email?.deliverability ?? null,
    account: ticket.requester
      ? { emailVerified: !!ticket.requester.emailVerifiedAt, phoneVerified: !!ticket.requester.phoneVerifiedAt, twoFactor: !!ticket.requester.twoFactorMethod }
      : null,
    currentCheck: current
      ? { outcome: current.outcome as "passed" | "overridden", method: current.method, at: current.createdAt, by: current.performedBy?.name ?? null }
      : null,
    lastCheckFailed: checks[0]?.outcome === "failed",
    recentRiskAt:
      (await recentRiskEvents({ customerId: ticket.customerId, requesterUserId: ticket.requesterUserId, now, windowHours: RISK_WINDOW_HOURS }))[0]?.at ?? null,
  };
}

const RISK_WINDOW_HOURS = 72;

/** A security event on an account (features/identity/recent-risk.ts), `hours` before `now`. */
async function riskEvent(userId: string, action: string, hours: number) {
  await db.auditEvent.create({ data: { action, subjectType: "User", subjectId: userId, actorUserId: userId, at: hoursAgo(hours) } });
}

beforeAll(async () => {
  await db.ticket.deleteMany();
  viewer = await account("Viewer", {});

  const northwind = await customer(
    "Northwind",
    [
      { address: "Maya.Patel@Northwind.example", verified: true },
      { address: "maya.home@mail.example", isPrimary: false, verified: true },
      { address: "m.old@northwind-old.example", isPrimary: false, deliverability: "unknown" },
    ],
    [
      { tier: "standard", startsOn: day(-700), endsOn: day(-300) },
      { tier: "premium", startsOn: day(-100), endsOn: day(200) },
    ],
  );
  const harbour = await customer(
    "Harbour",
    [
      { address: "sofia@harbour.example", verified: true, deliverability: "bouncing" },
      { address: "s.a@complain.example", isPrimary: false, verified: true, deliverability: "complained" },
    ],
    [{ tier: "basic", startsOn: day(-90), endsOn: day(275) }],
  );
  const bluebell = await customer(
    "Bluebell",
    [{ address: "tom@bluebell.example", verified: true }],
    [{ tier: "standard", startsOn: day(-385), endsOn: day(-20) }],
  );
  const kestrel = await customer(
    "Kestrel",
    [{ address: "dan@kestrel.example", verified: true }],
    [{ tier: "premium", startsOn: day(-120), endsOn: day(245), cancelledAt: hoursAgo(240) }],
  );
  const cancelsTomorrow = await customer(
    "Cancels tomorrow",
    [{ address: "c@tomorrow.example" }],
    [{ tier: "basic", startsOn: day(-10), endsOn: day(100), cancelledAt: new Date(now.getTime() + 24 * 3_600_000) }],
  );
  const startsTomorrow = await customer("Starts tomorrow", [{ address: "s@tomorrow.example" }], [{ tier: "premium", startsOn: day(1), endsOn: day(300) }]);
  const endsToday = await customer("Ends today", [{ address: "e@today.example" }], [{ tier: "standard", startsOn: day(-300), endsOn: day(0) }]);
  const startsToday = await customer(
    "Starts today",
    [{ address: "b@today.example" }],
    [
      { tier: "basic", startsOn: day(0), endsOn: day(30) },
      { tier: "premium", startsOn: day(0), endsOn: day(30) },
    ],
  );

  // Organisations: their agreements entitle every contact, alongside (and beyond) the contact's own.
  const orgOnly = await customer("Org contact, nothing of their own", [{ address: "o@org-only.example" }]);
  const orgBetter = await customer(
    "Org contact with an expired own agreement",
    [{ address: "x@org-better.example" }],
    [{ tier: "premium", startsOn: day(-400), endsOn: day(-10) }],
  );
  await organisation("Entitling Org", [{ tier: "standard", startsOn: day(-30), endsOn: day(200) }], [orgOnly.id, orgBetter.id]);
  const ownBeatsOrg = await customer(
    "Own agreement ends later than the org's",
    [{ address: "l@own-later.example" }],
    [{ tier: "basic", startsOn: day(-30), endsOn: day(500) }],
  );
  await organisation("Shorter Org", [{ tier: "premium", startsOn: day(-30), endsOn: day(100) }], [ownBeatsOrg.id]);
  const orgCancelled = await customer("Org agreement cancelled", [{ address: "c@org-cancelled.example" }]);
  await organisation("Cancelled Org", [{ tier: "premium", startsOn: day(-30), endsOn: day(100), cancelledAt: hoursAgo(48) }], [orgCancelled.id]);
  const otherOrgsContact = await customer("Contact of an org without agreements", [{ address: "n@org-none.example" }]);
  await organisation("Bare Org", [], [otherOrgsContact.id]);

  const strong = await account("Maya (mobile verified)", { email: true, phone: true });
  const emailOnly = await account("Tom (email verified)", { email: true });
  const unproven = await account("Una (nothing verified)", {});
  const twoFactor = await account("Tina (two-factor)", { email: true, twoFactor: true });

  await seed("primary + strong account", "verified", "premium", {
    customerId: northwind.id,
    address: northwind.address(0),
    requesterUserId: strong,
    channel: "web",
  });
  await seed("verified primary, no account", "partially_verified", "premium", { customerId: northwind.id, address: northwind.address(0) });
  await seed("a call from a number", "unverified", "premium", { customerId: northwind.id, address: "+441174960222", channel: "phone" });
  await seed("verified alias, no account", "partially_verified", "premium", { customerId: northwind.id, address: northwind.address(1) });
  await seed("unverified alias, no account", "unverified", "premium", { customerId: northwind.id, address: northwind.address(2) });
  await seed("unverified alias + verified email account", "partially_verified", "premium", {
    customerId: northwind.id,
    address: northwind.address(2),
    requesterUserId: emailOnly,
  });
  await seed("unverified alias + strong account", "verified", "premium", { customerId: northwind.id, address: northwind.address(2), requesterUserId: strong });
  await seed("primary written oddly", "partially_verified", "premium", { customerId: northwind.id, address: `  ${northwind.address(0).toUpperCase()} ` });
  await seed("bouncing primary + strong account", "bouncing", "basic", { customerId: harbour.id, address: harbour.address(0), requesterUserId: strong });
  await seed("complained alias", "bouncing", "basic", { customerId: harbour.id, address: harbour.address(1) });
  await seed("another customer's address", "mismatch", null, { customerId: bluebell.id, address: northwind.address(0) });
  await seed("last check failed", "mismatch", null, {
    customerId: bluebell.id,
    address: bluebell.address(0),
    checks: [
      { outcome: "passed", hoursAgo: 50, expiresInHours: 24 },
      { outcome: "failed", hoursAgo: 5, expiresInHours: 24 },
    ],
  });
  await seed("current passed check, unknown address", "verified", null, { checks: [{ outcome: "passed", hoursAgo: 2, expiresInHours: 24, by: viewer }] });
  await seed("current override", "verified", null, { checks: [{ outcome: "overridden", hoursAgo: 3, expiresInHours: 4 }] });
  await seed("failed, then passed", "verified", null, {
    customerId: bluebell.id,
    address: bluebell.address(0),
    checks: [
      { outcome: "failed", hoursAgo: 6, expiresInHours: 24 },
      { outcome: "passed", hoursAgo: 1, expiresInHours: 24 },
    ],
  });
  await seed("passed check expired", "partially_verified", null, {
    customerId: bluebell.id,
    address: bluebell.address(0),
    checks: [{ outcome: "passed", hoursAgo: 30, expiresInHours: 24 }],
  });
  await seed("latest check partial", "partially_verified", null, {
    customerId: bluebell.id,
    address: bluebell.address(0),
    checks: [
      { outcome: "failed", hoursAgo: 30, expiresInHours: 24 },
      { outcome: "partial", hoursAgo: 3, expiresInHours: 24 },
    ],
  });
  await seed("unknown address, unproven account", "unverified", null, { requesterUserId: unproven });
  await seed("unknown address, verified email account", "partially_verified", null, { requesterUserId: emailOnly, channel: "web" });
  await seed("phone number", "unverified", "premium", { customerId: northwind.id, address: "+61491570157", channel: "phone" });
  await seed("no address at all", "unverified", null, { address: null, channel: "phone" });
  await seed("no customer linked, known primary", "partially_verified", null, { address: northwind.address(0) });
  await seed("another customer's address despite a passed check", "mismatch", "premium", {
    customerId: northwind.id,
    address: bluebell.address(0),
    checks: [{ outcome: "passed", hoursAgo: 1, expiresInHours: 24 }],
  });
  await seed("bouncing and failed", "bouncing", "basic", {
    customerId: harbour.id,
    address: harbour.address(0),
    checks: [{ outcome: "failed", hoursAgo: 1, expiresInHours: 24 }],
  });
  await seed("verified primary + two-factor account", "verified", null, { customerId: bluebell.id, address: bluebell.address(0), requesterUserId: twoFactor });
  // Recent risk: a security event in the window caps "verified" until a check comes after it.
  const changedMobile = await account("Mo (mobile changed 5 h ago)", { email: true, twoFactor: true });
  await riskEvent(changedMobile, "identity.phone_changed", 5);
  await seed("verified, but the mobile changed 5 h ago", "partially_verified", null, {
    customerId: bluebell.id,
    address: bluebell.address(0),
    requesterUserId: changedMobile,
  });
  await seed("mobile changed 5 h ago, checked 8 h ago", "partially_verified", null, {
    requesterUserId: changedMobile,
    checks: [{ outcome: "passed", hoursAgo: 8, expiresInHours: 24 }],
  });
  await seed("mobile changed 5 h ago, checked 1 h ago", "verified", null, {
    requesterUserId: changedMobile,
    checks: [{ outcome: "passed", hoursAgo: 1, expiresInHours: 24 }],
  });
  const oldDevice = await account("Olly (new device 100 h ago)", { email: true, twoFactor: true });
  await riskEvent(oldDevice, "auth.new_device_sign_in", RISK_WINDOW_HOURS + 28);
  await riskEvent(oldDevice, "identity.password_changed", 2);
  await seed("new device outside the window, other events ignored", "verified", null, {
    customerId: bluebell.id,
    address: bluebell.address(0),
    requesterUserId: oldDevice,
  });
  await seed("agreement cancelled", "partially_verified", null, { customerId: kestrel.id, address: kestrel.address(0) });
  await seed("cancellation only tomorrow", "unverified", "basic", { customerId: cancelsTomorrow.id, address: cancelsTomorrow.address(0) });
  await seed("agreement starts tomorrow", "unverified", null, { customerId: startsTomorrow.id, address: startsTomorrow.address(0) });
  await seed("agreement ends today", "unverified", "standard", { customerId: endsToday.id, address: endsToday.address(0) });
  await seed("two agreements start today", "unverified", "premium", { customerId: startsToday.id, address: startsToday.address(0) });
  await seed("only the organisation's agreement", "unverified", "standard", { customerId: orgOnly.id, address: orgOnly.address(0) });
  await seed("own expired, organisation's valid", "unverified", "standard", { customerId: orgBetter.id, address: orgBetter.address(0) });
  await seed("own ends later than the organisation's", "unverified", "basic", { customerId: ownBeatsOrg.id, address: ownBeatsOrg.address(0) });
  await seed("organisation's agreement cancelled", "unverified", null, { customerId: orgCancelled.id, address: orgCancelled.address(0) });
  await seed("organisation without agreements", "unverified", null, { customerId: otherOrgsContact.id, address: otherOrgsContact.address(0) });
  // Dozens of customers, organisations and tickets: slow on a busy machine.
}, 60_000);

afterAll(async () => {
  await db.ticket.deleteMany({ where: { id: { in: seeds.map((s) => s.id) } } });
  await db.customer.deleteMany({ where: { id: { in: customerIds } } });
  await db.organisation.deleteMany({ where: { id: { in: organisationIds } } });
  await db.user.deleteMany({ where: { id: { in: userIds } } });
});

const all = parseQueueFilter({ status: "all" });
const labelOf = (id: string) => seeds.find((s) => s.id === id)?.label ?? id;

describe("identity badge: SQL vs identityBadgeOf", () => {
  it("covers every badge", () => {
    expect(new Set(seeds.map((s) => s.badge))).toEqual(new Set(IDENTITY_BADGES));
  });

  it("derives the same facts as the models, and the same badge in SQL as in TypeScript", async () => {
    const page = await listQueue({ userId: viewer }, all, { now, pageSize: 100 });
    expect(page.rows).toHaveLength(seeds.length);
    for (const row of page.rows) {
      const label = labelOf(row.id);
      expect(row.identity.facts, label).toEqual(await factsViaPrisma(row.id));
      expect(row.identity.sqlBadge, label).toBe(identityBadgeOf(row.identity.facts));
      expect(row.identity.badge, label).toBe(seeds.find((s) => s.id === row.id)!.badge);
    }
  });

  it.each(IDENTITY_BADGES)("filters on %s: exactly the tickets whose badge it is", async (badge) => {
    const page = await listQueue({ userId: viewer }, parseQueueFilter({ status: "all", identity: badge }), { now, pageSize: 100 });
    expect(page.rows.map((row) => labelOf(row.id)).sort()).toEqual(
      seeds
        .filter((s) => s.badge === badge)
        .map((s) => s.label)
        .sort(),
    );
    expect(page.rows.every((row) => row.identity.badge === badge)).toBe(true);
    const counts = await countQueue({ userId: viewer }, parseQueueFilter({ status: "all", identity: badge }), { now });
    expect(counts.total).toEqual({ value: page.rows.length, exact: true });
  });

  it("finds the same tickets when the scan has to continue over several rounds and pages", async () => {
    for (const badge of IDENTITY_BADGES) {
      const found: string[] = [];
      let cursor: string | undefined;
      let limited = false;
      for (let n = 0; n < 100; n++) {
        const page = await listQueue({ userId: viewer }, parseQueueFilter({ status: "all", identity: badge, sort: "oldest", after: cursor }), {
          now,
          pageSize: 2,
          scan: { window: 3, rounds: 2 },
        });
        found.push(...page.rows.map((row) => row.id));
        limited ||= page.scanLimited;
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect(found.map(labelOf).sort(), badge).toEqual(
        seeds
          .filter((s) => s.badge === badge)
          .map((s) => s.label)
          .sort(),
      );
      expect(new Set(found).size).toBe(found.length);
      if (badge === "mismatch") expect(limited).toBe(true);
    }
  });
});

describe("entitlement: SQL vs entitlementOf", () => {
  it("shows the tier of the agreement valid today, as entitlementOf decides", async () => {
    const page = await listQueue({ userId: viewer }, all, { now, pageSize: 100 });
    for (const row of page.rows) {
      const seedRow = seeds.find((s) => s.id === row.id)!;
      expect(row.entitlement, seedRow.label).toBe(seedRow.tier);
      // The TypeScript path (own and organisation agreements, then entitlementOf) must agree with the SQL twin.
      const entitlement = row.customer ? await customerEntitlement(row.customer.id, now) : { status: "none" as const, tier: undefined };
      expect(row.entitlement, seedRow.label).toBe(entitlement.status === "valid" ? entitlement.tier : null);
    }
  });

  it.each(["valid", "none"] as const)("filters on %s", async (entitlement) => {
    const page = await listQueue({ userId: viewer }, parseQueueFilter({ status: "all", entitlement }), { now, pageSize: 100 });
    const wanted = seeds
      .filter((s) => (entitlement === "valid" ? s.tier !== null : s.tier === null))
      .map((s) => s.label)
      .sort();
    expect(page.rows.map((row) => labelOf(row.id)).sort()).toEqual(wanted);
  });

  it("combines identity and entitlement filters", async () => {
    const page = await listQueue({ userId: viewer }, parseQueueFilter({ status: "all", identity: "unverified", entitlement: "valid" }), { now, pageSize: 100 });
    const wanted = seeds
      .filter((s) => s.badge === "unverified" && s.tier !== null)
      .map((s) => s.label)
      .sort();
    expect(page.rows.map((row) => labelOf(row.id)).sort()).toEqual(wanted);
    const counts = await countQueue({ userId: viewer }, parseQueueFilter({ status: "all", identity: "unverified", entitlement: "valid" }), { now });
    expect(counts.total).toEqual({ value: wanted.length, exact: true });
  });
});
