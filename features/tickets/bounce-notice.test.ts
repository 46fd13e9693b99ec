import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { bounceNoticeForTicket } from "@/features/tickets/bounce-notice";

const at = (iso: string) => new Date(iso);

async function customerWithAddresses() {
  const tag = randomUUID().slice(0, 8);
  const customer = await db.customer.create({ data: { accountNumber: `BN-${tag}`, name: "Northwind Ltd" } });
  const address = (local: string) => `${local}-${tag}@northwind.example`;
  await db.customerEmail.createMany({
    data: [
      { customerId: customer.id, address: address("casey"), normalized: address("casey"), isPrimary: true, deliverability: "bouncing" },
      { customerId: customer.id, address: address("alias"), normalized: address("alias") },
      { customerId: customer.id, address: address("verified"), normalized: address("verified"), verifiedAt: at("2026-01-01T00:00:00Z") },
      { customerId: customer.id, address: address("complained"), normalized: address("complained"), deliverability: "complained" },
    ],
  });
  const ticket = await db.ticket.create({ data: { subject: "Invoice", channel: "email", customerId: customer.id, requesterAddress: address("casey") } });
  return { ticket, address };
}

/** An agent's emailed reply whose delivery outcome came back as `status`. */
async function reply(ticketId: string, recipient: string, status: "queued" | "delivered" | "bounced", createdAt: string, detail?: string) {
  const outbox = await db.outboxMessage.create({ data: { channel: "email", kind: "ticket-reply", recipient, subject: "Re: Invoice", textBody: "…" } });
  return db.ticketMessage.create({
    data: {
      ticketId,
      kind: "public_reply",
      body: "Reply",
      outboxMessageId: outbox.id,
      deliveryStatus: status,
      deliveryDetail: detail,
      createdAt: at(createdAt),
    },
  });
}

describe("bounceNoticeForTicket", () => {
  it("says nothing for a ticket whose replies never bounced", async () => {
    const { ticket, address } = await customerWithAddresses();
    expect(await bounceNoticeForTicket(ticket.id)).toBeNull();
    await reply(ticket.id, address("casey"), "delivered", "2026-03-01T10:00:00Z");
    expect(await bounceNoticeForTicket(ticket.id)).toBeNull();
  });

  it("names the bounced reply and offers the customer's other deliverable addresses, verified first", async () => {
    const { ticket, address } = await customerWithAddresses();
    await reply(ticket.id, address("casey"), "delivered", "2026-03-01T10:00:00Z");
    const bounced = await reply(ticket.id, address("casey"), "bounced", "2026-03-02T10:00:00Z", "550 5.1.1 mailbox unavailable");
    // A reply still on its way has no outcome yet: it neither shows nor ends the notice.
    await reply(ticket.id, address("casey"), "queued", "2026-03-03T10:00:00Z");
    expect(await bounceNoticeForTicket(ticket.id)).toEqual({
      ticketMessageId: bounced.id,
      bouncedAddress: address("casey"),
      detail: "550 5.1.1 mailbox unavailable",
      alternatives: [
        { address: address("verified"), isPrimary: false, verified: true },
        { address: address("alias"), isPrimary: false, verified: false },
      ],
    });
  });

  it("ends once a later reply is delivered, and comes back if a later one bounces again", async () => {
    const { ticket, address } = await customerWithAddresses();
    await reply(ticket.id, address("casey"), "bounced", "2026-03-01T10:00:00Z");
    await reply(ticket.id, address("alias"), "delivered", "2026-03-02T10:00:00Z");
    expect(await bounceNoticeForTicket(ticket.id)).toBeNull();
    const again = await reply(ticket.id, address("alias"), "bounced", "2026-03-03T10:00:00Z");
    expect((await bounceNoticeForTicket(ticket.id))?.ticketMessageId).toBe(again.id);
  });
});
