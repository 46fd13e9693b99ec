import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { acceptHeldEmail, HeldEmailError, listHeldEmails, rejectHeldEmail } from "@/features/tickets/inbound/held-email";
import { heldReasonFor, receiveInboundEmail, type InboundEmailInput } from "@/features/tickets/inbound/inbound";
import { failingAuth, makeCustomer, messageId, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";
import { senderAuthenticationFrom } from "@/features/tickets/inbound/authentication-results";

async function agent() {
  const user = await db.user.create({ data: { email: `agent-${randomUUID()}@veridesk.test`, name: "Agent", role: "agent" } });
  return { userId: user.id, role: user.role };
}

function spoof(domain: string, overrides: Partial<InboundEmailInput> = {}): InboundEmailInput {
  return {
    source: "json",
    from: { address: `ceo@${domain}`, name: "The CEO" },
    to: ["support@veridesk.test"],
    subject: "Please change my bank details",
    text: "New IBAN attached.",
    html: null,
    messageId: messageId(),
    inReplyTo: null,
    references: [],
    headers: [["authentication-results", failingAuth(domain)]],
    attachments: [{ filename: "iban.pdf", contentType: "application/pdf", content: new Uint8Array(Buffer.from("%PDF fake iban")) }],
    ...overrides,
  };
}

async function heldSpoof(overrides: Partial<InboundEmailInput> = {}) {
  const domain = uniqueDomain();
  const customer = await makeCustomer([{ address: `ceo@${domain}`, isPrimary: true }]);
  const outcome = await receiveInboundEmail(spoof(domain, overrides));
  if (outcome.status !== "held") throw new Error(`expected held, got ${outcome.status}`);
  return { domain, customer, id: outcome.inboundEmailId };
}

describe("held emails", () => {
  it("are listed with their reason, checks and attachment names, and nothing is in a ticket", async () => {
    const { id, customer } = await heldSpoof();
    const listed = (await listHeldEmails(200)).find((email) => email.id === id);
    expect(listed).toMatchObject({
      subject: "Please change my bank details",
      fromName: "The CEO",
      textPreview: "New IBAN attached.",
      auth: { spf: "softfail", dkim: "none", dmarc: "fail" },
      customer: { id: customer.id, name: customer.name, accountNumber: customer.accountNumber },
      attachments: [{ filename: "iban.pdf", sizeBytes: 14 }],
    });
    // Read through raw SQL: the same instant as Prisma reads it.
    expect(listed!.receivedAt.toISOString()).toBe((await db.inboundEmail.findUniqueOrThrow({ where: { id } })).receivedAt.toISOString());
    expect(listed!.heldReason).toMatch(/DMARC/);
    expect(await db.ticket.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await db.ticketAttachment.count({ where: { filename: "iban.pdf", message: { ticket: { customerId: customer.id } } } })).toBe(0);
  });

  it("accept: the ticket appears with the message and its attachment, audited; a second decision is refused", async () => {
    const { id, customer } = await heldSpoof();
    const actor = await agent();
    const result = await acceptHeldEmail(id, actor);
    expect(result.created).toBe(true);
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: result.ticketId }, include: { messages: { include: { attachments: true } } } });
    expect(ticket).toMatchObject({
      number: result.ticketNumber,
      customerId: customer.id,
      channel: "email",
      status: "new",
      requesterAddress: expect.stringMatching(/^ceo@/),
    });
    expect(ticket.messages).toHaveLength(1);
    expect(ticket.messages[0]!.body).toBe("New IBAN attached.");
    expect(ticket.messages[0]!.attachments.map((a) => [a.filename, a.contentType, Buffer.from(a.content).toString()])).toEqual([
      ["iban.pdf", "application/pdf", "%PDF fake iban"],
    ]);

    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { id } });
    expect(inbound).toMatchObject({ status: "accepted", decidedById: actor.userId, ticketId: ticket.id, ticketMessageId: ticket.messages[0]!.id });
    expect(inbound.authResults).not.toHaveProperty("heldAttachments");
    expect(await db.auditEvent.count({ where: { action: "inbound_email.accepted", subjectId: id, actorUserId: actor.userId } })).toBe(1);
    expect((await listHeldEmails(200)).some((email) => email.id === id)).toBe(false);

    await expect(acceptHeldEmail(id, actor)).rejects.toMatchObject({ code: "conflict" });
    await expect(rejectHeldEmail(id, actor, "changed my mind")).rejects.toBeInstanceOf(HeldEmailError);
  });

  it("accept of a held reply adds it to the ticket it answers", async () => {
    const domain = uniqueDomain();
    const customer = await makeCustomer([{ address: `ceo@${domain}`, isPrimary: true }]);
    const ticket = await db.ticket.create({
      data: { subject: "Bank", channel: "email", status: "solved", solvedAt: new Date(), customerId: customer.id, requesterAddress: `ceo@${domain}` },
    });
    const outcome = await receiveInboundEmail(spoof(domain, { subject: `Re: [VD-${ticket.number}] Bank`, attachments: [] }));
    expect(outcome.status).toBe("held");
    expect(await db.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(0);
    const result = await acceptHeldEmail((outcome as { inboundEmailId: string }).inboundEmailId, await agent());
    expect(result).toMatchObject({ ticketId: ticket.id, created: false });
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({ status: "open" });
  });

  it("reject: stays out of every ticket, attachment content dropped, reason audited", async () => {
    const { id, customer } = await heldSpoof();
    const actor = await agent();
    await expect(rejectHeldEmail(id, actor, " ")).rejects.toMatchObject({ code: "invalid" });
    await rejectHeldEmail(id, actor, "CEO confirmed by phone that he did not send this");
    const inbound = await db.inboundEmail.findUniqueOrThrow({ where: { id } });
    expect(inbound).toMatchObject({ status: "rejected", ticketId: null, ticketMessageId: null, decidedById: actor.userId });
    expect(inbound.authResults).not.toHaveProperty("heldAttachments");
    expect(inbound.authResults).toMatchObject({ droppedAttachments: [{ filename: "iban.pdf", sizeBytes: 14 }] });
    expect(await db.ticket.count({ where: { customerId: customer.id } })).toBe(0);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "inbound_email.rejected", subjectId: id } });
    // Ids only in the append-only audit log: the free-text reason can name the person.
    expect(audit.details).toEqual({ reasonGiven: true });
    await expect(acceptHeldEmail(id, actor)).rejects.toMatchObject({ code: "conflict" });
    await expect(acceptHeldEmail(randomUUID(), actor)).rejects.toMatchObject({ code: "not_found" });
  });

  it("two agents deciding at once: exactly one wins", async () => {
    const { id } = await heldSpoof();
    const [a, b] = [await agent(), await agent()];
    const results = await Promise.allSettled([acceptHeldEmail(id, a), rejectHeldEmail(id, b, "looks forged to me")]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await db.ticketMessage.count({ where: { inboundEmail: { id } } })).toBeLessThanOrEqual(1);
  });
});

describe("heldReasonFor", () => {
  const auth = (header: string) => senderAuthenticationFrom([["authentication-results", header]]);
  it("states the reason in plain words, naming the address and what failed", () => {
    expect(heldReasonFor(auth("mx; dmarc=fail header.from=example.com"), "jane@example.com")).toMatch(
      /^This email claims to come from jane@example\.com, an address on a customer record, but it failed example\.com's DMARC check/,
    );
    expect(heldReasonFor(auth("mx; spf=softfail smtp.mailfrom=example.com; dkim=none"), "jane@example.com")).toMatch(
      /carries no DKIM signature and the sending server is not one example\.com allows \(SPF softfail\)/,
    );
    expect(heldReasonFor(auth("mx; spf=pass smtp.mailfrom=example.com; dkim=none"), "jane@example.com")).toBeNull();
    expect(heldReasonFor(auth("mx; spf=neutral; dkim=temperror"), "jane@example.com")).toBeNull();
  });
});
