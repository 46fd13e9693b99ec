import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SLA_POLICIES_LOCK, holdTestLock } from "@/platform/testing/test-lock";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { applySlaToTicket, listSlaPolicies, slaDueTimes, slaPolicyInputSchema, updateSlaPolicy } from "./policies";

const MINUTE = 60_000;

async function customerWith(agreement?: { tier: "basic" | "standard" | "premium"; endsOn: string; cancelledAt?: Date }) {
  const id = randomUUID().slice(0, 8);
  return db.customer.create({
    data: {
      accountNumber: `SLA-${id}`,
      name: `SLA customer ${id}`,
      agreements: agreement
        ? {
            create: {
              reference: `SLA-AG-${id}`,
              tier: agreement.tier,
              startsOn: new Date("2020-01-01"),
              endsOn: new Date(agreement.endsOn),
              cancelledAt: agreement.cancelledAt ?? null,
            },
          }
        : undefined,
    },
  });
}

async function ticketFor(customerId: string | null, createdAt = new Date()) {
  return db.ticket.create({ data: { subject: "SLA test", channel: "web", customerId, createdAt }, select: { id: true, createdAt: true } });
}

async function supervisor(): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: "Sue Pervisor", role: "supervisor" } });
  return { sessionId: randomUUID(), userId: user.id, role: "supervisor", name: user.name, email, customerId: null };
}

const validEdit = {
  scope: "standard",
  firstResponseMinutes: "120",
  resolutionMinutes: "960",
  warnBeforeMinutes: "20",
  businessHoursOnly: true,
  businessDayStart: "08:30",
  businessDayEnd: "18:00",
  businessDays: ["1", "2", "3", "4", "5"],
  timeZone: "Europe/London",
} as const;

const defaults = {
  firstResponseMinutes: 240,
  resolutionMinutes: 1440,
  warnBeforeMinutes: 30,
  businessHoursOnly: false,
  businessDayStartMinute: 540,
  businessDayEndMinute: 1020,
  businessDays: [1, 2, 3, 4, 5],
  timeZone: "UTC",
};
// These tests change the standard policy: other files' tests must not see it changed (platform/testing/test-lock.ts).
let releasePolicies: (() => Promise<void>) | undefined;
beforeEach(async () => {
  releasePolicies = await holdTestLock(SLA_POLICIES_LOCK);
});
afterEach(async () => {
  await db.slaPolicy.update({ where: { scope: "standard" }, data: defaults });
  await releasePolicies?.();
});

describe("applySlaToTicket", () => {
  it("uses the tier of the customer's valid agreement, counted from the ticket's creation", async () => {
    const customer = await customerWith({ tier: "premium", endsOn: "2099-12-31" });
    const ticket = await ticketFor(customer.id);
    const applied = await applySlaToTicket(db, ticket.id);
    expect(applied.slaScope).toBe("premium");
    // The migration's premium defaults: 60 minutes to first response, 480 to resolution.
    expect(applied.firstResponseDueAt).toEqual(new Date(ticket.createdAt.getTime() + 60 * MINUTE));
    expect(applied.resolutionDueAt).toEqual(new Date(ticket.createdAt.getTime() + 480 * MINUTE));
  });

  it("falls back to no_agreement for an expired or cancelled agreement, no customer, or none at all", async () => {
    const expired = await customerWith({ tier: "premium", endsOn: "2021-01-01" });
    const cancelled = await customerWith({ tier: "premium", endsOn: "2099-12-31", cancelledAt: new Date(Date.now() - 86_400_000) });
    const without = await customerWith();
    for (const customerId of [expired.id, cancelled.id, without.id, null]) {
      const ticket = await ticketFor(customerId);
      const applied = await applySlaToTicket(db, ticket.id);
      expect(applied.slaScope).toBe("no_agreement");
      expect(applied.firstResponseDueAt).toEqual(new Date(ticket.createdAt.getTime() + 1440 * MINUTE));
    }
  });

  it("uses business hours when the policy says so", async () => {
    await db.slaPolicy.update({ where: { scope: "standard" }, data: { businessHoursOnly: true, firstResponseMinutes: 60, resolutionMinutes: 600 } });
    const customer = await customerWith({ tier: "standard", endsOn: "2099-12-31" });
    // Friday 2026-03-06 16:30 UTC.
    const ticket = await ticketFor(customer.id, new Date("2026-03-06T16:30:00Z"));
    const applied = await applySlaToTicket(db, ticket.id);
    expect(applied.firstResponseDueAt).toEqual(new Date("2026-03-09T09:30:00Z"));
    // 30 min Friday + 480 Monday + 90 Tuesday.
    expect(applied.resolutionDueAt).toEqual(new Date("2026-03-10T10:30:00Z"));
  });
});

describe("slaDueTimes", () => {
  it("adds plain minutes without business hours", () => {
    const openedAt = new Date("2026-03-07T23:00:00Z");
    expect(slaDueTimes({ ...defaults, firstResponseMinutes: 30 }, openedAt)).toEqual({
      firstResponseDueAt: new Date("2026-03-07T23:30:00Z"),
      resolutionDueAt: new Date("2026-03-08T23:00:00Z"),
    });
  });
});

describe("policy edits", () => {
  it("saves a valid edit and audits what changed", async () => {
    const actor = await supervisor();
    const parsed = slaPolicyInputSchema.parse(validEdit);
    await updateSlaPolicy(actor, parsed, "203.0.113.9");
    const saved = (await listSlaPolicies()).find((policy) => policy.scope === "standard")!;
    expect(saved).toMatchObject({
      firstResponseMinutes: 120,
      resolutionMinutes: 960,
      warnBeforeMinutes: 20,
      businessHoursOnly: true,
      businessDayStartMinute: 510,
      businessDayEndMinute: 1080,
      timeZone: "Europe/London",
    });
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "sla.policy_changed", actorUserId: actor.userId } });
    expect(audit.subjectId).toBe("standard");
    expect(Object.keys((audit.details as { changed: object }).changed).sort()).toEqual(
      [
        "businessDayEndMinute",
        "businessDayStartMinute",
        "businessHoursOnly",
        "firstResponseMinutes",
        "resolutionMinutes",
        "timeZone",
        "warnBeforeMinutes",
      ].sort(),
    );
  });

  it("lists the four policies in tier order", async () => {
    expect((await listSlaPolicies()).map((policy) => policy.scope)).toEqual(["premium", "standard", "basic", "no_agreement"]);
  });

  it("refuses inconsistent targets with a clear message per field", () => {
    const errors = (input: object) => {
      const result = slaPolicyInputSchema.safeParse({ ...validEdit, ...input });
      return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join("."), issue.message]));
    };
    expect(errors({ resolutionMinutes: "60" })).toEqual({ resolutionMinutes: "Resolution target must be longer than the first-response target" });
    expect(errors({ warnBeforeMinutes: "120" })).toEqual({ warnBeforeMinutes: "Warning must come before the first-response target (make it shorter)" });
    expect(errors({ businessDayEnd: "08:00" })).toEqual({ businessDayEnd: "Closing time must be after the opening time" });
    expect(errors({ businessDays: [] })).toEqual({ businessDays: "Choose at least one business day" });
    expect(errors({ timeZone: "Mars/Base" })).toEqual({ timeZone: "Choose a time zone from the list (e.g. Europe/London)" });
    expect(errors({ firstResponseMinutes: "abc" })).toMatchObject({ firstResponseMinutes: "First-response target must be a number of minutes" });
    expect(errors({ firstResponseMinutes: "0" })).toMatchObject({ firstResponseMinutes: "First-response target must be at least 1 minute" });
    // Without business hours, the window and days do not matter.
    expect(errors({ businessHoursOnly: false, businessDays: [], businessDayEnd: "08:00" })).toEqual({});
  });
});
