import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { receiveInboundEmail, type InboundEmailInput } from "@/features/tickets/inbound/inbound";
import { makeCustomer, messageId, passingAuth, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";

function email(from: string, overrides: Partial<InboundEmailInput> = {}): InboundEmailInput {
  const domain = from.split("@")[1]!;
  return {
    source: "json",
    from: { address: from, name: null },
    to: ["support@veridesk.test"],
    subject: "The label printer prints blank labels",
    text: "Since this morning.",
    html: null,
    messageId: messageId(),
    inReplyTo: null,
    references: [],
    headers: [["authentication-results", passingAuth(domain)]],
    attachments: [],
    ...overrides,
  };
}

describe("out-of-office and other automatic replies", () => {
  it("are kept on their ticket but do not reopen or bump it; a person's reply does", async () => {
    const address = `kim@${uniqueDomain()}`;
    await makeCustomer([{ address, isPrimary: true }]);
    const first = email(address);
    const created = await receiveInboundEmail(first);
    if (created.status !== "ticket_created") throw new Error(`expected a ticket, got ${created.status}`);
    const solvedAt = new Date(Date.now() - 60_000);
    await db.ticket.update({ where: { id: created.ticketId }, data: { status: "solved", solvedAt, lastActivityAt: solvedAt } });

    const outOfOffice = await receiveInboundEmail(
      email(address, {
        subject: "Automatic reply: The label printer prints blank labels",
        text: "I am out of the office until Monday.",
        inReplyTo: first.messageId,
        headers: [
          ["auto-submitted", "auto-replied"],
          ["authentication-results", passingAuth(address.split("@")[1]!)],
        ],
      }),
    );
    expect(outOfOffice).toMatchObject({ status: "message_added", ticketId: created.ticketId, reopened: false });
    const afterAutoReply = await db.ticket.findUniqueOrThrow({ where: { id: created.ticketId } });
    expect(afterAutoReply.status).toBe("solved");
    expect(afterAutoReply.lastActivityAt.toISOString()).toBe(solvedAt.toISOString());
    expect(await db.ticketMessage.count({ where: { ticketId: created.ticketId, body: "I am out of the office until Monday." } })).toBe(1);

    const person = await receiveInboundEmail(
      email(address, { subject: "Re: The label printer prints blank labels", text: "Still broken.", inReplyTo: first.messageId }),
    );
    expect(person).toMatchObject({ status: "message_added", reopened: true });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: created.ticketId } })).status).toBe("open");
  });
});

describe("the sender's address", () => {
  it("is held to the one rule the reply service sends by: mail from ops@intranet is refused, not filed unanswerable", async () => {
    await expect(receiveInboundEmail(email("ops@intranet"))).rejects.toThrow("The email has no valid From address.");
  });
});

describe("an answer to a finished ticket", () => {
  it.each([
    ["solved longer ago than the reopen window", { status: "solved" as const, solvedAt: new Date(Date.now() - 30 * 86_400_000) }],
    ["closed", { status: "closed" as const, solvedAt: new Date(Date.now() - 60_000) }],
  ])("to a ticket %s opens an acknowledged follow-up ticket, as the portal does; the old ticket stays as it was", async (_what, finished) => {
    const address = `kim@${uniqueDomain()}`;
    await makeCustomer([{ address, isPrimary: true }]);
    const first = email(address);
    const created = await receiveInboundEmail(first);
    if (created.status !== "ticket_created") throw new Error(`expected a ticket, got ${created.status}`);
    await db.ticket.update({ where: { id: created.ticketId }, data: finished });

    for (const answer of [
      email(address, { subject: "Re: The label printer prints blank labels", text: "It is back.", inReplyTo: first.messageId }),
      email(address, { subject: `Re: [VD-${created.ticketNumber}] The label printer`, text: "Still back." }),
    ]) {
      const outcome = await receiveInboundEmail(answer);
      if (outcome.status !== "ticket_created") throw new Error(`expected a follow-up ticket, got ${outcome.status}`);
      const followUp = await db.ticket.findUniqueOrThrow({ where: { id: outcome.ticketId } });
      expect(followUp.followUpToTicketId).toBe(created.ticketId);
      const acknowledgements = await db.outboxMessage.findMany({ where: { recipient: address, kind: "ticket-acknowledgement" } });
      expect(acknowledgements.map((ack) => ack.subject)).toContain(`[VD-${outcome.ticketNumber}] We received your request`);
    }
    const old = await db.ticket.findUniqueOrThrow({ where: { id: created.ticketId } });
    expect(old.status).toBe(finished.status);
    expect(await db.ticketMessage.count({ where: { ticketId: created.ticketId } })).toBe(1);
  });
});
