import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { backfillProgressText } from "./format";
import { readSlaBackfillProgress, runSlaSweep } from "./job";

/**
 * A backlog of tickets without due times (an import, an upgrade): the sweep must work through it
 * in bounded transactions, never one that outlives its timeout, and say how far it got.
 */

const BACKLOG = 3_000;

/** Set-based: thousands of tickets in one statement, all two days old and without due times. */
async function insertBacklog(count: number, createdAt: Date): Promise<string> {
  const id = randomUUID().slice(0, 8);
  const customer = await db.customer.create({
    data: {
      accountNumber: `BACKLOG-${id}`,
      name: `Backlog customer ${id}`,
      agreements: { create: { reference: `BACKLOG-AG-${id}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
  await db.$executeRaw`
    INSERT INTO "Ticket" ("id", "subject", "channel", "status", "customerId", "createdAt", "updatedAt", "lastActivityAt")
    SELECT gen_random_uuid(), 'Imported ' || g, 'email', 'open', ${customer.id}::uuid, ${createdAt}, ${createdAt}, ${createdAt}
    FROM generate_series(1, ${count}) AS g`;
  return customer.id;
}

describe("the SLA sweep on a backlog", () => {
  it("fills in thousands of due times in bounded batches, escalates them, and reports progress", async () => {
    const createdAt = new Date(Date.now() - 2 * 24 * 60 * 60_000);
    // Other files' tickets share this database: some open ones may have no due times either.
    const before = await db.ticket.count({ where: { slaScope: null, status: { notIn: ["solved", "closed"] } } });
    const customerId = await insertBacklog(BACKLOG, createdAt);
    const now = new Date();

    // A small batch and a tiny budget: the first sweep must stop part-way and say so.
    const first = await runSlaSweep({ now, batchSize: 500, budgetMs: 1 });
    expect(first.batches.every((size) => size <= 500)).toBe(true);
    expect(first.backfilled).toBeGreaterThan(0);
    expect(first.backfilled).toBeLessThan(BACKLOG);
    const midway = await readSlaBackfillProgress();
    expect(midway).toMatchObject({ total: before + BACKLOG, remaining: before + BACKLOG - first.backfilled });
    expect(midway?.lastSweepAt).toBeInstanceOf(Date);
    expect(midway?.finishedAt).toBeNull();

    // Then sweeps with the normal budget finish it, every transaction ≤ 500 tickets.
    let sweeps = 1;
    let remaining = midway?.remaining ?? 0;
    while (remaining > 0 && sweeps < 20) {
      const summary = await runSlaSweep({ now, batchSize: 500 });
      expect(summary.batches.every((size) => size <= 500)).toBe(true);
      remaining = summary.remaining;
      sweeps += 1;
    }
    expect(remaining).toBe(0);
    expect(await readSlaBackfillProgress()).toMatchObject({ total: before + BACKLOG, remaining: 0 });

    const tickets = await db.ticket.findMany({ where: { customerId }, select: { slaScope: true, firstResponseDueAt: true, resolutionDueAt: true } });
    expect(tickets.every((ticket) => ticket.slaScope === "premium")).toBe(true);
    expect(tickets[0]?.firstResponseDueAt).toEqual(new Date(createdAt.getTime() + 60 * 60_000));
    expect(tickets[0]?.resolutionDueAt).toEqual(new Date(createdAt.getTime() + 480 * 60_000));

    // Every backfilled ticket is two days old: both targets were missed, each escalated once.
    for (let i = 0; i < 20; i++) if ((await runSlaSweep({ now, batchSize: 500 })).escalated === 0) break;
    const escalations = await db.escalation.count({ where: { ticket: { customerId } } });
    expect(escalations).toBe(2 * BACKLOG);
    expect(await db.ticketMessage.count({ where: { ticket: { customerId }, kind: "internal_note" } })).toBe(2 * BACKLOG);
  }, 120_000);
});

describe("the backlog's progress, as supervisors read it", () => {
  it("counts down, then says when it finished", () => {
    const lastSweepAt = new Date("2026-03-02T12:03:30Z");
    expect(backfillProgressText({ total: 100_000, remaining: 41_200, lastSweepAt, finishedAt: null })).toBe(
      "Filling in due times: 41,200 of 100,000 tickets left; last sweep 12:03 UTC.",
    );
    expect(backfillProgressText({ total: 100_000, remaining: 0, lastSweepAt, finishedAt: lastSweepAt })).toBe(
      "Due times filled in for 100,000 tickets; finished 12:03 UTC.",
    );
  });
});
