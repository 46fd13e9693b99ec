import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { runSlaSweep, startSlaJob, stopSlaJob } from "./job";
import { applySlaToTicket } from "./policies";

const MINUTE = 60_000;

/** A premium customer's ticket (migration defaults: first response 60 min, resolution 480, warn 15 before). */
async function premiumTicket(options: { createdAt?: Date; withSla?: boolean; status?: "new" | "open" | "solved" | "closed" } = {}) {
  const id = randomUUID().slice(0, 8);
  const customer = await db.customer.create({
    data: {
      accountNumber: `JOB-${id}`,
      name: `Job customer ${id}`,
      agreements: { create: { reference: `JOB-AG-${id}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
  const ticket = await db.ticket.create({
    data: { subject: `SLA job ${id}`, channel: "email", customerId: customer.id, createdAt: options.createdAt ?? new Date(), status: options.status ?? "new" },
    select: { id: true, createdAt: true },
  });
  if (options.withSla !== false) await applySlaToTicket(db, ticket.id);
  return ticket;
}

const after = (ticket: { createdAt: Date }, minutes: number) => new Date(ticket.createdAt.getTime() + minutes * MINUTE);

async function escalationsOf(ticketId: string) {
  return db.escalation.findMany({
    where: { ticketId },
    orderBy: { slaEvent: "asc" },
    select: { slaEvent: true, reason: true, automatic: true, note: true, status: true },
  });
}
const notesOf = (ticketId: string) => db.ticketMessage.findMany({ where: { ticketId, kind: "internal_note" }, select: { body: true } });
const auditsOf = (ticketId: string) =>
  db.auditEvent.findMany({ where: { action: "sla.escalated", subjectId: ticketId }, select: { details: true, actorUserId: true } });

describe("the SLA sweep", () => {
  it("does nothing before the warning time", async () => {
    const ticket = await premiumTicket();
    await runSlaSweep({ now: after(ticket, 44) });
    expect(await escalationsOf(ticket.id)).toEqual([]);
  });

  it("escalates a breach once, with a note on the ticket and an audit event", async () => {
    const ticket = await premiumTicket({ createdAt: new Date("2026-03-02T09:42:00Z") });
    await runSlaSweep({ now: after(ticket, 61) });
    await runSlaSweep({ now: after(ticket, 62) });
    // Past the due time only the breach is raised: a warning for something already missed is noise.
    expect(await escalationsOf(ticket.id)).toEqual([
      {
        slaEvent: "first_response_breach",
        reason: "sla_breached",
        automatic: true,
        status: "open",
        note: "First response due Mon 2 Mar, 10:42 UTC was missed.",
      },
    ]);
    expect(await notesOf(ticket.id)).toEqual([{ body: "Escalated automatically: First response due Mon 2 Mar, 10:42 UTC was missed." }]);
    const audits = await auditsOf(ticket.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorUserId: null, details: { slaEvent: "first_response_breach", dueAt: "2026-03-02T10:42:00.000Z" } });
  });

  it("raises the warning, then the breach: two escalations", async () => {
    const ticket = await premiumTicket();
    await runSlaSweep({ now: after(ticket, 46) });
    expect((await escalationsOf(ticket.id)).map((e) => [e.slaEvent, e.reason])).toEqual([["first_response_warning", "sla_at_risk"]]);
    await runSlaSweep({ now: after(ticket, 60) });
    expect((await escalationsOf(ticket.id)).map((e) => [e.slaEvent, e.reason])).toEqual([
      ["first_response_breach", "sla_breached"],
      ["first_response_warning", "sla_at_risk"],
    ]);
    expect(await notesOf(ticket.id)).toHaveLength(2);
    expect(await auditsOf(ticket.id)).toHaveLength(2);
  });

  it("escalates exactly once per event when sweeps run concurrently (two instances)", async () => {
    const tickets = await Promise.all([premiumTicket(), premiumTicket(), premiumTicket()]);
    const now = after(tickets[2]!, 481);
    await Promise.all([runSlaSweep({ now }), runSlaSweep({ now }), runSlaSweep({ now, batchSize: 1 })]);
    await runSlaSweep({ now });
    for (const ticket of tickets) {
      expect((await escalationsOf(ticket.id)).map((e) => e.slaEvent)).toEqual(["first_response_breach", "resolution_breach"]);
      expect(await notesOf(ticket.id)).toHaveLength(2);
      expect(await auditsOf(ticket.id)).toHaveLength(2);
    }
  });

  it("leaves solved and closed tickets alone, and stops the first-response clock once answered", async () => {
    const solved = await premiumTicket();
    await db.ticket.update({ where: { id: solved.id }, data: { status: "solved", solvedAt: after(solved, 10) } });
    const closed = await premiumTicket();
    await db.ticket.update({ where: { id: closed.id }, data: { status: "closed", solvedAt: after(closed, 10), closedAt: after(closed, 20) } });
    const answered = await premiumTicket();
    await db.ticket.update({ where: { id: answered.id }, data: { status: "open", firstResponseAt: after(answered, 5) } });

    await runSlaSweep({ now: after(answered, 120) });
    expect(await escalationsOf(solved.id)).toEqual([]);
    expect(await escalationsOf(closed.id)).toEqual([]);
    expect(await escalationsOf(answered.id)).toEqual([]);
    // The resolution target still runs for the answered ticket.
    await runSlaSweep({ now: after(answered, 470) });
    expect((await escalationsOf(answered.id)).map((e) => e.slaEvent)).toEqual(["resolution_warning"]);
  });

  it("gives due times to open tickets created without them (any creation path), not to finished ones", async () => {
    const missed = await premiumTicket({ withSla: false });
    const finished = await premiumTicket({ withSla: false, status: "solved" });
    const summary = await runSlaSweep({ now: after(missed, 1) });
    expect(summary.backfilled).toBeGreaterThanOrEqual(1);
    expect(
      await db.ticket.findUniqueOrThrow({ where: { id: missed.id }, select: { slaScope: true, firstResponseDueAt: true, resolutionDueAt: true } }),
    ).toEqual({
      slaScope: "premium",
      firstResponseDueAt: after(missed, 60),
      resolutionDueAt: after(missed, 480),
    });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: finished.id } })).slaScope).toBeNull();
  });

  it("escalates nothing for a policy without a warning until the breach", async () => {
    await db.slaPolicy.update({ where: { scope: "premium" }, data: { warnBeforeMinutes: 0 } });
    try {
      const ticket = await premiumTicket();
      await runSlaSweep({ now: after(ticket, 59) });
      expect(await escalationsOf(ticket.id)).toEqual([]);
    } finally {
      await db.slaPolicy.update({ where: { scope: "premium" }, data: { warnBeforeMinutes: 15 } });
    }
  });
});

describe("the SLA job loop", () => {
  it("sweeps on start, and a restarted instance does not escalate again", async () => {
    const overdue = await premiumTicket({ createdAt: new Date(Date.now() - 2 * 60 * MINUTE) });
    expect(startSlaJob({ intervalMs: 60 * MINUTE })).toBe(true);
    await stopSlaJob(); // waits for the sweep that started with the loop
    expect((await escalationsOf(overdue.id)).map((e) => e.slaEvent)).toEqual(["first_response_breach"]);

    startSlaJob({ intervalMs: 60 * MINUTE });
    await stopSlaJob();
    expect(await escalationsOf(overdue.id)).toHaveLength(1);
  });
});

describe("reopened tickets", () => {
  it("get a fresh resolution target from the reopening, so a ticket solved in time is not escalated as missed", async () => {
    const { touchTicketForCustomerMessage } = await import("@/features/tickets/messages");
    const ticket = await premiumTicket({ createdAt: new Date(Date.now() - 3 * 24 * 60 * MINUTE) });
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "solved", solvedAt: after(ticket, 120), firstResponseAt: after(ticket, 30) } });

    // Three days later (the old 8-hour target long gone) the customer writes again.
    const reopenedAt = new Date();
    const result = await db.$transaction((tx) => touchTicketForCustomerMessage(tx, ticket.id, reopenedAt));
    expect(result.reopened).toBe(true);
    const reopened = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(reopened.status).toBe("open");
    expect(reopened.resolutionDueAt?.toISOString()).toBe(new Date(reopenedAt.getTime() + 480 * MINUTE).toISOString());

    await runSlaSweep({ now: new Date(reopenedAt.getTime() + MINUTE) });
    expect(await escalationsOf(ticket.id)).toEqual([]);
    // The new target is watched like the first: missed, it escalates.
    await runSlaSweep({ now: new Date(reopenedAt.getTime() + 481 * MINUTE) });
    expect((await escalationsOf(ticket.id)).map((escalation) => escalation.slaEvent)).toEqual(["resolution_breach"]);
  });

  it("keep their target when only waiting on the customer (pending → open)", async () => {
    const { touchTicketForCustomerMessage } = await import("@/features/tickets/messages");
    const ticket = await premiumTicket();
    const before = (await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).resolutionDueAt;
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "pending" } });
    await db.$transaction((tx) => touchTicketForCustomerMessage(tx, ticket.id, after(ticket, 90)));
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).resolutionDueAt?.toISOString()).toBe(before?.toISOString());
  });
});
