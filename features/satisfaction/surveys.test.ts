import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { openSealedText } from "@/platform/outbox/sealed";
import { createPortalTicket, updateTicket } from "@/features/tickets/desk";
import { openTicketForCustomer } from "@/features/tickets/phone-tickets";
import { lookUpSurvey, optOutOfSurveys, rateTicket, setSurveyPreference, SURVEY_MESSAGES, SURVEY_VALID_DAYS } from "@/features/satisfaction/surveys";
import { makeSurveyToken, surveyIdOfToken } from "@/features/satisfaction/token";
import { eraseCustomer } from "@/features/privacy/erasure";
import { collectExport } from "@/features/privacy/export";
import { listQueue } from "@/features/tickets/queue/queue";
import { parseQueueFilter } from "@/features/tickets/queue/schemas";

const DAY = 86_400_000;

async function person(role: "customer" | "agent", data: { customerId?: string } = {}): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: `A ${role}`, role, emailVerifiedAt: new Date(), customerId: data.customerId ?? null } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: data.customerId ?? null };
}

const newTicket = { subject: "Printer is on fire", description: "Flames everywhere.", category: "problem", priority: "high" } as const;

/** The token in the survey email queued for `to` (bodies are sealed: the link is a credential). */
async function surveyTokenSentTo(to: string): Promise<string> {
  const message = await db.outboxMessage.findFirstOrThrow({ where: { kind: "satisfaction-survey", recipient: to }, orderBy: { createdAt: "desc" } });
  expect(message.sensitive).toBe(true);
  const text = openSealedText(message.textBody!);
  const match = /\/rate\?token=([^&\s"]+)&rating=good/.exec(text);
  expect(match, text).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

const surveysSentTo = (to: string) => db.outboxMessage.count({ where: { kind: "satisfaction-survey", recipient: to } });

/** A portal ticket (the requester has an account), solved by an agent. */
async function solvedPortalTicket() {
  const owner = await person("customer");
  const agent = await person("agent");
  const ticket = await createPortalTicket(owner, newTicket);
  await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
  return { owner, agent, ticket, token: await surveyTokenSentTo(owner.email) };
}

/** An emailed ticket without a portal account, solved by an agent. */
async function solvedEmailTicket(data: { category?: string; channel?: "email" | "phone" } = {}) {
  const agent = await person("agent");
  const address = `${randomUUID()}@example.org`;
  const ticket = await db.ticket.create({
    data: {
      subject: "Where is my parcel",
      channel: data.channel ?? "email",
      status: "open",
      requesterAddress: address,
      category: data.category ?? null,
      assigneeId: agent.userId,
    },
  });
  await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
  return { agent, ticket, address };
}

describe("sending the survey when staff solve a ticket", () => {
  it("queues one sealed survey email to the requester, storing only the token's hash and the solver", async () => {
    const { owner, agent, ticket, token } = await solvedPortalTicket();
    const survey = await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(survey).toMatchObject({ requesterUserId: owner.userId, sentTo: owner.email, rating: null, identityPath: "self_verified" });
    // Nobody was assigned: the agent who solved it is credited.
    expect(survey.agentId).toBe(agent.userId);
    expect(JSON.stringify(survey)).not.toContain(token.split(".")[1]);
    expect(survey.expiresAt.getTime() - survey.sentAt.getTime()).toBe(SURVEY_VALID_DAYS * DAY);
    expect(agent.userId).toBeTruthy();
  });

  it("credits the agent who solved it, not only whoever it was assigned to", async () => {
    const { agent, ticket } = await solvedEmailTicket();
    expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).agentId).toBe(agent.userId);
    const assignee = await person("agent");
    const solver = await person("agent");
    const other = await db.ticket.create({
      data: {
        subject: "Covered by a colleague",
        channel: "email",
        status: "open",
        requesterAddress: `${randomUUID()}@example.org`,
        assigneeId: assignee.userId,
      },
    });
    await updateTicket(solver, { ticketId: other.id, status: "solved" });
    expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: other.id } })).agentId).toBe(solver.userId);
  });

  it("surveys a ticket once, even when it is reopened and solved again", async () => {
    const { agent, ticket, address } = await solvedEmailTicket();
    await updateTicket(agent, { ticketId: ticket.id, status: "open" });
    await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
    expect(await surveysSentTo(address)).toBe(1);
  });
});

describe("never surveyed", () => {
  it("internal (account-security) and spam tickets", async () => {
    for (const category of ["account-security", "spam"]) {
      const { ticket, address } = await solvedEmailTicket({ category });
      expect(await surveysSentTo(address)).toBe(0);
      expect(await db.satisfactionSurvey.count({ where: { ticketId: ticket.id } })).toBe(0);
    }
  });

  it("a ticket with no requester address", async () => {
    const agent = await person("agent");
    const ticket = await db.ticket.create({ data: { subject: "Internal", channel: "web", status: "open" } });
    await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
    expect(await db.satisfactionSurvey.count({ where: { ticketId: ticket.id } })).toBe(0);
  });

  it("mail from a staff address (staff never rate their own desk), and an address that bounces or complained", async () => {
    const agent = await person("agent");
    const colleague = await person("agent");
    const fromStaff = await db.ticket.create({
      data: { subject: "Forwarded", channel: "email", status: "open", requesterAddress: colleague.email.toUpperCase(), assigneeId: agent.userId },
    });
    await updateTicket(agent, { ticketId: fromStaff.id, status: "solved" });
    expect(await db.satisfactionSurvey.count({ where: { ticketId: fromStaff.id } })).toBe(0);

    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Complainer" } });
    const address = `${randomUUID()}@example.org`;
    await db.customerEmail.create({ data: { customerId: customer.id, address, normalized: address, isPrimary: true, deliverability: "complained" } });
    const complained = await db.ticket.create({
      data: { subject: "Stop", channel: "email", status: "open", requesterAddress: address, customerId: customer.id },
    });
    await updateTicket(agent, { ticketId: complained.id, status: "solved" });
    expect(await db.satisfactionSurvey.count({ where: { ticketId: complained.id } })).toBe(0);
  });

  it("a phone ticket, and one an agent or the API filed on the customer's behalf", async () => {
    const phone = await solvedEmailTicket({ channel: "phone" });
    expect(await surveysSentTo(phone.address)).toBe(0);
    const agent = await person("agent");
    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Filed For" } });
    const address = `${randomUUID()}@example.org`;
    const viaApi = await openTicketForCustomer(
      { userId: null, role: null, name: "Integration", apiTokenId: randomUUID() },
      { customerId: customer.id, channel: "email", subject: "Filed by the CRM", requesterAddress: address, status: "open" },
    );
    await updateTicket(agent, { ticketId: viaApi.id, status: "solved" });
    expect(await surveysSentTo(address)).toBe(0);
  });

  it("a customer account that switched surveys off on the account page (and on again)", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    expect(await setSurveyPreference(owner.userId, false)).toEqual({ surveys: false });
    const off = await createPortalTicket(owner, newTicket);
    await updateTicket(agent, { ticketId: off.id, status: "solved" });
    expect(await surveysSentTo(owner.email)).toBe(0);
    expect(await setSurveyPreference(owner.userId, true)).toEqual({ surveys: true });
    const on = await createPortalTicket(owner, { ...newTicket, subject: "On again" });
    await updateTicket(agent, { ticketId: on.id, status: "solved" });
    expect(await surveysSentTo(owner.email)).toBe(1);
  });

  it("a requester who opted out (by account, and by address), through the email's link", async () => {
    const first = await solvedPortalTicket();
    expect(await optOutOfSurveys(first.token)).toEqual({ ok: true });
    const again = await createPortalTicket(first.owner, { ...newTicket, subject: "Another" });
    await updateTicket(first.agent, { ticketId: again.id, status: "solved" });
    expect(await surveysSentTo(first.owner.email)).toBe(1);

    const byAddress = await solvedEmailTicket();
    expect(await optOutOfSurveys(await surveyTokenSentTo(byAddress.address))).toEqual({ ok: true });
    const next = await db.ticket.create({ data: { subject: "Again", channel: "email", status: "open", requesterAddress: byAddress.address.toUpperCase() } });
    await updateTicket(byAddress.agent, { ticketId: next.id, status: "solved" });
    expect(await db.satisfactionSurvey.count({ where: { ticketId: next.id } })).toBe(0);
  });
});

describe("the rating link's token", () => {
  it("opening the link (the page's GET) records nothing", async () => {
    const { owner, ticket, token } = await solvedPortalTicket();
    for (let i = 0; i < 3; i += 1) expect((await lookUpSurvey(token, { userId: owner.userId })).ok).toBe(true);
    expect(await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).toMatchObject({ rating: null, ratedAt: null, comment: null });
  });

  it("refuses a forged or altered token", async () => {
    const { owner, ticket, token } = await solvedPortalTicket();
    const viewer = { userId: owner.userId };
    const [id, nonce, mac] = token.split(".") as [string, string, string];
    const survey = await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    const forgeries = [
      `${id}.${nonce}.${mac.slice(0, -2)}AA`, // altered signature
      `${id}.${nonce}x.${mac}`, // altered nonce
      makeSurveyToken(survey.id), // rightly signed, but not the link we sent (its hash is not stored)
      "not-a-token",
      `${randomUUID()}.${nonce}.${mac}`,
    ];
    // The signature is checked before any database read: only the link we signed names a survey.
    expect(surveyIdOfToken(token)).toBe(survey.id);
    for (const forged of forgeries.slice(0, 2)) expect(surveyIdOfToken(forged)).toBeNull();
    for (const forged of forgeries) {
      expect(await rateTicket({ token: forged, rating: "good" }, viewer)).toEqual({ ok: false, message: SURVEY_MESSAGES.invalid });
    }
    expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).rating).toBeNull();
  });

  it("refuses an expired link", async () => {
    const { owner, token } = await solvedPortalTicket();
    const later = new Date(Date.now() + SURVEY_VALID_DAYS * DAY + 60_000);
    expect(await rateTicket({ token, rating: "good" }, { userId: owner.userId }, later)).toEqual({ ok: false, message: SURVEY_MESSAGES.expired });
  });

  it("records one rating with its comment and refuses a second (the database refuses it too)", async () => {
    const { owner, ticket, token } = await solvedPortalTicket();
    const viewer = { userId: owner.userId };
    expect(await rateTicket({ token, rating: "bad", comment: "  Slow answer.  " }, viewer)).toEqual({ ok: true, rating: "bad" });
    expect(await rateTicket({ token, rating: "good" }, viewer)).toEqual({ ok: false, message: SURVEY_MESSAGES.rated });
    expect(await lookUpSurvey(token, viewer)).toEqual({ ok: false, message: SURVEY_MESSAGES.rated }); // the page says so before the form
    const survey = await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(survey).toMatchObject({ rating: "bad", comment: "Slow answer." });
    await expect(db.satisfactionSurvey.update({ where: { id: survey.id }, data: { rating: "good" } })).rejects.toThrow(/already given/);
  });

  it("keeps one of two ratings sent at once, refusing the other (no error)", async () => {
    const { owner, token } = await solvedPortalTicket();
    const viewer = { userId: owner.userId };
    const results = await Promise.all([rateTicket({ token, rating: "good" }, viewer), rateTicket({ token, rating: "bad" }, viewer)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, message: SURVEY_MESSAGES.rated }]);
  });

  it("binds a portal ticket's rating to its requester's account", async () => {
    const { ticket, token } = await solvedPortalTicket();
    const stranger = await person("customer");
    expect(await rateTicket({ token, rating: "good" }, null)).toEqual({ ok: false, message: SURVEY_MESSAGES.signIn });
    expect(await rateTicket({ token, rating: "good" }, { userId: stranger.userId })).toEqual({ ok: false, message: SURVEY_MESSAGES.otherAccount });
    expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).rating).toBeNull();
  });

  it("takes the token alone for a ticket without a portal account", async () => {
    const { ticket, address } = await solvedEmailTicket();
    const token = await surveyTokenSentTo(address);
    expect(await rateTicket({ token, rating: "good" }, null)).toEqual({ ok: true, rating: "good" });
    expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).rating).toBe("good");
  });
});

describe("the rating in the console's queue", () => {
  it("shows on the ticket's queue row once given, and not before", async () => {
    const { agent, ticket, address } = await solvedEmailTicket();
    const rowOf = async () =>
      (await listQueue({ userId: agent.userId }, parseQueueFilter({ status: "solved", assignee: "me" }))).rows.find((row) => row.id === ticket.id);
    expect((await rowOf())?.satisfaction).toBeNull();
    await rateTicket({ token: await surveyTokenSentTo(address), rating: "bad" }, null);
    expect((await rowOf())?.satisfaction).toBe("bad");
  });
});

describe("identity path recorded at solve time", () => {
  async function pathAfter(evidence: (ticketId: string) => Promise<unknown>) {
    const agent = await person("agent");
    const ticket = await db.ticket.create({
      data: { subject: "Who is it", channel: "email", status: "open", requesterAddress: `${randomUUID()}@example.org` },
    });
    await evidence(ticket.id);
    await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
    return (await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).identityPath;
  }
  const check = (outcome: "passed" | "overridden") => (ticketId: string) =>
    db.identityCheck.create({
      data: { ticketId, method: outcome === "passed" ? "email_code" : "supervisor_override", outcome, expiresAt: new Date(Date.now() + DAY) },
    });

  it("overridden, escalated, agent-checked, unverified", async () => {
    expect(await pathAfter(check("overridden"))).toBe("overridden");
    expect(
      await pathAfter(async (ticketId) => {
        await check("passed")(ticketId);
        await db.escalation.create({ data: { ticketId, reason: "identity_unverified", note: "Not sure" } });
      }),
    ).toBe("escalated");
    expect(await pathAfter(check("passed"))).toBe("agent_checked");
    expect(await pathAfter(async () => null)).toBe("unverified");
  });
});

describe("the customer's data export", () => {
  it("includes the survey sent and the rating given", async () => {
    const { owner, token } = await solvedPortalTicket();
    await rateTicket({ token, rating: "good", comment: "Thanks!" }, { userId: owner.userId });
    const { data } = await collectExport(owner.userId);
    expect(data.tickets[0]?.satisfaction).toMatchObject({ rating: "good", comment: "Thanks!" });
  });
});

describe("erasure of the customer", () => {
  it("keeps the rating for the report, not who was asked nor what they wrote", async () => {
    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Erin Erased" } });
    const owner = await person("customer", { customerId: customer.id });
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
    await rateTicket({ token: await surveyTokenSentTo(owner.email), rating: "bad", comment: "Erin here, call me on 0123" }, { userId: owner.userId });
    const supervisor = await person("agent");
    await eraseCustomer({ userId: supervisor.userId, role: "supervisor" }, { customerId: customer.id, confirmName: "Erin Erased" });
    const survey = await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(survey).toMatchObject({ rating: "bad", comment: null, requesterUserId: null });
    expect(survey.sentTo).not.toContain("@");
  });

  it("closes a survey not yet answered: its link cannot write about the person again", async () => {
    const customer = await db.customer.create({ data: { accountNumber: `ACC-${randomUUID()}`, name: "Una Unrated" } });
    const owner = await person("customer", { customerId: customer.id });
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
    const token = await surveyTokenSentTo(owner.email);
    await eraseCustomer({ userId: agent.userId, role: "supervisor" }, { customerId: customer.id, confirmName: "Una Unrated" });
    expect(await rateTicket({ token, rating: "bad", comment: "Una again, 0123 456" }, null)).toMatchObject({ ok: false });
    expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId: ticket.id } })).comment).toBeNull();
  });
});
