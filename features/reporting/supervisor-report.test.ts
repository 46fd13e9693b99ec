import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import type { EscalationReason, IdentityCheckMethod, IdentityCheckOutcome, TicketChannel } from "@/platform/db/generated/prisma/enums";
import { parseReportQuery, supervisorReport, type SupervisorReport } from "@/features/reporting/supervisor-report";

/**
 * The supervisor report on the real database. Period figures use a clock in 2037, where only this
 * file's rows exist, so they are asserted exactly; current-state figures (open tickets by badge,
 * bouncing addresses) are asserted as the exact change this file's rows make.
 */

const now = new Date(Date.UTC(2037, 5, 15, 12, 0, 0));
const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * HOUR);
const daysAgo = (days: number) => hoursAgo(days * 24);
const tag = randomUUID().slice(0, 8);
const customerIds: string[] = [];
const userIds: string[] = [];
let before: SupervisorReport;
let after: SupervisorReport;

const count = <K extends string>(rows: { key: K; count: number }[], key: K) => rows.find((row) => row.key === key)?.count;

async function ticket(
  subject: string,
  fields: {
    status?: "new" | "open" | "pending" | "on_hold" | "solved";
    customerId?: string;
    requesterAddress?: string;
    requesterUserId?: string;
    slaScope?: string;
    channel?: TicketChannel;
  } = {},
) {
  return db.ticket.create({
    data: {
      subject: `${subject} ${tag}`,
      channel: fields.channel ?? "email",
      status: fields.status ?? "open",
      customerId: fields.customerId,
      requesterAddress: fields.requesterAddress ?? `someone-${randomUUID()}@nowhere.test`,
      requesterUserId: fields.requesterUserId,
      slaScope: fields.slaScope,
    },
  });
}

async function check(
  ticketId: string | null,
  method: IdentityCheckMethod,
  outcome: IdentityCheckOutcome,
  conversationChannel: TicketChannel | null,
  createdAt: Date,
) {
  await db.identityCheck.create({
    data: {
      ticketId,
      method,
      outcome,
      conversationChannel,
      codeChannel: method === "sms_code" ? "sms" : method === "email_code" ? "email" : null,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 24 * HOUR),
      reason: method === "supervisor_override" ? "Known caller" : null,
    },
  });
}

async function escalation(
  ticketId: string,
  reason: EscalationReason,
  raisedAt: Date,
  fields: { resolvedAfterHours?: number; status?: "open" | "resolved" | "deescalated"; slaEvent?: string } = {},
) {
  await db.escalation.create({
    data: {
      ticketId,
      reason,
      note: "report test",
      raisedAt,
      status: fields.status ?? (fields.resolvedAfterHours === undefined ? "open" : "resolved"),
      resolvedAt: fields.resolvedAfterHours === undefined ? null : new Date(raisedAt.getTime() + fields.resolvedAfterHours * HOUR),
      automatic: fields.slaEvent !== undefined,
      slaEvent: fields.slaEvent,
    },
  });
}

beforeAll(async () => {
  before = await supervisorReport({ now, days: 30 });

  const customer = await db.customer.create({
    data: {
      accountNumber: `RPT-${tag}`,
      name: `Report Customer ${tag}`,
      emails: {
        create: [
          { address: `ok-${tag}@report.test`, normalized: `ok-${tag}@report.test`, isPrimary: true, verifiedAt: daysAgo(300), deliverability: "delivering" },
          {
            address: `bounce-${tag}@report.test`,
            normalized: `bounce-${tag}@report.test`,
            deliverability: "bouncing",
            bounceCount: 3,
            lastBouncedAt: hoursAgo(1),
          },
          {
            address: `bounce2-${tag}@report.test`,
            normalized: `bounce2-${tag}@report.test`,
            deliverability: "bouncing",
            bounceCount: 1,
            lastBouncedAt: daysAgo(2),
          },
          { address: `spam-${tag}@report.test`, normalized: `spam-${tag}@report.test`, deliverability: "complained" },
        ],
      },
    },
  });
  customerIds.push(customer.id);
  const portalUser = await db.user.create({ data: { email: `portal-${tag}@report.test`, name: "Portal", role: "customer", emailVerifiedAt: daysAgo(300) } });
  userIds.push(portalUser.id);

  // Open tickets, one per badge, plus a solved one that the badge counts leave out.
  await ticket("bouncing", { customerId: customer.id, requesterAddress: `bounce-${tag}@report.test` });
  const verified = await ticket("verified by check", { status: "pending", channel: "phone" });
  await check(verified.id, "sms_code", "passed", "phone", hoursAgo(2));
  const mismatch = await ticket("failed check", { status: "new", channel: "phone" });
  await check(mismatch.id, "caller_fields", "failed", "phone", hoursAgo(3));
  await ticket("unverified", { status: "on_hold" });
  await ticket("partially verified", { requesterUserId: portalUser.id });
  await ticket("solved", { status: "solved" });

  // More checks in the period (ticketless ones too: a phone call without a ticket).
  await check(null, "caller_fields", "passed", "phone", daysAgo(3));
  await check(null, "caller_fields", "partial", "phone", daysAgo(4));
  await check(null, "sms_code", "failed", "phone", daysAgo(5));
  await check(null, "email_code", "passed", "chat", daysAgo(6));
  await check(null, "email_code", "failed", "email", daysAgo(10));
  await check(null, "caller_fields", "passed", null, daysAgo(11));
  // Not verifications, or outside 30 days:
  await check(null, "supervisor_override", "overridden", "phone", daysAgo(1));
  await check(null, "sms_code", "passed", "phone", daysAgo(40));

  const escalated = await ticket("escalations", { status: "solved", slaScope: "premium" });
  await escalation(escalated.id, "identity_unverified", daysAgo(5), { resolvedAfterHours: 1 });
  await escalation(escalated.id, "identity_unverified", daysAgo(6), { resolvedAfterHours: 2 });
  await escalation(escalated.id, "identity_unverified", daysAgo(7), { resolvedAfterHours: 3 });
  await escalation(escalated.id, "customer_request", daysAgo(8), { resolvedAfterHours: 4 });
  await escalation(escalated.id, "technical", daysAgo(9), { resolvedAfterHours: 10 });
  await escalation(escalated.id, "technical", daysAgo(1));
  // De-escalated is not "resolved": no time to resolve.
  await escalation(escalated.id, "customer_request", daysAgo(2), { status: "deescalated", resolvedAfterHours: 50 });
  // Raised before the period but resolved within it: not counted as raised, but timed (48 h).
  await escalation(escalated.id, "technical", daysAgo(31), { resolvedAfterHours: 48 });
  // SLA: two breaches on a premium ticket, one on a basic one; a warning is not a breach.
  await escalation(escalated.id, "sla_breached", daysAgo(3), { slaEvent: "first_response_breach" });
  await escalation(escalated.id, "sla_breached", daysAgo(2), { slaEvent: "resolution_breach" });
  const basic = await ticket("basic sla", { status: "solved", slaScope: "basic" });
  await escalation(basic.id, "sla_breached", daysAgo(4), { slaEvent: "first_response_breach" });
  await escalation(basic.id, "sla_at_risk", daysAgo(4), { slaEvent: "resolution_warning" });
  await escalation(basic.id, "sla_breached", daysAgo(45), { slaEvent: "resolution_breach" });

  after = await supervisorReport({ now, days: 30 });
});

afterAll(async () => {
  await db.ticket.deleteMany({ where: { subject: { endsWith: tag } } });
  await db.identityCheck.deleteMany({ where: { createdAt: { gte: daysAgo(100), lte: now }, ticketId: null } });
  await db.customer.deleteMany({ where: { id: { in: customerIds } } });
  await db.user.deleteMany({ where: { id: { in: userIds } } });
});

describe("supervisorReport", () => {
  it("counts open tickets by the queue's identity badge, leaving out solved ones", () => {
    const change = Object.fromEntries(after.openTicketsByIdentity.map((row) => [row.key, row.count - count(before.openTicketsByIdentity, row.key)!]));
    expect(change).toEqual({ verified: 1, partially_verified: 1, unverified: 1, mismatch: 1, bouncing: 1 });
  });

  it("rates verification by conversation channel and code channel, without overrides or older checks", () => {
    expect(before.verificationByConversationChannel.every((row) => row.total === 0)).toBe(true);
    expect(after.verificationByConversationChannel).toEqual([
      { key: "phone", passed: 2, total: 5 },
      { key: "chat", passed: 1, total: 1 },
      { key: "email", passed: 0, total: 1 },
      { key: "web", passed: 0, total: 0 },
      { key: "unknown", passed: 1, total: 1 },
    ]);
    expect(after.verificationByCodeChannel).toEqual([
      { key: "email", passed: 1, total: 2 },
      { key: "sms", passed: 1, total: 2 },
    ]);
  });

  it("counts escalations raised in the period by reason, and times those resolved", () => {
    expect(after.escalationsByReason).toEqual([
      { key: "identity_unverified", count: 3 },
      { key: "customer_request", count: 2 },
      { key: "sla_at_risk", count: 1 },
      { key: "sla_breached", count: 3 },
      { key: "technical", count: 2 },
    ]);
    // Resolved in the period after 1, 2, 3, 4, 10 and 48 hours: median (3 + 4) / 2 = 3.5 h;
    // p90 interpolates between the 5th and 6th: 10 h + 0.5 × 38 h = 29 h.
    expect(after.timeToResolve.overall).toEqual({ resolved: 6, medianSeconds: 3.5 * 3600, p90Seconds: 29 * 3600 });
    expect(after.timeToResolve.byReason).toEqual([
      { key: "identity_unverified", resolved: 3, medianSeconds: 2 * 3600, p90Seconds: 2.8 * 3600 },
      { key: "customer_request", resolved: 1, medianSeconds: 4 * 3600, p90Seconds: 4 * 3600 },
      { key: "technical", resolved: 2, medianSeconds: 29 * 3600, p90Seconds: (10 + 0.9 * 38) * 3600 },
    ]);
  });

  it("counts SLA breaches in the period by event and by tier, not warnings", () => {
    expect(after.slaBreaches).toEqual({
      total: 3,
      byEvent: [
        { key: "first_response_breach", count: 2 },
        { key: "resolution_breach", count: 1 },
      ],
      byScope: [
        { key: "premium", count: 2 },
        { key: "basic", count: 1 },
      ],
    });
  });

  it("counts bouncing and complained addresses and lists the latest bounce first", () => {
    expect(count(after.bouncingAddresses.counts, "bouncing")! - count(before.bouncingAddresses.counts, "bouncing")!).toBe(2);
    expect(count(after.bouncingAddresses.counts, "complained")! - count(before.bouncingAddresses.counts, "complained")!).toBe(1);
    expect(after.bouncingAddresses.recent[0]).toEqual({
      address: `bounce-${tag}@report.test`,
      deliverability: "bouncing",
      bounceCount: 3,
      lastBouncedAt: hoursAgo(1),
      customerName: `Report Customer ${tag}`,
      accountNumber: `RPT-${tag}`,
    });
    expect(after.bouncingAddresses.recent[1]!.address).toBe(`bounce2-${tag}@report.test`);
  });

  it("widens to 90 days: the older check, escalation and breach come in", async () => {
    // (The 48 h escalation raised 31 days ago is now counted as raised too.)
    const wide = await supervisorReport({ now, days: 90 });
    expect(wide.verificationByConversationChannel[0]).toEqual({ key: "phone", passed: 3, total: 6 });
    expect(count(wide.escalationsByReason, "technical")).toBe(3);
    expect(wide.timeToResolve.overall.resolved).toBe(6);
    expect(wide.slaBreaches.total).toBe(4);
    expect(wide.period).toEqual({ days: 90, from: daysAgo(90), to: now });
  });
});

describe("parseReportQuery", () => {
  it("takes 7, 30 or 90 days and falls back to 30", () => {
    expect(parseReportQuery({ days: "7" })).toEqual({ days: "7" });
    expect(parseReportQuery({ days: ["90", "7"] })).toEqual({ days: "90" });
    expect(parseReportQuery({})).toEqual({ days: "30" });
    expect(parseReportQuery({ days: "365" })).toEqual({ days: "30" });
  });
});
