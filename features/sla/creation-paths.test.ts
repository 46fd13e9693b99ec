import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { DEMO_DATA_LOCK, SLA_POLICIES_LOCK, holdTestLock } from "@/platform/testing/test-lock";
import { DEMO_TICKETS } from "@/features/demo/demo-data";
import { createPortalTicket } from "@/features/tickets/desk";
import { receiveInboundEmail } from "@/features/tickets/inbound/inbound";
import { makeCustomer, messageId, passingAuth, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";
import { seedDemoData } from "@/prisma/seed";

const MINUTE = 60_000;
const dueTimes = (id: string) =>
  db.ticket.findUniqueOrThrow({ where: { id }, select: { slaScope: true, createdAt: true, firstResponseDueAt: true, resolutionDueAt: true } });

describe("every ticket creation path sets SLA due times", () => {
  it("a portal ticket of a premium customer", async () => {
    const id = randomUUID().slice(0, 8);
    const customer = await db.customer.create({
      data: {
        accountNumber: `CP-${id}`,
        name: "Portal",
        agreements: { create: { reference: `CP-AG-${id}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
      },
    });
    const email = `${id}@example.com`;
    const user = await db.user.create({ data: { email, name: "Portal user", role: "customer", emailVerifiedAt: new Date(), customerId: customer.id } });
    const actor: Actor = { sessionId: randomUUID(), userId: user.id, role: "customer", name: user.name, email, customerId: customer.id };
    const ticket = await createPortalTicket(actor, { subject: "Broken", description: "It broke.", category: "problem", priority: "normal" });
    const sla = await dueTimes(ticket.id);
    expect(sla.slaScope).toBe("premium");
    expect(sla.firstResponseDueAt).toEqual(new Date(sla.createdAt.getTime() + 60 * MINUTE));
  });

  it("a ticket from an email of someone without an agreement", async () => {
    const address = `kim@${uniqueDomain()}`;
    await makeCustomer([{ address, isPrimary: true }]);
    const outcome = await receiveInboundEmail({
      source: "json",
      from: { address, name: null },
      to: ["support@veridesk.test"],
      subject: "Help",
      text: "Please.",
      html: null,
      messageId: messageId(),
      inReplyTo: null,
      references: [],
      headers: [["authentication-results", passingAuth(address.split("@")[1]!)]],
      attachments: [],
    });
    if (outcome.status !== "ticket_created") throw new Error(`expected a ticket, got ${outcome.status}`);
    const sla = await dueTimes(outcome.ticketId);
    expect(sla.slaScope).toBe("no_agreement");
    expect(sla.resolutionDueAt).toEqual(new Date(sla.createdAt.getTime() + 4320 * MINUTE));
  });

  it("the demo tickets, from their back-dated opening", async () => {
    // features/demo/demo-data.test.ts seeds the same rows at this instant (the seed keeps rows that are
    // there), so the times are read against it, never the clock; and seeded under the default policies.
    const seededAt = new Date("2026-11-20T10:30:00Z");
    const releaseDemo = await holdTestLock(DEMO_DATA_LOCK);
    const releasePolicies = await holdTestLock(SLA_POLICIES_LOCK);
    try {
      await seedDemoData(db, { now: seededAt });
    } finally {
      await releasePolicies();
    }
    const tickets = await db.ticket.findMany({
      where: { number: { in: DEMO_TICKETS.map((t) => t.number) } },
      select: { slaScope: true, firstResponseDueAt: true },
    });
    expect(tickets).toHaveLength(DEMO_TICKETS.length);
    for (const ticket of tickets) expect(ticket.slaScope).not.toBeNull();
    // Some demo tickets are already past their first-response target, some are not yet.
    const now = seededAt.getTime();
    expect(tickets.some((t) => t.firstResponseDueAt!.getTime() < now)).toBe(true);
    expect(tickets.some((t) => t.firstResponseDueAt!.getTime() > now)).toBe(true);
    await releaseDemo();
  });
});
