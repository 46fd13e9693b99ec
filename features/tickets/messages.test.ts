import { describe, expect, it } from "vitest";
import { db, type TicketStatus } from "@/platform/db/client";
import { appendInboundMessage, createTicketFromEmail } from "@/features/tickets/messages";

async function ticketIn(status: TicketStatus) {
  const past = new Date(Date.now() - 3600_000);
  return db.ticket.create({ data: { subject: "S", channel: "email", status, lastActivityAt: past, solvedAt: status === "solved" ? past : null } });
}

describe("createTicketFromEmail", () => {
  it("opens a new email ticket whose first message is the email", async () => {
    const { ticket, message } = await db.$transaction((tx) =>
      createTicketFromEmail(tx, {
        subject: "Hi",
        requesterAddress: "Ada@Example.org",
        requesterName: "Ada",
        customerId: null,
        requesterUserId: null,
        body: "Hello",
        emailMessageId: null,
      }),
    );
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({
      channel: "email",
      status: "new",
      requesterAddress: "Ada@Example.org",
      requesterName: "Ada",
    });
    expect(await db.ticketMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      kind: "public_reply",
      authorAddress: "Ada@Example.org",
      body: "Hello",
      deliveryStatus: null,
    });
  });
});

describe("appendInboundMessage", () => {
  it.each([
    ["solved", "open", true],
    ["pending", "open", true],
    ["new", "new", false],
    ["open", "open", false],
    ["on_hold", "on_hold", false],
  ] as const)("a customer's email on a %s ticket leaves it %s (reopened: %s) and bumps its activity", async (before, after, reopened) => {
    const ticket = await ticketIn(before);
    const result = await db.$transaction((tx) =>
      appendInboundMessage(tx, { ticketId: ticket.id, body: "More", authorAddress: "a@example.org", emailMessageId: null }),
    );
    expect(result.reopened).toBe(reopened);
    const stored = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(stored.status).toBe(after);
    expect(stored.lastActivityAt.getTime()).toBeGreaterThan(ticket.lastActivityAt.getTime());
    if (reopened) {
      expect(stored.solvedAt).toBeNull();
      expect(await db.auditEvent.count({ where: { action: "ticket.reopened", subjectId: ticket.id } })).toBe(1);
    }
  });
});
