import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import {
  addInternalNote,
  assignTicket,
  closeOwnTicket,
  createPortalTicket,
  getOwnTicket,
  replyAsAgent,
  replyAsCustomer,
  replyRecipient,
  updateTicket,
} from "@/features/tickets/desk";

async function person(role: "customer" | "agent", verified = true): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: `A ${role}`, role, emailVerifiedAt: verified ? new Date() : null } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: null };
}

const newTicket = { subject: "Printer is on fire", description: "Flames everywhere.", category: "problem", priority: "high" } as const;

describe("customer tickets", () => {
  it("refuses tickets until the email is verified", async () => {
    const unverified = await person("customer", false);
    await expect(createPortalTicket(unverified, newTicket)).rejects.toThrow(/Verify your email/);
    expect(await db.ticket.count({ where: { requesterUserId: unverified.userId } })).toBe(0);
  });

  it("shows a customer only their own tickets and never internal notes", async () => {
    const owner = await person("customer");
    const stranger = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    await addInternalNote(agent, { ticketId: ticket.id, body: "Customer sounds upset; check contract." });

    const seen = await getOwnTicket(owner, ticket.id);
    expect(seen?.messages.map((m) => m.body)).toEqual(["Flames everywhere."]);
    expect(await getOwnTicket(stranger, ticket.id)).toBeNull();
    await expect(replyAsCustomer(stranger, { ticketId: ticket.id, body: "me too" })).rejects.toThrow("That ticket does not exist.");
    await expect(closeOwnTicket(stranger, ticket.id)).rejects.toThrow("That ticket does not exist.");
    expect(await db.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(2);
  });

  it("reopens a solved ticket when the customer replies, and refuses replies once closed", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
    await replyAsCustomer(owner, { ticketId: ticket.id, body: "Still burning." });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("open");
    await closeOwnTicket(owner, ticket.id);
    await expect(replyAsCustomer(owner, { ticketId: ticket.id, body: "again" })).rejects.toThrow(/closed/);
  });
});

describe("agent replies", () => {
  it("sends the reply by email through the outbox, threaded, and records the first response", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    const first = await replyAsAgent(agent, { ticketId: ticket.id, body: "We are on it." });
    const second = await replyAsAgent(agent, { ticketId: ticket.id, body: "Fixed." });
    expect(first.emailedTo).toBe(owner.email);

    const messages = await db.ticketMessage.findMany({
      where: { id: { in: [first.messageId, second.messageId] } },
      include: { outbox: true },
      orderBy: { createdAt: "asc" },
    });
    const [a, b] = messages;
    expect(a!.deliveryStatus === "queued" || a!.deliveryStatus === "sent").toBe(true);
    expect(a!.outbox?.recipient).toBe(owner.email);
    expect(a!.outbox?.subject).toMatch(new RegExp(`\\[VD-${ticket.number}\\]`));
    const headersB = b!.outbox?.headers as Record<string, string>;
    expect(headersB["In-Reply-To"]).toBe(a!.emailMessageId);
    expect(headersB["Message-ID"]).toBe(b!.emailMessageId);

    const updated = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(updated.firstResponseAt).not.toBeNull();
    expect(updated.status).toBe("open");
  });

  it("does not email a phone requester, and refuses unknown tickets and non-staff assignees", async () => {
    const agent = await person("agent");
    const customer = await person("customer");
    const phoneTicket = await db.ticket.create({ data: { subject: "Call", channel: "phone", requesterAddress: "+447700900123" } });
    expect((await replyAsAgent(agent, { ticketId: phoneTicket.id, body: "Noted." })).emailedTo).toBeNull();
    await expect(replyAsAgent(agent, { ticketId: randomUUID(), body: "x" })).rejects.toThrow("That ticket does not exist.");
    await expect(assignTicket(agent, { ticketId: phoneTicket.id, assigneeId: customer.userId })).rejects.toThrow(/active staff/);
    await assignTicket(agent, { ticketId: phoneTicket.id, assigneeId: agent.userId });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: phoneTicket.id } })).assigneeId).toBe(agent.userId);
  });
});

describe("an address mail cannot go to (issue 9: ops@intranet)", () => {
  it("is refused by the one rule, so the reply is saved, nothing is queued, and the result says why", async () => {
    const agent = await person("agent");
    const ticket = await db.ticket.create({ data: { subject: "Intranet down", channel: "email", requesterAddress: "ops@intranet" } });
    const reply = await replyAsAgent(agent, { ticketId: ticket.id, body: "Looking into it." });
    expect(reply.emailedTo).toBeNull();
    expect(reply.notEmailedBecause).toBe("ops@intranet is not an address mail can be sent to");
    expect(replyRecipient(ticket.requesterAddress)).toEqual({ to: null, notEmailedBecause: "ops@intranet is not an address mail can be sent to" });
    const message = await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.messageId } });
    expect(message.outboxMessageId).toBeNull();
    expect(message.deliveryStatus).toBeNull();
  });

  it("the phone requester's reason, and a sendable address's recipient, come from the same place", async () => {
    expect(replyRecipient("+447700900123")).toEqual({ to: null, notEmailedBecause: "the requester has no email address" });
    expect(replyRecipient(null)).toEqual({ to: null, notEmailedBecause: "the requester has no email address" });
    expect(replyRecipient("kim@northwind.example")).toEqual({ to: "kim@northwind.example", notEmailedBecause: null });
  });
});

describe("reopening restarts the resolution target", () => {
  it("when the customer replies in the portal or an agent sets a solved ticket back to open", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    for (const reopen of ["customer", "agent"] as const) {
      const ticket = await createPortalTicket(owner, newTicket);
      const oldDue = new Date("2020-01-01T08:00:00Z");
      await db.ticket.update({ where: { id: ticket.id }, data: { status: "solved", solvedAt: new Date(), resolutionDueAt: oldDue } });
      const before = Date.now();
      if (reopen === "customer") await replyAsCustomer(owner, { ticketId: ticket.id, body: "It broke again." });
      else await updateTicket(agent, { ticketId: ticket.id, status: "open" });
      const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect(after.status).toBe("open");
      expect(after.slaScope).not.toBeNull();
      expect(after.resolutionDueAt!.getTime()).toBeGreaterThan(before);
    }
    // A change between open statuses leaves the target alone.
    const steady = await createPortalTicket(owner, newTicket);
    const due = (await db.ticket.findUniqueOrThrow({ where: { id: steady.id } })).resolutionDueAt;
    await updateTicket(agent, { ticketId: steady.id, status: "on_hold" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: steady.id } })).resolutionDueAt?.toISOString()).toBe(due?.toISOString());
  });
});
