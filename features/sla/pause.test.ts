import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { SLA_POLICIES_LOCK, holdTestLock } from "@/platform/testing/test-lock";
import { closeOwnTicket, createPortalTicket, replyAsCustomer, updateTicket } from "@/features/tickets/desk";
import { appendInboundMessage } from "@/features/tickets/messages";
import { runSlaSweep } from "./job";
import { resolutionDueAfterPause, resumeSlaClock } from "./pause";
import { applySlaToTicket } from "./policies";

const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);

async function person(role: "customer" | "agent"): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: `A ${role}`, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: null };
}

const newTicket = { subject: "Invoice missing", description: "Where is it?", category: "problem", priority: "normal" } as const;

/** A portal ticket (no customer record: the no_agreement policy, plain minutes) and its owner and an agent. */
async function portalTicket() {
  const owner = await person("customer");
  const agent = await person("agent");
  const ticket = await createPortalTicket(owner, newTicket);
  return { owner, agent, ticketId: ticket.id };
}

const read = (ticketId: string) => db.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { status: true, slaPausedAt: true, resolutionDueAt: true } });

const plainPolicy = {
  firstResponseMinutes: 60,
  resolutionMinutes: 480,
  businessHoursOnly: false,
  businessDayStartMinute: 540,
  businessDayEndMinute: 1020,
  businessDays: [1, 2, 3, 4, 5],
  timeZone: "UTC",
};
const officePolicy = { ...plainPolicy, businessHoursOnly: true };

describe("resolutionDueAfterPause", () => {
  it("adds the wall-clock pause for a plain policy", () => {
    expect(resolutionDueAfterPause(plainPolicy, at("2026-03-09T12:00:00Z"), at("2026-03-06T16:00:00Z"), at("2026-03-09T10:00:00Z"))).toEqual(
      at("2026-03-12T06:00:00Z"),
    );
  });

  it("adds only the business minutes of the pause for a business-hours policy", () => {
    // Paused Friday 16:00, resumed Monday 10:00: 60 + 60 business minutes; due Monday 12:00 → 14:00.
    expect(resolutionDueAfterPause(officePolicy, at("2026-03-09T12:00:00Z"), at("2026-03-06T16:00:00Z"), at("2026-03-09T10:00:00Z"))).toEqual(
      at("2026-03-09T14:00:00Z"),
    );
    // Carried over the evening: due Monday 16:30 + 120 business minutes → Tuesday 10:30.
    expect(resolutionDueAfterPause(officePolicy, at("2026-03-09T16:30:00Z"), at("2026-03-06T16:00:00Z"), at("2026-03-09T10:00:00Z"))).toEqual(
      at("2026-03-10T10:30:00Z"),
    );
  });

  it("leaves the due time alone for a pause with no business time in it, or a resume before the pause", () => {
    // Saturday to Sunday; and a due time at closing that a zero shift must not carry to the next opening.
    expect(resolutionDueAfterPause(officePolicy, at("2026-03-09T17:00:00Z"), at("2026-03-07T10:00:00Z"), at("2026-03-08T15:00:00Z"))).toEqual(
      at("2026-03-09T17:00:00Z"),
    );
    expect(resolutionDueAfterPause(plainPolicy, at("2026-03-09T12:00:00Z"), at("2026-03-09T10:00:00Z"), at("2026-03-09T09:00:00Z"))).toEqual(
      at("2026-03-09T12:00:00Z"),
    );
  });
});

describe("pausing the resolution clock while waiting on the customer", () => {
  it("pauses when an agent sets the ticket to pending, once, and only with a resolution target", async () => {
    const { agent, ticketId } = await portalTicket();
    const before = await read(ticketId);
    expect(before.slaPausedAt).toBeNull();
    const start = Date.now();
    await updateTicket(agent, { ticketId, status: "pending" });
    const paused = await read(ticketId);
    expect(paused.status).toBe("pending");
    expect(paused.slaPausedAt!.getTime()).toBeGreaterThanOrEqual(start);
    expect(paused.slaPausedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(paused.resolutionDueAt).toEqual(before.resolutionDueAt);

    // Setting pending again (a priority edit with the same status) keeps the original pause time.
    await updateTicket(agent, { ticketId, status: "pending", priority: "high" });
    expect((await read(ticketId)).slaPausedAt).toEqual(paused.slaPausedAt);

    // A ticket without a resolution target has no clock to stop.
    const { ticketId: noTarget } = await portalTicket();
    await db.ticket.update({ where: { id: noTarget }, data: { resolutionDueAt: null } });
    await updateTicket(agent, { ticketId: noTarget, status: "pending" });
    expect((await read(noTarget)).slaPausedAt).toBeNull();
  });

  it("moves the target later by the paused wall-clock time when an agent sets it back to open", async () => {
    const { agent, ticketId } = await portalTicket();
    await updateTicket(agent, { ticketId, status: "pending" });
    const pausedAt = new Date(Date.now() - 90 * MINUTE);
    const oldDue = at("2026-01-01T12:00:00Z");
    await db.ticket.update({ where: { id: ticketId }, data: { slaPausedAt: pausedAt, resolutionDueAt: oldDue } });
    const start = Date.now();
    await updateTicket(agent, { ticketId, status: "open" });
    const end = Date.now();
    const resumed = await read(ticketId);
    expect(resumed).toMatchObject({ status: "open", slaPausedAt: null });
    const shift = resumed.resolutionDueAt!.getTime() - oldDue.getTime();
    expect(shift).toBeGreaterThanOrEqual(start - pausedAt.getTime());
    expect(shift).toBeLessThanOrEqual(end - pausedAt.getTime());
  });

  it("resumes on any status other than pending (on hold), and a later status change leaves the target alone", async () => {
    const { agent, ticketId } = await portalTicket();
    await updateTicket(agent, { ticketId, status: "pending" });
    await db.ticket.update({ where: { id: ticketId }, data: { slaPausedAt: new Date(Date.now() - 60 * MINUTE) } });
    const due = (await read(ticketId)).resolutionDueAt!;
    await updateTicket(agent, { ticketId, status: "on_hold" });
    const onHold = await read(ticketId);
    expect(onHold.slaPausedAt).toBeNull();
    expect(onHold.resolutionDueAt!.getTime() - due.getTime()).toBeGreaterThanOrEqual(60 * MINUTE);
    await updateTicket(agent, { ticketId, status: "open" });
    expect((await read(ticketId)).resolutionDueAt).toEqual(onHold.resolutionDueAt);
  });

  it("moves the target by business minutes under a business-hours policy", async () => {
    const release = await holdTestLock(SLA_POLICIES_LOCK);
    const original = await db.slaPolicy.findUniqueOrThrow({ where: { scope: "basic" } });
    await db.slaPolicy.update({
      where: { scope: "basic" },
      data: { businessHoursOnly: true, businessDayStartMinute: 540, businessDayEndMinute: 1020, businessDays: [1, 2, 3, 4, 5], timeZone: "Europe/London" },
    });
    try {
      const { ticketId } = await portalTicket();
      // Paused Friday 27 Mar 2026 16:00 GMT; resumed Monday 30 Mar 10:00 BST (09:00 UTC), across the DST change:
      // 60 business minutes on Friday + 60 on Monday.
      await db.ticket.update({
        where: { id: ticketId },
        data: { slaScope: "basic", status: "open", slaPausedAt: at("2026-03-27T16:00:00Z"), resolutionDueAt: at("2026-03-31T10:00:00Z") },
      });
      const due = await db.$transaction((tx) => resumeSlaClock(tx, ticketId, at("2026-03-30T09:00:00Z")));
      // Tuesday 11:00 BST + 120 business minutes = 13:00 BST = 12:00 UTC.
      expect(due).toEqual(at("2026-03-31T12:00:00Z"));
      expect(await read(ticketId)).toMatchObject({ slaPausedAt: null, resolutionDueAt: at("2026-03-31T12:00:00Z") });
    } finally {
      await db.slaPolicy.update({
        where: { scope: "basic" },
        data: {
          businessHoursOnly: original.businessHoursOnly,
          businessDayStartMinute: original.businessDayStartMinute,
          businessDayEndMinute: original.businessDayEndMinute,
          businessDays: original.businessDays,
          timeZone: original.timeZone,
        },
      });
      await release();
    }
  });

  it("resumes when the customer replies in the portal", async () => {
    const { owner, agent, ticketId } = await portalTicket();
    await updateTicket(agent, { ticketId, status: "pending" });
    const pausedAt = new Date(Date.now() - 30 * MINUTE);
    const oldDue = at("2026-01-01T12:00:00Z");
    await db.ticket.update({ where: { id: ticketId }, data: { slaPausedAt: pausedAt, resolutionDueAt: oldDue } });
    await replyAsCustomer(owner, { ticketId, body: "Here is the information." });
    const resumed = await read(ticketId);
    expect(resumed).toMatchObject({ status: "open", slaPausedAt: null });
    expect(resumed.resolutionDueAt!.getTime() - oldDue.getTime()).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(resumed.resolutionDueAt!.getTime() - oldDue.getTime()).toBeLessThan(31 * MINUTE);
  });

  it("resumes when the customer replies by email, shifted by exactly the time until the email", async () => {
    const { agent, ticketId } = await portalTicket();
    await updateTicket(agent, { ticketId, status: "pending" });
    await db.ticket.update({ where: { id: ticketId }, data: { slaPausedAt: at("2026-03-02T10:00:00Z"), resolutionDueAt: at("2026-03-02T12:00:00Z") } });
    const result = await db.$transaction((tx) =>
      appendInboundMessage(tx, { ticketId, body: "Attached.", authorAddress: "c@example.org", emailMessageId: null, at: at("2026-03-02T11:15:00Z") }),
    );
    expect(result.reopened).toBe(true);
    expect(await read(ticketId)).toEqual({ status: "open", slaPausedAt: null, resolutionDueAt: at("2026-03-02T13:15:00Z") });
  });

  it("only clears the pause when a pending ticket is solved or closed; reopening restarts the target from the reopening", async () => {
    const { owner, agent, ticketId } = await portalTicket();
    await updateTicket(agent, { ticketId, status: "pending" });
    const oldDue = at("2026-01-01T12:00:00Z");
    await db.ticket.update({ where: { id: ticketId }, data: { slaPausedAt: new Date(Date.now() - 60 * MINUTE), resolutionDueAt: oldDue } });
    await updateTicket(agent, { ticketId, status: "solved" });
    expect(await read(ticketId)).toEqual({ status: "solved", slaPausedAt: null, resolutionDueAt: oldDue });
    const reopenedFrom = Date.now();
    await updateTicket(agent, { ticketId, status: "open" });
    const reopened = await read(ticketId);
    expect(reopened.slaPausedAt).toBeNull();
    // restartResolutionTarget: the no_agreement policy's 4320 minutes from the reopening.
    expect(reopened.resolutionDueAt!.getTime()).toBeGreaterThanOrEqual(reopenedFrom + 4320 * MINUTE);

    // The customer closing a pending ticket also clears the pause.
    await updateTicket(agent, { ticketId, status: "pending" });
    expect((await read(ticketId)).slaPausedAt).not.toBeNull();
    const dueBeforeClose = (await read(ticketId)).resolutionDueAt;
    await closeOwnTicket(owner, ticketId);
    expect(await read(ticketId)).toEqual({ status: "closed", slaPausedAt: null, resolutionDueAt: dueBeforeClose });
  });
});

describe("the SLA sweep and paused tickets", () => {
  async function premiumTicket(createdAt: Date) {
    const id = randomUUID().slice(0, 8);
    const customer = await db.customer.create({
      data: {
        accountNumber: `PAUSE-${id}`,
        name: `Pause customer ${id}`,
        agreements: { create: { reference: `PAUSE-AG-${id}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
      },
    });
    const ticket = await db.ticket.create({
      data: { subject: `Pause ${id}`, channel: "email", customerId: customer.id, createdAt, status: "open", firstResponseAt: createdAt },
    });
    await applySlaToTicket(db, ticket.id);
    return ticket;
  }
  const eventsOf = async (ticketId: string) =>
    (await db.escalation.findMany({ where: { ticketId }, select: { slaEvent: true } })).map((e) => e.slaEvent).sort();

  it("raises no resolution warning or breach while paused, and escalates at the shifted time after resuming", async () => {
    // Premium: resolution 480 min after creation (Mon 09:00 → 17:00), warning 15 min before.
    const created = at("2026-03-02T09:00:00Z");
    const ticket = await premiumTicket(created);
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "pending", slaPausedAt: at("2026-03-02T10:00:00Z") } });
    await runSlaSweep({ now: at("2026-03-02T16:50:00Z") });
    await runSlaSweep({ now: at("2026-03-02T18:00:00Z") });
    expect(await eventsOf(ticket.id)).toEqual([]);

    // Resumed at 12:00 (two hours paused): due 19:00, warning from 18:45.
    await db.$transaction((tx) => resumeSlaClock(tx, ticket.id, at("2026-03-02T12:00:00Z")));
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "open" } });
    await runSlaSweep({ now: at("2026-03-02T18:44:00Z") });
    expect(await eventsOf(ticket.id)).toEqual([]);
    await runSlaSweep({ now: at("2026-03-02T18:46:00Z") });
    expect(await eventsOf(ticket.id)).toEqual(["resolution_warning"]);
    await runSlaSweep({ now: at("2026-03-02T19:00:00Z") });
    expect(await eventsOf(ticket.id)).toEqual(["resolution_breach", "resolution_warning"]);
  });

  it("still escalates a missed first response while paused (only the resolution clock stops)", async () => {
    const created = at("2026-03-03T09:00:00Z");
    const ticket = await premiumTicket(created);
    await db.ticket.update({ where: { id: ticket.id }, data: { firstResponseAt: null, status: "pending", slaPausedAt: at("2026-03-03T09:10:00Z") } });
    await runSlaSweep({ now: at("2026-03-03T20:00:00Z") });
    expect(await eventsOf(ticket.id)).toEqual(["first_response_breach"]);
  });
});
