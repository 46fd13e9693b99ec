import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db, type NotificationKind, type Role } from "@/platform/db/client";
import { escalateTicket } from "@/features/escalations/service";
import { runSlaSweep } from "@/features/sla/job";
import { applySlaToTicket } from "@/features/sla/policies";
import { assignTicket, createPortalTicket, replyAsCustomer } from "@/features/tickets/desk";
import { receiveInboundEmail, UNAUTHENTICATED_SENDER, type InboundEmailInput } from "@/features/tickets/inbound/inbound";
import { failingAuth, makeCustomer, messageId, passingAuth, uniqueDomain } from "@/features/tickets/inbound/inbound-fixtures";
import { startConversationTicket } from "@/features/tickets/phone-tickets";
import { ACKNOWLEDGEMENTS_PER_SENDER_PER_HOUR, GLOBAL_EMAIL_ACKNOWLEDGEMENT_KEY } from "@/features/notifications/acknowledgement";
import { serverEnv } from "@/platform/env";
import { SLA_BREACH_EMAILS_PER_HOUR, SLA_BREACH_NEWS_WINDOW_MS } from "@/features/notifications/notify";
import {
  markAllNotificationsRead,
  markNotificationRead,
  notificationPreferences,
  recentNotifications,
  saveNotificationPreferences,
  unreadNotificationCount,
} from "@/features/notifications/service";

async function person(role: Role, name = `${role} ${randomUUID().slice(0, 6)}`): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name, email, customerId: null };
}

async function staffTicket(assigneeId: string | null = null) {
  return db.ticket.create({
    data: { subject: `Printer ${randomUUID().slice(0, 6)}`, channel: "email", requesterAddress: "kim@example.com", assigneeId },
    select: { id: true, number: true, subject: true },
  });
}

const notificationsOf = (userId: string, kind?: NotificationKind) =>
  db.notification.findMany({ where: { recipientId: userId, ...(kind ? { kind } : {}) }, select: { kind: true, ticketId: true, summary: true, readAt: true } });
const emailsTo = (address: string, kind?: string) =>
  db.outboxMessage.findMany({
    where: { recipient: address, ...(kind ? { kind } : {}) },
    select: { kind: true, subject: true, textBody: true, htmlBody: true, headers: true },
  });

describe("assignment", () => {
  it("notifies the assignee (bell and email) when someone else assigns them", async () => {
    const [lead, agent] = [await person("supervisor", "Jordan Lee"), await person("agent")];
    const ticket = await staffTicket();
    await assignTicket(lead, { ticketId: ticket.id, assigneeId: agent.userId });

    expect(await notificationsOf(agent.userId)).toEqual([
      { kind: "ticket_assigned", ticketId: ticket.id, summary: `Jordan Lee assigned VD-${ticket.number}: ${ticket.subject} to you`, readAt: null },
    ]);
    const [email] = await emailsTo(agent.email);
    expect(email).toMatchObject({ kind: "notification.ticket_assigned", subject: `Jordan Lee assigned VD-${ticket.number}: ${ticket.subject} to you` });
    expect(email!.textBody).toContain(`Jordan Lee assigned ticket VD-${ticket.number} to you.`);
    expect(email!.htmlBody).toContain(`/console/tickets/${ticket.id}`);
    expect(email!.headers).toMatchObject({ "Auto-Submitted": "auto-generated" });
    // Nothing for the person who assigned.
    expect(await notificationsOf(lead.userId)).toEqual([]);
  });

  it("notifies nobody when an agent assigns a ticket to themselves, or it already was theirs", async () => {
    const agent = await person("agent");
    const ticket = await staffTicket();
    await assignTicket(agent, { ticketId: ticket.id, assigneeId: agent.userId });
    const lead = await person("supervisor");
    await assignTicket(lead, { ticketId: ticket.id, assigneeId: agent.userId });
    expect(await notificationsOf(agent.userId)).toEqual([]);
    expect(await emailsTo(agent.email)).toEqual([]);
  });

  it("with the email preference off: the bell entry, no email", async () => {
    const [lead, agent] = [await person("supervisor"), await person("agent")];
    await saveNotificationPreferences(agent, ["customer_replied"]);
    const ticket = await staffTicket();
    await assignTicket(lead, { ticketId: ticket.id, assigneeId: agent.userId });
    expect(await notificationsOf(agent.userId, "ticket_assigned")).toHaveLength(1);
    expect(await emailsTo(agent.email)).toEqual([]);
  });
});

describe("a customer's reply", () => {
  async function portalCustomer() {
    const customer = await person("customer");
    return customer;
  }

  it("from the portal notifies the ticket's assignee, not other staff", async () => {
    const [agent, other, customer] = [await person("agent"), await person("agent"), await portalCustomer()];
    const ticket = await createPortalTicket(customer, { subject: "Invoice wrong", description: "Twice the amount.", category: "billing", priority: "normal" });
    await db.ticket.update({ where: { id: ticket.id }, data: { assigneeId: agent.userId } });
    await replyAsCustomer(customer, { ticketId: ticket.id, body: "Any news? It is urgent now." });

    const [notice] = await notificationsOf(agent.userId, "customer_replied");
    expect(notice).toMatchObject({ ticketId: ticket.id, summary: `${customer.name} replied on VD-${ticket.number}: Invoice wrong` });
    const [email] = await emailsTo(agent.email, "notification.customer_replied");
    expect(email!.textBody).toContain("Any news? It is urgent now.");
    expect(await notificationsOf(other.userId)).toEqual([]);
  });

  it("on an unassigned ticket notifies nobody", async () => {
    const customer = await portalCustomer();
    const ticket = await createPortalTicket(customer, { subject: "Question", description: "Hello?", category: "question", priority: "low" });
    await replyAsCustomer(customer, { ticketId: ticket.id, body: "Hello again." });
    expect(await db.notification.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it("by email notifies the assignee; an out-of-office answer does not", async () => {
    const agent = await person("agent");
    const address = `kim@${uniqueDomain()}`;
    await makeCustomer([{ address, isPrimary: true }]);
    const first = inbound(address);
    const created = await receiveInboundEmail(first);
    if (created.status !== "ticket_created") throw new Error(created.status);
    await db.ticket.update({ where: { id: created.ticketId }, data: { assigneeId: agent.userId } });

    await receiveInboundEmail(inbound(address, { text: "Away until Monday.", inReplyTo: first.messageId, headers: [["auto-submitted", "auto-replied"]] }));
    expect(await notificationsOf(agent.userId)).toEqual([]);

    await receiveInboundEmail(inbound(address, { text: "Still blank labels.", inReplyTo: first.messageId }));
    expect(await notificationsOf(agent.userId, "customer_replied")).toHaveLength(1);
    expect((await emailsTo(agent.email))[0]!.textBody).toContain("Still blank labels.");
  });
});

describe("escalations", () => {
  it("notify every supervisor but the one who raised it, and no agent", async () => {
    const [agent, bystander, supervisor, raisingSupervisor] = [
      await person("agent"),
      await person("agent"),
      await person("supervisor"),
      await person("supervisor"),
    ];
    const ticket = await staffTicket(agent.userId);
    const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Database error on their account page." });
    expect(await notificationsOf(supervisor.userId, "escalation_raised")).toEqual([
      expect.objectContaining({ ticketId: ticket.id, summary: `${agent.name} escalated VD-${ticket.number}: ${ticket.subject}` }),
    ]);
    expect((await emailsTo(supervisor.email, "notification.escalation_raised"))[0]!.textBody).toContain("Database error on their account page.");
    expect(await notificationsOf(agent.userId)).toEqual([]);
    expect(await notificationsOf(bystander.userId)).toEqual([]);
    expect(raised.ticketId).toBe(ticket.id);

    const other = await staffTicket();
    await escalateTicket(raisingSupervisor, { ticketId: other.id, reason: "technical", note: "Raised by a supervisor themselves." });
    expect(await db.notification.count({ where: { ticketId: other.id, recipientId: raisingSupervisor.userId } })).toBe(0);
    expect(await db.notification.count({ where: { ticketId: other.id, recipientId: supervisor.userId } })).toBe(1);
  });
});

describe("SLA breaches", () => {
  async function premiumTicket(createdAt: Date) {
    const id = randomUUID().slice(0, 8);
    const customer = await db.customer.create({
      data: {
        accountNumber: `NTF-${id}`,
        name: `Notify customer ${id}`,
        agreements: { create: { reference: `NTF-AG-${id}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
      },
    });
    const ticket = await db.ticket.create({
      data: { subject: `Breach ${id}`, channel: "email", customerId: customer.id, createdAt },
      select: { id: true, createdAt: true, subject: true },
    });
    await applySlaToTicket(db, ticket.id);
    return ticket;
  }

  it("notify each supervisor exactly once per breach, however many sweeps run, at once or again; warnings notify nobody", async () => {
    const supervisor = await person("supervisor");
    const agent = await person("agent");
    // Far in the past, each test its own day: the sweep sees every file's tickets, at the time it is given.
    const ticket = await premiumTicket(new Date(Date.now() - 10 * 24 * 3600_000));
    // Premium: first response due after 60 min, warning 15 min before.
    await runSlaSweep({ now: new Date(ticket.createdAt.getTime() + 50 * 60_000) });
    expect(await db.escalation.count({ where: { ticketId: ticket.id, slaEvent: "first_response_warning" } })).toBe(1);
    expect(await db.notification.count({ where: { ticketId: ticket.id } })).toBe(0);

    const now = new Date(ticket.createdAt.getTime() + 61 * 60_000);
    await Promise.all([runSlaSweep({ now }), runSlaSweep({ now }), runSlaSweep({ now, batchSize: 1 })]);
    await runSlaSweep({ now });
    expect((await notificationsOf(supervisor.userId, "sla_breached")).filter((n) => n.ticketId === ticket.id)).toEqual([
      expect.objectContaining({ ticketId: ticket.id, summary: expect.stringMatching(/^SLA missed on VD-\d+: Breach /) }),
    ]);
    expect((await emailsTo(supervisor.email, "notification.sla_breached")).filter((email) => email.subject?.includes(ticket.subject))).toHaveLength(1);
    expect(await notificationsOf(agent.userId)).toEqual([]);
  });

  it("found more than a day late (an import, a backfill) notify nobody", async () => {
    const supervisor = await person("supervisor");
    const ticket = await premiumTicket(new Date(Date.now() - 20 * 24 * 3600_000));
    // Premium: resolution due 480 min after creation; both targets were missed over a day ago.
    await runSlaSweep({ now: new Date(ticket.createdAt.getTime() + 480 * 60_000 + SLA_BREACH_NEWS_WINDOW_MS + 60_000) });
    expect(await db.escalation.count({ where: { ticketId: ticket.id, slaEvent: { endsWith: "_breach" } } })).toBe(2);
    expect(await db.notification.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it(`email each supervisor at most ${SLA_BREACH_EMAILS_PER_HOUR} an hour, then one "and more" notice; the bell gets them all`, async () => {
    const supervisor = await person("supervisor");
    const createdAt = new Date(Date.now() - 30 * 24 * 3600_000);
    const count = SLA_BREACH_EMAILS_PER_HOUR + 3;
    for (let i = 0; i < count; i++) await premiumTicket(createdAt);
    await runSlaSweep({ now: new Date(createdAt.getTime() + 61 * 60_000), batchSize: 7 });
    expect(await notificationsOf(supervisor.userId, "sla_breached")).toHaveLength(count);
    const emails = await emailsTo(supervisor.email);
    expect(emails).toHaveLength(SLA_BREACH_EMAILS_PER_HOUR + 1);
    expect(emails.filter((email) => email.subject?.startsWith("More notifications than we email one by one"))).toHaveLength(1);
  });
});

function inbound(from: string, overrides: Partial<InboundEmailInput> = {}): InboundEmailInput {
  const domain = from.split("@")[1]!;
  return {
    source: "json",
    from: { address: from, name: "Kim Doe" },
    to: ["support@veridesk.test"],
    subject: "The label printer prints blank labels",
    text: "Since this morning.",
    html: null,
    messageId: messageId(),
    inReplyTo: null,
    references: [],
    ...overrides,
    headers: [...(overrides.headers ?? []), ["authentication-results", passingAuth(domain)]],
    attachments: [],
  };
}

describe("the customer's acknowledgement", () => {
  it("goes out for a portal ticket with the ticket number in subject and body, threaded on the first message", async () => {
    const customer = await person("customer", "Ada Lovelace");
    const ticket = await createPortalTicket(customer, {
      subject: "Cannot export",
      description: "The export button is grey.",
      category: "problem",
      priority: "normal",
    });
    const [ack] = await emailsTo(customer.email, "ticket-acknowledgement");
    expect(ack!.subject).toBe(`[VD-${ticket.number}] Cannot export`);
    expect(ack!.textBody).toContain(`VD-${ticket.number}`);
    expect(ack!.textBody).toContain("The export button is grey.");
    expect(ack!.htmlBody).toContain(`/portal/tickets/${ticket.id}`);
    const headers = ack!.headers as Record<string, string>;
    expect(headers["Message-ID"]).toMatch(new RegExp(`^<vd-ticket-${ticket.number}\\.`));
    expect(headers["Auto-Submitted"]).toBe("auto-generated");
    const first = await db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect(first.emailMessageId).toBe(headers["Message-ID"]);
  });

  it("answers an email ticket in its thread, and the customer's answer to it lands on the ticket", async () => {
    const address = `kim@${uniqueDomain()}`;
    const first = inbound(address);
    const created = await receiveInboundEmail(first);
    if (created.status !== "ticket_created") throw new Error(created.status);
    const [ack] = await emailsTo(address, "ticket-acknowledgement");
    // Threaded by its headers; the sender's subject, name and words are not echoed back.
    expect(ack!.subject).toBe(`[VD-${created.ticketNumber}] We received your request`);
    for (const echoed of ["The label printer", "Kim Doe", "Since this morning."]) {
      expect(ack!.textBody).not.toContain(echoed);
      expect(ack!.htmlBody).not.toContain(echoed);
    }
    const headers = ack!.headers as Record<string, string>;
    expect(headers).toMatchObject({ "In-Reply-To": first.messageId, References: first.messageId, "Auto-Submitted": "auto-replied" });

    const answer = await receiveInboundEmail(inbound(address, { subject: `Re: ${ack!.subject}`, inReplyTo: headers["Message-ID"]!, text: "Here is a photo." }));
    expect(answer).toMatchObject({ status: "message_added", ticketId: created.ticketId });
    // An answer is not a new ticket: no second acknowledgement.
    expect(await emailsTo(address, "ticket-acknowledgement")).toHaveLength(1);
  });

  it.each([
    ["an out-of-office", { headers: [["Auto-Submitted", "auto-replied"]] }],
    ["a mailing list", { headers: [["List-Id", "<users.lists.example>"]] }],
    ["a newsletter", { headers: [["Precedence", "bulk"]] }],
    ["a sender asking for no answers", { headers: [["X-Auto-Response-Suppress", "All"]] }],
  ] as const)("is never sent to %s (the ticket is still opened)", async (_what, overrides) => {
    const address = `news@${uniqueDomain()}`;
    const created = await receiveInboundEmail(inbound(address, { headers: overrides.headers.map(([n, v]) => [n, v] as [string, string]) }));
    expect(created.status).toBe("ticket_created");
    expect(await emailsTo(address)).toEqual([]);
  });

  it.each([
    ["fails DMARC", (domain: string) => failingAuth(domain)],
    ["is signed and sent only for another domain", () => passingAuth("bulk-mailer.example").replace(/dmarc=pass header.from=\S+/, "dmarc=none")],
  ] as const)("is never sent when an unknown sender's email %s (a forged From): the ticket is opened, the reason recorded", async (_what, results) => {
    const address = `victim@${uniqueDomain()}`;
    const email = { ...inbound(address), headers: [["authentication-results", results(address.split("@")[1]!)]] as [string, string][] };
    const created = await receiveInboundEmail(email);
    if (created.status !== "ticket_created") throw new Error(created.status);
    expect(await emailsTo(address)).toEqual([]);
    const stored = await db.inboundEmail.findUniqueOrThrow({ where: { id: created.inboundEmailId } });
    expect(stored.authResults).toMatchObject({ noAcknowledgement: UNAUTHENTICATED_SENDER });
  });

  it("stops for every email sender once the hourly cap for all of them is reached, and says why", async () => {
    const limit = serverEnv().EMAIL_ACKNOWLEDGEMENTS_PER_HOUR;
    const expiresAt = new Date(Date.now() + 3_600_000);
    await db.rateLimitCounter.upsert({
      where: { key: GLOBAL_EMAIL_ACKNOWLEDGEMENT_KEY },
      create: { key: GLOBAL_EMAIL_ACKNOWLEDGEMENT_KEY, windowStart: new Date(), count: limit, expiresAt },
      update: { windowStart: new Date(), count: limit, expiresAt },
    });
    try {
      const address = `first-time@${uniqueDomain()}`;
      const created = await receiveInboundEmail(inbound(address));
      if (created.status !== "ticket_created") throw new Error(created.status);
      expect(await emailsTo(address)).toEqual([]);
      const stored = await db.inboundEmail.findUniqueOrThrow({ where: { id: created.inboundEmailId } });
      expect(stored.authResults).toMatchObject({ noAcknowledgement: "hourly acknowledgement limit for all email senders reached" });
    } finally {
      await db.rateLimitCounter.deleteMany({ where: { key: GLOBAL_EMAIL_ACKNOWLEDGEMENT_KEY } });
    }
  });

  it("is never sent to a bounce address or to our own address", async () => {
    for (const address of [`mailer-daemon@${uniqueDomain()}`, `noreply@${uniqueDomain()}`, "support@veridesk.localhost"]) {
      const created = await receiveInboundEmail(inbound(address));
      expect(created.status).toBe("ticket_created");
      expect(await emailsTo(address, "ticket-acknowledgement")).toEqual([]);
    }
  });

  it(`is limited to ${ACKNOWLEDGEMENTS_PER_SENDER_PER_HOUR} per sender per hour (every ticket is still opened)`, async () => {
    const address = `loop@${uniqueDomain()}`;
    for (let i = 0; i < ACKNOWLEDGEMENTS_PER_SENDER_PER_HOUR + 2; i++) {
      expect((await receiveInboundEmail(inbound(address, { subject: `Loop ${i}` }))).status).toBe("ticket_created");
    }
    expect(await emailsTo(address, "ticket-acknowledgement")).toHaveLength(ACKNOWLEDGEMENTS_PER_SENDER_PER_HOUR);
  });

  it("goes to the customer's primary address for a phone ticket, and the agent taking it gets no notification", async () => {
    const agent = await person("agent");
    const address = `caller@${uniqueDomain()}`;
    const customer = await makeCustomer([{ address, isPrimary: true }]);
    const ticket = await startConversationTicket(agent, { customerId: customer.id, channel: "phone", subject: "Router keeps rebooting" });
    const [ack] = await emailsTo(address, "ticket-acknowledgement");
    expect(ack!.subject).toBe(`[VD-${ticket.number}] Router keeps rebooting`);
    expect(ack!.textBody).toContain("on the phone");
    expect(await notificationsOf(agent.userId)).toEqual([]);
  });

  it("is not queued when the ticket's transaction fails", async () => {
    const customer = await person("customer");
    await db.user.update({ where: { id: customer.userId }, data: { emailVerifiedAt: null } });
    await expect(createPortalTicket(customer, { subject: "Nope", description: "Nope", category: "question", priority: "low" })).rejects.toThrow();
    expect(await emailsTo(customer.email)).toEqual([]);
  });
});

describe("one's own notifications", () => {
  it("are counted, listed and marked read for their recipient only", async () => {
    const [lead, agent, other] = [await person("supervisor"), await person("agent"), await person("agent")];
    const [a, b] = [await staffTicket(), await staffTicket()];
    await assignTicket(lead, { ticketId: a.id, assigneeId: agent.userId });
    await assignTicket(lead, { ticketId: b.id, assigneeId: agent.userId });
    expect(await unreadNotificationCount(agent)).toBe(2);
    const [newest] = await recentNotifications(agent);
    expect(newest!.ticket.id).toBe(b.id);

    await expect(markNotificationRead(other, newest!.id)).rejects.toThrow(/does not exist/);
    expect(await unreadNotificationCount(agent)).toBe(2);
    await markNotificationRead(agent, newest!.id);
    await markNotificationRead(agent, newest!.id); // twice is fine
    expect(await unreadNotificationCount(agent)).toBe(1);

    await assignTicket(lead, { ticketId: a.id, assigneeId: other.userId });
    expect(await markAllNotificationsRead(agent)).toBe(1);
    expect(await unreadNotificationCount(agent)).toBe(0);
    expect(await unreadNotificationCount(other)).toBe(1);
  });

  it("preferences list only the kinds the role receives, email on by default", async () => {
    const agent = await person("agent");
    expect(await notificationPreferences(agent)).toEqual([
      { kind: "ticket_assigned", email: true },
      { kind: "customer_replied", email: true },
    ]);
    const supervisor = await person("supervisor");
    await saveNotificationPreferences(supervisor, ["sla_breached"]);
    expect(await notificationPreferences(supervisor)).toEqual([
      { kind: "ticket_assigned", email: false },
      { kind: "customer_replied", email: false },
      { kind: "escalation_raised", email: false },
      { kind: "sla_breached", email: true },
    ]);
    await expect(saveNotificationPreferences(await person("customer"), [])).rejects.toThrow(/no staff notifications/);
  });
});
