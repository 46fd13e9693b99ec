import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerEntitlement } from "@/features/customers/agreements";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";
import { DEMO_DATA_LOCK, SLA_POLICIES_LOCK, holdTestLock } from "@/platform/testing/test-lock";
import { DEMO_HELP_ARTICLES, DEMO_HELP_CATEGORIES } from "@/features/demo/help-centre-demo";
import {
  DEMO_CANNED_REPLIES,
  DEMO_CUSTOMERS,
  DEMO_ORGANISATIONS,
  DEMO_SIGN_INS,
  DEMO_TICKET_NUMBERS,
  DEMO_TICKETS,
  DEMO_USERS,
} from "@/features/demo/demo-data";
import { checkPasswordPolicy, verifyPassword } from "@/features/accounts/password/password";
import { type DemoSeedSummary, seedDemoData } from "@/prisma/seed";
import { DEMO_CONTACT_VERDICTS, DEMO_VALIDATION_RUNS } from "@/features/demo/data-quality-demo";
import { REASONS, validityOf } from "@/features/data-quality/reasons";
import { dataQualityTrend } from "@/features/data-quality/report/report";

// Lives under features/ (not next to prisma/seed.ts) because vitest collects tests from the code folders only.

const NOW = new Date("2026-11-20T10:30:00Z");
const accountNumbers = DEMO_CUSTOMERS.map((customer) => customer.accountNumber);
const demoEmails = DEMO_USERS.map((user) => normalizeEmail(user.email));
const organisationNames = DEMO_ORGANISATIONS.map((organisation) => organisation.name.toLowerCase());
const demoTicketNumbers = DEMO_TICKETS.map((ticket) => ticket.number);

/** Every row of every table the seed writes, in a stable order, with every column. */
async function snapshot() {
  return {
    organisations: await db.organisation.findMany({ where: { normalizedName: { in: organisationNames } }, orderBy: { id: "asc" } }),
    domains: await db.organisationDomain.findMany({ orderBy: { id: "asc" } }),
    customers: await db.customer.findMany({ orderBy: { id: "asc" } }),
    emails: await db.customerEmail.findMany({ orderBy: { id: "asc" } }),
    phones: await db.customerPhone.findMany({ orderBy: { id: "asc" } }),
    agreements: await db.supportAgreement.findMany({ orderBy: { id: "asc" } }),
    users: await db.user.findMany({ orderBy: { id: "asc" } }),
    tickets: await db.ticket.findMany({ orderBy: { id: "asc" } }),
    messages: await db.ticketMessage.findMany({ orderBy: { id: "asc" } }),
    cannedReplies: await db.cannedReply.findMany({ orderBy: { id: "asc" } }),
    validationRuns: await db.validationRun.findMany({ orderBy: { id: "asc" } }),
    helpArticles: await db.kbArticle.findMany({ where: { slug: { in: DEMO_HELP_ARTICLES.map((article) => article.slug) } }, orderBy: { id: "asc" } }),
  };
}

function rowCounts(rows: Awaited<ReturnType<typeof snapshot>>) {
  return Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length]));
}

async function removeDemoRows() {
  await db.ticket.deleteMany({ where: { number: { gte: DEMO_TICKET_NUMBERS.first } } });
  await db.user.deleteMany({ where: { email: { in: demoEmails } } });
  await db.customer.deleteMany({ where: { accountNumber: { in: accountNumbers } } });
  await db.organisation.deleteMany({ where: { normalizedName: { in: organisationNames } } });
  await db.cannedReply.deleteMany({ where: { title: { in: DEMO_CANNED_REPLIES.map((reply) => reply.title) } } });
  await db.validationRun.deleteMany({ where: { jobId: { in: DEMO_VALIDATION_RUNS.map((run) => run.jobId) } } });
  await db.kbArticle.deleteMany({ where: { OR: DEMO_HELP_ARTICLES.map((article) => ({ locale: article.locale, slug: article.slug })) } });
  await db.kbCategory.deleteMany({ where: { slug: { in: DEMO_HELP_CATEGORIES.map((category) => category.slug) } } });
}

describe("the demo seed", () => {
  let first: DemoSeedSummary;
  let afterFirst: Awaited<ReturnType<typeof snapshot>>;

  // Held for the whole file: it removes and seeds the demo rows that features/sla/creation-paths.test.ts reads.
  let releaseDemo: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await releaseDemo?.();
  });

  beforeAll(async () => {
    releaseDemo = await holdTestLock(DEMO_DATA_LOCK);
    await removeDemoRows();
    const releasePolicies = await holdTestLock(SLA_POLICIES_LOCK);
    try {
      first = await seedDemoData(db, { now: NOW });
    } finally {
      await releasePolicies();
    }
    afterFirst = await snapshot();
    // Every demo row on an empty database (and the Argon2id hashes): slow on a busy machine.
  }, 60_000);

  afterAll(removeDemoRows);

  it("creates the whole story on an empty database", () => {
    const expectedRows =
      DEMO_ORGANISATIONS.reduce((sum, organisation) => sum + 1 + organisation.domains.length + organisation.agreements.length, 0) +
      DEMO_CUSTOMERS.length +
      DEMO_CUSTOMERS.reduce((sum, customer) => sum + customer.emails.length + customer.phones.length + customer.agreements.length, 0) +
      DEMO_USERS.length +
      DEMO_TICKETS.reduce((sum, ticket) => sum + 1 + ticket.messages.length + (ticket.identityChecks?.length ?? 0) + (ticket.escalations?.length ?? 0), 0) +
      DEMO_CANNED_REPLIES.length +
      DEMO_VALIDATION_RUNS.length +
      DEMO_HELP_CATEGORIES.length +
      2 * DEMO_HELP_ARTICLES.length;
    expect(first).toMatchObject({
      organisations: DEMO_ORGANISATIONS.length,
      customers: 8,
      users: DEMO_USERS.length,
      tickets: DEMO_TICKETS.length,
      created: expectedRows,
      updated: 0,
    });
  });

  it("is idempotent: a second run writes nothing and leaves every row exactly as it was", async () => {
    const second = await seedDemoData(db, { now: NOW });
    expect(second).toMatchObject({ created: 0, updated: 0 });
    const afterSecond = await snapshot();
    expect(rowCounts(afterSecond)).toEqual(rowCounts(afterFirst));
    expect(afterSecond).toEqual(afterFirst);
  });

  it("stays put on later days while the story still holds", async () => {
    const later = await seedDemoData(db, { now: new Date(NOW.getTime() + 3 * 86_400_000) });
    expect(later).toMatchObject({ created: 0, updated: 0 });
    expect(await snapshot()).toEqual(afterFirst);
  });

  it("tells the story: valid, expired, cancelled and no agreement, across all tiers", async () => {
    const customers = await db.customer.findMany({ where: { accountNumber: { in: accountNumbers } }, include: { agreements: true } });
    const statusByAccount = Object.fromEntries(
      await Promise.all(customers.map(async (customer) => [customer.accountNumber, (await customerEntitlement(customer.id, NOW)).status] as const)),
    );
    expect(statusByAccount).toEqual({
      "ACC-10001": "valid",
      "ACC-10002": "expired",
      "ACC-10003": "valid",
      "ACC-10004": "cancelled",
      "ACC-10005": "none",
      "ACC-10006": "valid",
      // No agreement of their own: Northwind's entitles Liam; Harbour Logistics holds none for Priya.
      "ACC-10007": "valid",
      "ACC-10008": "none",
    });
    expect(new Set(customers.flatMap((customer) => customer.agreements.map((agreement) => agreement.tier)))).toEqual(new Set(["basic", "standard", "premium"]));
  });

  it("has one primary address per customer, aliases, and a bouncing primary address", async () => {
    const customers = await db.customer.findMany({ where: { accountNumber: { in: accountNumbers } }, include: { emails: true } });
    for (const customer of customers) {
      expect(
        customer.emails.filter((email) => email.isPrimary),
        customer.accountNumber,
      ).toHaveLength(1);
      expect(customer.emails.length, customer.accountNumber).toBeGreaterThan(1);
      for (const email of customer.emails) expect(email.normalized).toBe(normalizeEmail(email.address));
    }
    const bouncing = customers.flatMap((customer) => customer.emails).filter((email) => email.deliverability === "bouncing");
    expect(bouncing).toHaveLength(1);
    expect(bouncing[0]).toMatchObject({ isPrimary: true, bounceCount: 3 });
    expect(bouncing[0]?.lastBouncedAt).toBeInstanceOf(Date);
  });

  it("only uses valid E.164 numbers of the kind they claim, some verified", async () => {
    const phones = await db.customerPhone.findMany({ where: { customer: { accountNumber: { in: accountNumbers } } } });
    expect(phones.some((phone) => phone.verifiedAt)).toBe(true);
    expect(new Set(phones.map((phone) => phone.kind))).toEqual(new Set(["mobile", "fixed", "other"]));
    for (const phone of phones) {
      const parsed = parsePhoneNumberFromString(phone.e164);
      expect(parsed?.isValid(), phone.e164).toBe(true);
      expect(parsed?.number).toBe(phone.e164);
      if (phone.kind === "mobile") expect(["MOBILE", "FIXED_LINE_OR_MOBILE"]).toContain(parsed?.getType());
      if (phone.kind === "fixed") expect(["FIXED_LINE", "FIXED_LINE_OR_MOBILE"]).toContain(parsed?.getType());
    }
  });

  it("gives the data-quality report verdicts on demo contacts and a weekly trend", async () => {
    const contacts = new Set(
      DEMO_CUSTOMERS.flatMap((customer) => [...customer.emails.map((email) => email.address), ...customer.phones.map((phone) => phone.e164)]),
    );
    for (const [value, verdict] of Object.entries(DEMO_CONTACT_VERDICTS)) {
      expect(contacts.has(value), value).toBe(true);
      // The verdict is the one its reasons imply, and each reason is about the right channel.
      expect(validityOf(verdict.reasons) === verdict.validity || (verdict.reasons.length === 0 && verdict.validity === "valid"), value).toBe(true);
      for (const reason of verdict.reasons) expect(REASONS[reason].channel).toBe(value.startsWith("+") ? "phone" : "email");
    }
    const invalid = await db.customerEmail.findUnique({ where: { normalized: "m.patel@northwind-old.example" } });
    expect(invalid).toMatchObject({ validity: "invalid", validityReasons: ["email_domain_not_found"] });
    const runs = await db.validationRun.findMany({ where: { jobId: { in: DEMO_VALIDATION_RUNS.map((run) => run.jobId) } }, orderBy: { finishedAt: "asc" } });
    expect(runs).toHaveLength(DEMO_VALIDATION_RUNS.length);
    const trendIds = (await dataQualityTrend()).map((point) => point.runId);
    expect(trendIds.filter((id) => runs.some((run) => run.id === id))).toEqual(runs.map((run) => run.id));
    for (const run of DEMO_VALIDATION_RUNS) {
      const { reasons: _reasons, ...buckets } = run.email;
      expect(buckets.verified + buckets.valid + buckets.doubtful + buckets.invalid).toBeLessThanOrEqual(buckets.total);
    }
  });

  it("has two agents, a supervisor, an admin and three kinds of customer account", async () => {
    const users = await db.user.findMany({ where: { email: { in: demoEmails } } });
    const roles = users.map((user) => user.role).sort();
    expect(roles).toEqual(["admin", "agent", "agent", "customer", "customer", "customer", "supervisor"]);

    const maya = users.find((user) => user.email === "maya.patel@northwind.example");
    const tom = users.find((user) => user.email === "tom.reilly@bluebell-bakery.example");
    const henry = users.find((user) => user.matchStatus === "awaiting_match");
    expect(maya?.matchStatus).toBe("matched");
    expect(maya?.phoneVerifiedAt).toBeInstanceOf(Date);
    expect(await customerEntitlement(maya?.customerId ?? "", NOW)).toMatchObject({ status: "valid", tier: "premium" });
    expect(tom?.matchStatus).toBe("matched");
    expect((await customerEntitlement(tom?.customerId ?? "", NOW)).status).toBe("expired");
    expect(henry).toMatchObject({ customerId: null, accountHint: expect.stringContaining("ACC-10005") });
    // His address looks like the clinic's but is not on its record: a hint, not proof.
    expect(await db.customerEmail.findUnique({ where: { normalized: henry?.email ?? "" } })).toBeNull();
    for (const user of users) expect(user.emailVerifiedAt, user.email).toBeInstanceOf(Date);
  });

  it("has tickets across statuses, channels and priorities, with replies, notes and assignees", async () => {
    const tickets = await db.ticket.findMany({ where: { number: { in: demoTicketNumbers } }, include: { messages: true } });
    expect(tickets).toHaveLength(DEMO_TICKETS.length);
    expect(tickets.length).toBeGreaterThanOrEqual(12);
    const distinct = <T>(values: T[]) => new Set(values);
    expect(distinct(tickets.map((ticket) => ticket.status))).toEqual(new Set(["new", "open", "pending", "on_hold", "solved", "closed"]));
    expect(distinct(tickets.map((ticket) => ticket.channel))).toEqual(new Set(["web", "email", "phone", "chat"]));
    expect(distinct(tickets.map((ticket) => ticket.priority))).toEqual(new Set(["low", "normal", "high", "urgent"]));
    expect(tickets.filter((ticket) => ticket.assigneeId).length).toBeGreaterThan(5);
    expect(tickets.filter((ticket) => !ticket.assigneeId).length).toBeGreaterThan(0);
    const kinds = distinct(tickets.flatMap((ticket) => ticket.messages.map((message) => message.kind)));
    expect(kinds).toEqual(new Set(["public_reply", "internal_note"]));
    for (const ticket of tickets) {
      expect(ticket.messages.length, `VD-${ticket.number}`).toBeGreaterThan(0);
      for (const instant of [
        ticket.createdAt,
        ticket.lastActivityAt,
        ticket.firstResponseAt,
        ticket.solvedAt,
        ticket.closedAt,
        ...ticket.messages.map((message) => message.createdAt),
      ]) {
        if (instant) expect(instant.getTime(), `VD-${ticket.number}`).toBeLessThanOrEqual(NOW.getTime());
      }
      if (ticket.status === "closed") expect(ticket.closedAt).toBeInstanceOf(Date);
      if (ticket.status === "solved" || ticket.status === "closed") expect(ticket.solvedAt).toBeInstanceOf(Date);
    }
    const bouncedReply = tickets.flatMap((ticket) => ticket.messages).find((message) => message.deliveryStatus === "bounced");
    expect(bouncedReply).toBeDefined();
  });

  it("has a ticket from a customer's alias and one from an address nobody knows", async () => {
    const emailTickets = await db.ticket.findMany({ where: { number: { in: demoTicketNumbers }, channel: "email" } });
    const knownAddresses = await db.customerEmail.findMany({
      where: { normalized: { in: emailTickets.map((ticket) => normalizeEmail(ticket.requesterAddress ?? "")) } },
    });
    const fromAlias = emailTickets.filter((ticket) =>
      knownAddresses.some((email) => !email.isPrimary && email.normalized === ticket.requesterAddress && email.customerId === ticket.customerId),
    );
    expect(fromAlias.length).toBeGreaterThan(0);
    const unknown = emailTickets.filter((ticket) => !knownAddresses.some((email) => email.normalized === normalizeEmail(ticket.requesterAddress ?? "")));
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatchObject({ customerId: null, requesterUserId: null });
  });

  it("moves the ticket number sequence past the demo tickets", async () => {
    const ticket = await db.ticket.create({ data: { subject: "After the demo", channel: "web" } });
    try {
      expect(ticket.number).toBeGreaterThan(DEMO_TICKET_NUMBERS.last);
    } finally {
      await db.ticket.delete({ where: { id: ticket.id } });
    }
  });

  it("gives every demo sign-in a password that verifies against its stored hash", async () => {
    expect(DEMO_SIGN_INS.map((signIn) => signIn.email)).toEqual(DEMO_USERS.map((user) => user.email));
    for (const signIn of DEMO_SIGN_INS) {
      const user = await db.user.findUniqueOrThrow({ where: { email: normalizeEmail(signIn.email) } });
      expect(user.role).toBe(signIn.role);
      expect(await verifyPassword(user.passwordHash ?? "", signIn.password), signIn.email).toBe(true);
    }
  });

  it("puts a demo account back in working order on the next run", async () => {
    const alex = await db.user.findUniqueOrThrow({ where: { email: "alex.morgan@helpdesk.example" } });
    await db.user.update({ where: { id: alex.id }, data: { passwordHash: "$argon2id$not-a-hash", frozenAt: NOW, codeFailureCount: 7 } });
    await db.customerEmail.update({
      where: { normalized: "sofia.andersson@harbour-logistics.example" },
      data: { deliverability: "delivering", bounceCount: 0 },
    });

    const repair = await seedDemoData(db, { now: NOW });
    expect(repair).toMatchObject({ created: 0, updated: 2 });
    const repaired = await db.user.findUniqueOrThrow({ where: { id: alex.id } });
    expect(repaired).toMatchObject({ frozenAt: null, codeFailureCount: 0 });
    expect(await verifyPassword(repaired.passwordHash ?? "", "amber-kettle-48")).toBe(true);
    expect(await db.customerEmail.findUnique({ where: { normalized: "sofia.andersson@harbour-logistics.example" } })).toMatchObject({
      deliverability: "bouncing",
      bounceCount: 3,
    });
  });

  it("renews a 'valid' agreement once time has run it out, and leaves tickets alone", async () => {
    const muchLater = new Date(NOW.getTime() + 400 * 86_400_000);
    const ticketsBefore = await db.ticket.findMany({ where: { number: { in: demoTicketNumbers } }, orderBy: { number: "asc" } });
    await seedDemoData(db, { now: muchLater });
    const maya = await db.customer.findUniqueOrThrow({ where: { accountNumber: "ACC-10001" } });
    expect((await customerEntitlement(maya.id, muchLater)).status).toBe("valid");
    expect(await db.ticket.findMany({ where: { number: { in: demoTicketNumbers } }, orderBy: { number: "asc" } })).toEqual(ticketsBefore);
  });
});

describe("the demo passwords", () => {
  it("all pass the password policy, with each account's own name and email as context", () => {
    for (const user of DEMO_USERS) {
      expect(checkPasswordPolicy(user.password, { email: user.email, name: user.name }), user.email).toEqual({ ok: true });
    }
  });

  it("are distinct, so a sign-in proves which account it was", () => {
    expect(new Set(DEMO_USERS.map((user) => user.password)).size).toBe(DEMO_USERS.length);
  });
});
