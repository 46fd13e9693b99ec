import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { getTicketForStaff } from "@/features/tickets/staff-ticket";

/** What the page read before, through Prisma: the prepared statements must answer the same. */
async function throughPrisma(ticketId: string) {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    include: {
      assignee: { select: { id: true, name: true } },
      followUpTo: { select: { id: true, number: true, subject: true } },
      followUps: { select: { id: true, number: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      customer: { select: { name: true } },
      messages: {
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        include: {
          author: { select: { name: true, role: true } },
          authorApiToken: { select: { name: true } },
          attachments: { select: { id: true, filename: true, sizeBytes: true, contentType: true }, orderBy: { id: "asc" } },
          inboundEmail: { select: { textBody: true } },
        },
      },
    },
  });
  if (!ticket) return null;
  return {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    channel: ticket.channel,
    status: ticket.status,
    priority: ticket.priority,
    customerId: ticket.customerId,
    requesterAddress: ticket.requesterAddress,
    requesterName: ticket.requesterName,
    createdAt: ticket.createdAt,
    firstResponseAt: ticket.firstResponseAt,
    firstResponseDueAt: ticket.firstResponseDueAt,
    resolutionDueAt: ticket.resolutionDueAt,
    solvedAt: ticket.solvedAt,
    slaPausedAt: ticket.slaPausedAt,
    slaScope: ticket.slaScope,
    assignee: ticket.assignee,
    customer: ticket.customer,
    followUpTo: ticket.followUpTo,
    followUps: ticket.followUps,
    messages: ticket.messages.map((message) => ({
      id: message.id,
      kind: message.kind,
      body: message.body,
      createdAt: message.createdAt,
      authorAddress: message.authorAddress,
      authorApiTokenId: message.authorApiTokenId,
      deliveryStatus: message.deliveryStatus,
      deliveryDetail: message.deliveryDetail,
      author: message.author,
      authorApiToken: message.authorApiToken,
      attachments: message.attachments,
      inboundEmail: message.inboundEmail,
    })),
  };
}

const at = (iso: string) => new Date(iso);
const originalZone = process.env.TZ;
afterEach(() => {
  // Assigning undefined would store the string "undefined", an unknown zone.
  if (originalZone === undefined) delete process.env.TZ;
  else process.env.TZ = originalZone;
});

describe("getTicketForStaff", () => {
  it("answers what the Prisma include answered: assignee, customer, follow-ups, authors, API token, attachments, the whole email, SLA times", async () => {
    const agent = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Dana Agent", role: "agent" } });
    const requester = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Casey Customer", role: "customer" } });
    const customer = await db.customer.create({ data: { accountNumber: `ST-${randomUUID()}`, name: "Northwind Ltd" } });
    const token = await db.apiToken.create({ data: { name: "CRM sync", prefix: "vd_st0000", tokenHash: randomUUID(), scopes: ["tickets:write"] } });
    const earlier = await db.ticket.create({ data: { subject: "Earlier problem", channel: "email", status: "solved" } });
    const ticket = await db.ticket.create({
      data: {
        subject: "Invoice total is wrong",
        channel: "email",
        status: "pending",
        priority: "high",
        customerId: customer.id,
        requesterUserId: requester.id,
        requesterAddress: "casey@northwind.example",
        requesterName: "Casey",
        assigneeId: agent.id,
        followUpToTicketId: earlier.id,
        createdAt: at("2026-03-29T00:30:00.123Z"),
        firstResponseAt: at("2026-03-29T01:00:00.456Z"),
        firstResponseDueAt: at("2026-03-29T02:00:00.000Z"),
        resolutionDueAt: at("2026-11-01T05:59:59.999Z"),
        slaPausedAt: at("2026-10-25T01:30:00.000Z"),
        slaScope: "priority:high",
      },
    });
    const laterA = await db.ticket.create({
      data: { subject: "Follow-up A", channel: "web", followUpToTicketId: ticket.id, createdAt: at("2026-04-01T00:00:00Z") },
    });
    const laterB = await db.ticket.create({
      data: { subject: "Follow-up B", channel: "web", followUpToTicketId: ticket.id, createdAt: at("2026-04-02T00:00:00Z") },
    });

    const same = at("2026-03-29T00:30:00.123Z");
    const byCustomer = await db.ticketMessage.create({
      data: {
        ticketId: ticket.id,
        kind: "public_reply",
        authorUserId: requester.id,
        authorAddress: "casey@northwind.example",
        body: "New text only",
        createdAt: same,
      },
    });
    await db.inboundEmail.create({
      data: {
        source: "test",
        fromAddress: "casey@northwind.example",
        subject: "Invoice total is wrong",
        textBody: "New text only\n\n> quoted earlier mail",
        authResults: {},
        status: "accepted",
        ticketId: ticket.id,
        ticketMessageId: byCustomer.id,
      },
    });
    const byAgent = await db.ticketMessage.create({
      data: {
        ticketId: ticket.id,
        kind: "public_reply",
        authorUserId: agent.id,
        body: "Looking into it",
        deliveryStatus: "bounced",
        deliveryDetail: "550 no such user",
        createdAt: same,
      },
    });
    for (const filename of ["b.pdf", "a.png"]) {
      await db.ticketAttachment.create({
        data: { messageId: byAgent.id, filename, contentType: "application/pdf", sizeBytes: 1234, content: Buffer.from("x") },
      });
    }
    await db.ticketMessage.create({
      data: { ticketId: ticket.id, kind: "internal_note", authorApiTokenId: token.id, body: "Synced from the CRM", createdAt: at("2026-03-30T00:00:00Z") },
    });
    await db.ticketMessage.create({
      data: { ticketId: ticket.id, kind: "internal_note", body: "Escalated automatically", createdAt: at("2026-03-31T00:00:00Z") },
    });

    const expected = await throughPrisma(ticket.id);
    expect(expected?.messages).toHaveLength(4);
    expect(await getTicketForStaff(ticket.id)).toEqual(expected);
    // Spot checks, so a shared mistake in both readings would still show.
    const seen = await getTicketForStaff(ticket.id);
    expect(seen?.followUps.map((followUp) => followUp.id)).toEqual([laterA.id, laterB.id]);
    expect(seen?.followUpTo).toEqual({ id: earlier.id, number: earlier.number, subject: "Earlier problem" });
    expect(seen?.firstResponseAt?.toISOString()).toBe("2026-03-29T01:00:00.456Z");
    expect(seen?.messages.find((message) => message.id === byAgent.id)?.attachments.map((file) => file.filename)).toHaveLength(2);
    expect(seen?.messages.find((message) => message.id === byCustomer.id)?.inboundEmail?.textBody).toContain("quoted earlier mail");

    // Times are read right whatever the process's zone (around a daylight-saving change, too).
    process.env.TZ = "America/New_York";
    expect(await getTicketForStaff(ticket.id)).toEqual(expected);
    process.env.TZ = "Pacific/Chatham";
    expect((await getTicketForStaff(ticket.id))?.slaPausedAt?.toISOString()).toBe("2026-10-25T01:30:00.000Z");
  });

  it("answers a bare ticket with nothing attached, and null for one that does not exist", async () => {
    const ticket = await db.ticket.create({ data: { subject: "Bare", channel: "phone" } });
    const seen = await getTicketForStaff(ticket.id);
    expect(seen).toEqual(await throughPrisma(ticket.id));
    expect(seen).toMatchObject({ assignee: null, customer: null, followUpTo: null, followUps: [], messages: [] });
    expect(await getTicketForStaff(randomUUID())).toBeNull();
  });
});
