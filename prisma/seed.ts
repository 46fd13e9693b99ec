/**
 * Demo seed: writes the story in features/demo/demo-data.ts. Run by the launcher in demo mode, or by
 * hand with `DATABASE_URL=... npx tsx prisma/seed.ts`.
 *
 * Idempotent, and safe to run on every start:
 * - rows are found by natural key (Organisation.normalizedName, OrganisationDomain.domain, Customer.accountNumber, CustomerEmail.normalized,
 *   CustomerPhone [customer, e164], SupportAgreement.reference, User.email, Ticket.number);
 * - a missing row is created; an existing one is written only when it no longer tells the story
 *   (a demo password that no longer verifies, a locked demo account, an agreement whose
 *   valid/expired/cancelled state has drifted with time), so a second run changes nothing;
 * - tickets are created when their number is free and never rewritten, so the conversations
 *   people add while trying the demo survive a restart;
 * - nothing is ever deleted, and rows the demo does not own are never touched.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { entitlementOf } from "@/features/customers/agreements";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { uuidv7 } from "@/platform/ids";
import { DEMO_CONTACT_VERDICTS, DEMO_VALIDATION_RUNS } from "@/features/demo/data-quality-demo";
import { DEMO_HELP_ARTICLES, DEMO_HELP_CATEGORIES } from "@/features/demo/help-centre-demo";
import type { Prisma, PrismaClient } from "@/platform/db/client";
import {
  DEMO_CANNED_REPLIES,
  DEMO_CUSTOMERS,
  DEMO_ORGANISATIONS,
  DEMO_SIGN_INS,
  DEMO_TICKETS,
  DEMO_USERS,
  type DemoAgreement,
  type DemoAuthor,
  type DemoTicket,
  type DemoUser,
  type DemoUserKey,
} from "@/features/demo/demo-data";
import { hashPassword, verifyPassword } from "@/features/accounts/password/password";
import { applySlaToTicket } from "@/features/sla/policies";
import { normalizeDomain, normalizeOrganisationName } from "@/features/organisations/names";

export type DemoSeedSummary = {
  /** Demo rows that exist after the run. */
  organisations: number;
  customers: number;
  emails: number;
  phones: number;
  agreements: number;
  users: number;
  tickets: number;
  /** Rows inserted by this run. */
  created: number;
  /** Existing rows this run had to put back into the story. */
  updated: number;
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function utcMidnight(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

/** What an agreement says on `now`: "none" here means it has not started yet. */
function agreementStateOn(agreement: { startsOn: Date; endsOn: Date; cancelledAt: Date | null }, now: Date) {
  return entitlementOf([{ ...agreement, tier: "basic" }], now).status;
}

/** The fields of `desired` whose value differs from `current` (dates by instant). */
function changedFields<T extends Record<string, unknown>>(current: Record<string, unknown>, desired: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(desired) as (keyof T & string)[]) {
    const want = desired[key];
    const have = current[key];
    const same = want instanceof Date && have instanceof Date ? want.getTime() === have.getTime() : want === have;
    if (!same) changes[key] = want;
  }
  return changes;
}

/** For "verified"-style timestamps only whether one is set matters; keep the existing instant. */
function presence(current: Date | null, wanted: boolean, at: Date): Date | null {
  if (wanted) return current ?? at;
  return null;
}

/**
 * Writes (or repairs) the demo story through `client` and reports what it did. `now` anchors every
 * relative date; tests pin it, the launcher leaves it to the clock.
 */
export async function seedDemoData(client: PrismaClient, options: { now?: Date } = {}): Promise<DemoSeedSummary> {
  const now = options.now ?? new Date();
  const today = utcMidnight(now);
  const daysFromToday = (days: number) => new Date(today.getTime() + days * DAY_MS);
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  /** When the demo's verifications and registrations "happened". */
  const longAgo = daysAgo(200);
  const agreementDates = (agreement: DemoAgreement) => ({
    startsOn: daysFromToday(agreement.startsInDays),
    endsOn: daysFromToday(agreement.endsInDays),
    cancelledAt: agreement.cancelledDaysAgo === undefined ? null : daysAgo(agreement.cancelledDaysAgo),
  });

  let created = 0;
  let updated = 0;

  let emailCount = 0;
  let phoneCount = 0;
  let agreementCount = 0;

  /** Creates or repairs an agreement (found by reference) held by one customer or one organisation. */
  const ensureAgreement = async (
    holder: { customerId: string; organisationId: null } | { customerId: null; organisationId: string },
    agreement: DemoAgreement,
  ) => {
    const dates = agreementDates(agreement);
    const row = await client.supportAgreement.findUnique({ where: { reference: agreement.reference } });
    if (!row) {
      await client.supportAgreement.create({ data: { ...holder, reference: agreement.reference, tier: agreement.tier, ...dates } });
      created++;
    } else {
      // Dates are only rewritten when time has made the row tell another story (a "valid"
      // agreement that has since run out), so the demo stays true however long it is kept.
      const drifted = agreementStateOn(row, now) !== agreementStateOn(dates, now);
      const changes = { ...changedFields(row, { ...holder, tier: agreement.tier }), ...(drifted ? dates : {}) };
      if (Object.keys(changes).length > 0) {
        await client.supportAgreement.update({ where: { id: row.id }, data: changes });
        updated++;
      }
    }
    agreementCount++;
  };

  // ── Organisations, their domains and agreements ──
  const organisationIds = new Map<string, string>();
  for (const demo of DEMO_ORGANISATIONS) {
    const normalizedName = normalizeOrganisationName(demo.name);
    const existing = await client.organisation.findUnique({ where: { normalizedName } });
    let organisationId: string;
    if (!existing) {
      organisationId = (await client.organisation.create({ data: { name: demo.name, normalizedName, notes: demo.notes ?? null } })).id;
      created++;
    } else {
      organisationId = existing.id;
      const changes = changedFields(existing, { name: demo.name, notes: demo.notes ?? null });
      if (Object.keys(changes).length > 0) {
        await client.organisation.update({ where: { id: organisationId }, data: changes });
        updated++;
      }
    }
    organisationIds.set(demo.name, organisationId);
    for (const name of demo.domains) {
      const domain = normalizeDomain(name);
      const row = await client.organisationDomain.findUnique({ where: { domain } });
      if (!row) {
        await client.organisationDomain.create({ data: { organisationId, domain } });
        created++;
      } else if (row.organisationId !== organisationId) {
        await client.organisationDomain.update({ where: { id: row.id }, data: { organisationId } });
        updated++;
      }
    }
    for (const agreement of demo.agreements) await ensureAgreement({ customerId: null, organisationId }, agreement);
  }

  // ── Customers, their addresses, phones and agreements ──
  const customerIds = new Map<string, string>();
  for (const demo of DEMO_CUSTOMERS) {
    const existing = await client.customer.findUnique({ where: { accountNumber: demo.accountNumber } });
    const organisationId = demo.organisation ? (organisationIds.get(demo.organisation) ?? null) : null;
    let customerId: string;
    if (!existing) {
      customerId = (await client.customer.create({ data: { accountNumber: demo.accountNumber, name: demo.name, organisationId } })).id;
      created++;
    } else {
      customerId = existing.id;
      const changes = changedFields(existing, { name: demo.name, organisationId });
      if (Object.keys(changes).length > 0) {
        await client.customer.update({ where: { id: customerId }, data: changes });
        updated++;
      }
    }
    customerIds.set(demo.accountNumber, customerId);

    for (const email of demo.emails) {
      const normalized = normalizeEmail(email.address);
      const row = await client.customerEmail.findUnique({ where: { normalized } });
      const desired = {
        customerId,
        address: email.address,
        isPrimary: email.isPrimary,
        deliverability: email.deliverability,
        bounceCount: email.bounceCount ?? 0,
      };
      const lastBouncedAt = email.lastBouncedDaysAgo === undefined ? null : daysAgo(email.lastBouncedDaysAgo);
      if (!row) {
        await client.customerEmail.create({ data: { ...desired, normalized, verifiedAt: email.verified ? longAgo : null, lastBouncedAt } });
        created++;
      } else {
        const changes = {
          ...changedFields(row, desired),
          ...changedFields(row, {
            verifiedAt: presence(row.verifiedAt, email.verified, longAgo),
            lastBouncedAt: lastBouncedAt ? (row.lastBouncedAt ?? lastBouncedAt) : null,
          }),
        };
        if (Object.keys(changes).length > 0) {
          await client.customerEmail.update({ where: { id: row.id }, data: changes });
          updated++;
        }
      }
      emailCount++;
    }

    for (const phone of demo.phones) {
      const row = await client.customerPhone.findUnique({ where: { customerId_e164: { customerId, e164: phone.e164 } } });
      if (!row) {
        await client.customerPhone.create({ data: { customerId, e164: phone.e164, kind: phone.kind, verifiedAt: phone.verified ? longAgo : null } });
        created++;
      } else {
        const changes = changedFields(row, { kind: phone.kind, verifiedAt: presence(row.verifiedAt, phone.verified, longAgo) });
        if (Object.keys(changes).length > 0) {
          await client.customerPhone.update({ where: { id: row.id }, data: changes });
          updated++;
        }
      }
      phoneCount++;
    }

    for (const agreement of demo.agreements) await ensureAgreement({ customerId, organisationId: null }, agreement);
  }

  // ── Data quality: verdicts on demo contacts that have none (part of creating them, not a repair),
  // and past validation runs ──
  for (const [value, verdict] of Object.entries(DEMO_CONTACT_VERDICTS)) {
    const fields = { validity: verdict.validity, validityReasons: verdict.reasons, validatedAt: daysAgo(7) };
    if (value.startsWith("+")) {
      await client.customerPhone.updateMany({
        where: { e164: value, customerId: { in: [...customerIds.values()] }, validatedAt: null },
        data: { ...fields, lineType: verdict.lineType ?? null },
      });
    } else {
      await client.customerEmail.updateMany({
        where: { normalized: normalizeEmail(value), validatedAt: null },
        data: { ...fields, validitySuggestion: verdict.suggestion ?? null },
      });
    }
  }
  for (const run of DEMO_VALIDATION_RUNS) {
    if (await client.validationRun.findUnique({ where: { jobId: run.jobId }, select: { id: true } })) continue;
    const finishedAt = daysAgo(run.weeksAgo * 7);
    await client.validationRun.create({
      data: {
        jobId: run.jobId,
        trigger: run.trigger,
        startedAt: new Date(finishedAt.getTime() - 4 * 60_000),
        finishedAt,
        counts: { email: run.email, phone: run.phone, duplicates: run.duplicates },
      },
    });
    created++;
  }

  // ── Accounts ──
  // Each distinct password is hashed at most once per run (Argon2id is deliberately slow).
  const hashes = new Map<string, Promise<string>>();
  const hashOnce = (password: string) => {
    let pending = hashes.get(password);
    if (!pending) hashes.set(password, (pending = hashPassword(password)));
    return pending;
  };

  const userIds = new Map<DemoUserKey, string>();
  const userResults = await Promise.all(DEMO_USERS.map((demo) => ensureUser(demo)));
  for (const [key, id, outcome] of userResults) {
    userIds.set(key, id);
    if (outcome === "created") created++;
    if (outcome === "updated") updated++;
  }

  async function ensureUser(demo: DemoUser): Promise<[DemoUserKey, string, "created" | "updated" | "unchanged"]> {
    const email = normalizeEmail(demo.email);
    const customerId = demo.customerAccountNumber ? (customerIds.get(demo.customerAccountNumber) ?? null) : null;
    const desired = {
      name: demo.name,
      role: demo.role,
      customerId,
      matchStatus: demo.matchStatus ?? null,
      accountHint: demo.accountHint ?? null,
      phoneE164: demo.phoneE164 ?? null,
      // A demo sign-in must keep working: undo lock-outs left by earlier sessions or tests.
      disabledAt: null,
      frozenAt: null,
      codeLockedAt: null,
      codeFailureCount: 0,
    };
    const row = await client.user.findUnique({ where: { email } });
    if (!row) {
      const user = await client.user.create({
        data: {
          ...desired,
          email,
          passwordHash: await hashOnce(demo.password),
          emailVerifiedAt: longAgo,
          phoneVerifiedAt: demo.phoneVerified ? longAgo : null,
          createdAt: demo.matchStatus === "awaiting_match" ? daysAgo(0.1) : longAgo,
        },
      });
      return [demo.key, user.id, "created"];
    }
    const changes: Prisma.UserUncheckedUpdateInput = {
      ...changedFields(row, desired),
      ...changedFields(row, {
        emailVerifiedAt: presence(row.emailVerifiedAt, true, longAgo),
        phoneVerifiedAt: presence(row.phoneVerifiedAt, demo.phoneVerified ?? false, longAgo),
      }),
    };
    if (!row.passwordHash || !(await verifyPassword(row.passwordHash, demo.password))) changes.passwordHash = await hashOnce(demo.password);
    if (Object.keys(changes).length === 0) return [demo.key, row.id, "unchanged"];
    await client.user.update({ where: { id: row.id }, data: changes });
    return [demo.key, row.id, "updated"];
  }

  // ── Tickets ──
  const userId = (key: DemoUserKey) => {
    const id = userIds.get(key);
    if (!id) throw new Error(`Demo user "${key}" was not seeded.`);
    return id;
  };
  const staffKeys = new Set(DEMO_USERS.filter((user) => user.role !== "customer").map((user) => user.key));
  const isStaff = (author: DemoAuthor) => "user" in author && staffKeys.has(author.user);

  let createdTickets = 0;
  for (const ticket of DEMO_TICKETS) {
    const exists = await client.ticket.findUnique({ where: { number: ticket.number }, select: { id: true } });
    if (exists) continue;
    const row = await client.ticket.create({ data: ticketData(ticket), select: { id: true } });
    // SLA due times from the policies, counted from the (back-dated) opening: some are overdue, some close.
    await applySlaToTicket(client, row.id);
    // A ticket waiting on the customer has its resolution clock paused since the last message (features/sla/pause.ts).
    if (ticket.status === "pending") {
      const lastMessageAt = new Date(
        now.getTime() - ticket.openedHoursAgo * HOUR_MS + Math.max(...ticket.messages.map((message) => message.minutesAfterOpen)) * MINUTE_MS,
      );
      await client.ticket.update({ where: { id: row.id }, data: { slaPausedAt: lastMessageAt }, select: { id: true } });
    }
    created += 1 + ticket.messages.length + (ticket.identityChecks?.length ?? 0) + (ticket.escalations?.length ?? 0);
    createdTickets++;
  }

  function ticketData(ticket: DemoTicket) {
    const openedAt = new Date(now.getTime() - ticket.openedHoursAgo * HOUR_MS);
    const at = (minutes: number) => new Date(openedAt.getTime() + minutes * MINUTE_MS);
    const lastMessageAt = at(Math.max(...ticket.messages.map((message) => message.minutesAfterOpen)));
    const firstResponse = ticket.messages.find((message) => message.kind === "public_reply" && isStaff(message.author));
    const solvedAt = ticket.status === "solved" || ticket.status === "closed" ? lastMessageAt : null;
    // Closed = solved and left alone for three days (or until now, for a recent one).
    const closedAt = ticket.status === "closed" && solvedAt ? new Date(Math.min(solvedAt.getTime() + 3 * DAY_MS, now.getTime())) : null;
    return {
      number: ticket.number,
      subject: ticket.subject,
      category: ticket.category,
      channel: ticket.channel,
      status: ticket.status,
      priority: ticket.priority,
      customerId: ticket.customerAccountNumber ? (customerIds.get(ticket.customerAccountNumber) ?? null) : null,
      requesterUserId: ticket.requesterUser ? userId(ticket.requesterUser) : null,
      requesterAddress: ticket.requesterAddress ?? null,
      requesterName: ticket.requesterName,
      assigneeId: ticket.assignee ? userId(ticket.assignee) : null,
      createdAt: openedAt,
      lastActivityAt: closedAt ?? lastMessageAt,
      firstResponseAt: firstResponse ? at(firstResponse.minutesAfterOpen) : null,
      solvedAt,
      closedAt,
      // Created with the ticket, so they too are written once and never again (the seed stays idempotent).
      identityChecks: {
        create: (ticket.identityChecks ?? []).map((check) => ({
          customerId: ticket.customerAccountNumber ? (customerIds.get(ticket.customerAccountNumber) ?? null) : null,
          method: check.method,
          outcome: check.outcome,
          fieldResults: check.fieldResults,
          codeChannel: check.method === "sms_code" ? ("sms" as const) : check.method === "email_code" ? ("email" as const) : null,
          conversationChannel: ticket.channel,
          performedById: userId(check.by),
          createdAt: at(check.minutesAfterOpen),
          expiresAt: new Date(at(check.minutesAfterOpen).getTime() + DAY_MS),
        })),
      },
      escalations: {
        create: (ticket.escalations ?? []).map((escalation) => ({
          reason: escalation.reason,
          note: escalation.note,
          status: "resolved" as const,
          raisedById: userId(escalation.raisedBy),
          assigneeId: userId(escalation.assignee),
          outcome: escalation.outcome,
          raisedAt: at(escalation.minutesAfterOpen),
          claimedAt: at(escalation.minutesAfterOpen + 5),
          resolvedAt: at(escalation.minutesAfterOpen + escalation.resolvedAfterMinutes),
        })),
      },
      messages: {
        create: ticket.messages.map((message) => ({
          kind: message.kind,
          authorUserId: "user" in message.author ? userId(message.author.user) : null,
          authorAddress: "address" in message.author ? message.author.address : null,
          body: message.body,
          deliveryStatus: message.deliveryStatus ?? null,
          createdAt: at(message.minutesAfterOpen),
        })),
      },
    };
  }

  if (createdTickets > 0) {
    // Demo tickets carry explicit numbers; move the number sequence past them (never backwards)
    // so the next real ticket does not collide with one.
    await client.$executeRaw`SELECT setval('"Ticket_number_seq"', GREATEST((SELECT MAX("number") FROM "Ticket"), (SELECT last_value FROM "Ticket_number_seq")))`;
  }

  // Canned replies agents can insert: created once, never overwritten (agents may have edited them).
  for (const reply of DEMO_CANNED_REPLIES) {
    const existing = await client.cannedReply.findUnique({ where: { title: reply.title }, select: { id: true } });
    if (!existing) {
      await client.cannedReply.create({ data: reply });
      created++;
    }
  }

  // The help centre: categories and articles created once, never overwritten (staff edit them); originals before translations.
  for (const [position, category] of DEMO_HELP_CATEGORIES.entries()) {
    if (!(await client.kbCategory.findUnique({ where: { slug: category.slug }, select: { id: true } }))) {
      await client.kbCategory.create({ data: { ...category, position } });
      created++;
    }
  }
  for (const article of DEMO_HELP_ARTICLES) {
    if (await client.kbArticle.findUnique({ where: { locale_slug: { locale: article.locale, slug: article.slug } }, select: { id: true } })) continue;
    const category = await client.kbCategory.findUniqueOrThrow({ where: { slug: article.category }, select: { id: true } });
    const original = article.translationOf
      ? await client.kbArticle.findUniqueOrThrow({ where: { locale_slug: article.translationOf }, select: { translationKey: true } })
      : null;
    const id = uuidv7();
    await client.kbArticle.create({
      data: {
        id,
        slug: article.slug,
        locale: article.locale,
        title: article.title,
        body: article.body,
        visibility: article.visibility,
        categoryId: category.id,
        translationKey: original?.translationKey ?? id,
        publishedAt: now,
        revisions: {
          create: { version: 1, title: article.title, body: article.body, visibility: article.visibility, editedBy: "Veridesk demo", createdAt: now },
        },
      },
    });
    created += 2;
  }

  return {
    organisations: DEMO_ORGANISATIONS.length,
    customers: DEMO_CUSTOMERS.length,
    emails: emailCount,
    phones: phoneCount,
    agreements: agreementCount,
    users: DEMO_USERS.length,
    tickets: DEMO_TICKETS.length,
    created,
    updated,
  };
}

// ── `npx tsx prisma/seed.ts` ──
const isDirectRun = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isDirectRun) {
  const { db, disconnectDb } = await import("@/platform/db/client");
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgresql://postgres@127.0.0.1:5432/veridesk npx tsx prisma/seed.ts");
    process.exit(1);
  }
  try {
    const summary = await seedDemoData(db);
    console.log(
      `Demo data ready: ${summary.customers} customers, ${summary.users} accounts, ${summary.tickets} tickets (${summary.created} rows created, ${summary.updated} repaired).`,
    );
    console.table(DEMO_SIGN_INS.map(({ role, email, password }) => ({ role, email, password })));
  } catch (error) {
    console.error(`Seeding the demo data failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await disconnectDb();
  }
}
