import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Role } from "@/platform/db/client";
import { activeEscalationsForTicket, escalationQueue } from "@/features/escalations/queries";
import { encodeEscalationQueueCursor, escalationQueueCursorSchema } from "@/features/escalations/schemas";
import {
  claimEscalation,
  deescalate,
  escalateTicket,
  overrideIdentityCheck,
  reassignEscalation,
  releaseEscalation,
  resolveEscalation,
  takeOverEscalation,
} from "@/features/escalations/service";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { listQueue } from "@/features/tickets/queue/queue";
import { parseQueueFilter } from "@/features/tickets/queue/schemas";

async function person(role: Role, name = `${role} ${randomUUID().slice(0, 6)}`): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name, email, customerId: null };
}

async function ticketFor(options: { tier?: "premium" | "standard"; firstResponseDueAt?: Date } = {}) {
  const id = randomUUID().slice(0, 8);
  const customer = await db.customer.create({
    data: {
      accountNumber: `ESC-${id}`,
      name: `Customer ${id}`,
      agreements: options.tier
        ? { create: { reference: `ESC-AG-${id}`, tier: options.tier, startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } }
        : undefined,
    },
  });
  return db.ticket.create({
    data: {
      subject: `Escalation test ${id}`,
      channel: "phone",
      customerId: customer.id,
      requesterAddress: "+447700900123",
      slaScope: options.tier ?? null,
      firstResponseDueAt: options.firstResponseDueAt ?? null,
    },
  });
}

const escalation = (id: string) => db.escalation.findUniqueOrThrow({ where: { id } });
const notes = (ticketId: string) =>
  db.ticketMessage.findMany({ where: { ticketId, kind: "internal_note" }, orderBy: { createdAt: "asc" }, select: { body: true, authorUserId: true } });
const audits = (subjectId: string, action: string) => db.auditEvent.findMany({ where: { subjectId, action } });

async function claimedEscalation() {
  const agent = await person("agent");
  const supervisor = await person("supervisor", `Sup ${randomUUID().slice(0, 6)}`);
  const ticket = await ticketFor();
  const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Database error on their account page." });
  await claimEscalation(supervisor, { escalationId: raised.id });
  return { agent, supervisor, ticket, escalationId: raised.id };
}

describe("escalating a ticket", () => {
  it("opens an escalation with an internal note and an audit event", async () => {
    const agent = await person("agent");
    const ticket = await ticketFor();
    const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "identity_unverified", note: "  Caller failed three codes.  " });

    const stored = await escalation(raised.id);
    expect(stored).toMatchObject({
      ticketId: ticket.id,
      reason: "identity_unverified",
      note: "Caller failed three codes.",
      status: "open",
      automatic: false,
      raisedById: agent.userId,
      assigneeId: null,
    });
    expect(await notes(ticket.id)).toEqual([
      { body: "Escalated to a supervisor: Identity could not be verified — Caller failed three codes.", authorUserId: agent.userId },
    ]);
    const [audit] = await audits(raised.id, "escalation.raised");
    expect(audit).toMatchObject({
      actorUserId: agent.userId,
      actorRole: "agent",
      subjectType: "Escalation",
      details: { ticketId: ticket.id, reason: "identity_unverified" },
    });
  });

  it("requires a note and a known reason, and changes nothing when refused", async () => {
    const agent = await person("agent");
    const ticket = await ticketFor();
    await expect(escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "" })).rejects.toThrow("Say why you are escalating");
    await expect(escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "   \n " })).rejects.toThrow("Say why you are escalating");
    await expect(escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "x".repeat(2001) })).rejects.toThrow(
      "Keep it under 2,000 characters.",
    );
    await expect(escalateTicket(agent, { ticketId: ticket.id, reason: "sla_breached" as "technical", note: "n" })).rejects.toThrow(
      "Choose why you are escalating.",
    );
    await expect(escalateTicket(agent, { ticketId: randomUUID(), reason: "technical", note: "n" })).rejects.toThrow("That ticket does not exist.");
    expect(await db.escalation.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await notes(ticket.id)).toEqual([]);
  });

  it("refuses customers, and refuses a second escalation while one is open or claimed", async () => {
    const customer = await person("customer");
    const agent = await person("agent");
    const supervisor = await person("supervisor");
    const ticket = await ticketFor();
    await expect(escalateTicket(customer, { ticketId: ticket.id, reason: "customer_request", note: "Let me speak to a manager" })).rejects.toThrow(
      "Only support staff can escalate tickets.",
    );

    const first = await escalateTicket(agent, { ticketId: ticket.id, reason: "customer_request", note: "Asked for a manager." });
    await expect(escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Again" })).rejects.toThrow("Already escalated to a supervisor.");
    await claimEscalation(supervisor, { escalationId: first.id });
    await expect(escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Again" })).rejects.toThrow("Already escalated to a supervisor.");
    await resolveEscalation(supervisor, { escalationId: first.id, outcome: "Called the customer back." });
    // Once resolved, the ticket can be escalated again.
    await escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "New problem." });
    expect(await db.escalation.count({ where: { ticketId: ticket.id } })).toBe(2);
  });

  it("creates exactly one escalation when two agents escalate the same ticket at once", async () => {
    const [a, b] = [await person("agent"), await person("agent")];
    const ticket = await ticketFor();
    const results = await Promise.allSettled([
      escalateTicket(a, { ticketId: ticket.id, reason: "technical", note: "From A" }),
      escalateTicket(b, { ticketId: ticket.id, reason: "technical", note: "From B" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.message).toBe("Already escalated to a supervisor.");
    expect(await db.escalation.count({ where: { ticketId: ticket.id } })).toBe(1);
    expect(await notes(ticket.id)).toHaveLength(1);
  });

  it("does not count an automatic SLA escalation as a manual one", async () => {
    const agent = await person("agent");
    const ticket = await ticketFor();
    await db.escalation.create({
      data: { ticketId: ticket.id, reason: "sla_at_risk", note: "First response due soon", automatic: true, slaEvent: "first_response_warning" },
    });
    await escalateTicket(agent, { ticketId: ticket.id, reason: "customer_request", note: "Wants a call back." });
    expect((await activeEscalationsForTicket(ticket.id)).map((row) => row.automatic)).toEqual([true, false]);
  });

  it("keeps a claimed escalation on the ticket's banner and drops a resolved one", async () => {
    const [agent, supervisor] = [await person("agent"), await person("supervisor")];
    const ticket = await ticketFor();
    expect(await activeEscalationsForTicket(ticket.id)).toEqual([]);
    const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Needs a supervisor." });
    await claimEscalation(supervisor, { escalationId: raised.id });
    expect((await activeEscalationsForTicket(ticket.id)).map((row) => [row.id, row.status])).toEqual([[raised.id, "claimed"]]);
    await resolveEscalation(supervisor, { escalationId: raised.id, outcome: "Sorted." });
    expect(await activeEscalationsForTicket(ticket.id)).toEqual([]);
  });
});

describe("claiming", () => {
  it("lets exactly one of two supervisors claiming at once win; the other is told who has it", async () => {
    const agent = await person("agent");
    const jordan = await person("supervisor", `Jordan ${randomUUID().slice(0, 4)}`);
    const robin = await person("admin", `Robin ${randomUUID().slice(0, 4)}`);
    const ticket = await ticketFor();
    const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "identity_unverified", note: "No match." });

    const results = await Promise.allSettled([claimEscalation(jordan, { escalationId: raised.id }), claimEscalation(robin, { escalationId: raised.id })]);
    const won = results.findIndex((result) => result.status === "fulfilled");
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const [winner, loser] = won === 0 ? [jordan, robin] : [robin, jordan];
    const refused = results[1 - won] as PromiseRejectedResult;
    expect(refused.reason.message).toBe(`Already claimed by ${winner.name}.`);

    const stored = await escalation(raised.id);
    expect(stored.status).toBe("claimed");
    expect(stored.assigneeId).toBe(winner.userId);
    expect(await audits(raised.id, "escalation.claimed")).toHaveLength(1);
    expect((await notes(ticket.id)).map((note) => note.body)).toEqual([expect.stringMatching(/^Escalated/), `Escalation claimed by ${winner.name}.`]);
    // The loser trying again gets the same answer; the winner is told they already hold it.
    await expect(claimEscalation(loser, { escalationId: raised.id })).rejects.toThrow(`Already claimed by ${winner.name}.`);
    await expect(claimEscalation(winner, { escalationId: raised.id })).rejects.toThrow("You already claimed this escalation.");
  });

  it("refuses agents (the service checks the role, not only the page)", async () => {
    const agent = await person("agent");
    const ticket = await ticketFor();
    const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Broken." });
    await expect(claimEscalation(agent, { escalationId: raised.id })).rejects.toThrow("Only a supervisor can claim escalations.");
    await expect(resolveEscalation(agent, { escalationId: raised.id, outcome: "Done" })).rejects.toThrow("Only a supervisor can resolve escalations.");
    await expect(reassignEscalation(agent, { escalationId: raised.id, agentId: agent.userId })).rejects.toThrow(
      "Only a supervisor can reassign escalated tickets.",
    );
    await expect(deescalate(agent, { escalationId: raised.id, reason: "Fine" })).rejects.toThrow("Only a supervisor can de-escalate tickets.");
    expect((await escalation(raised.id)).status).toBe("open");
  });

  it("refuses unknown escalations", async () => {
    const supervisor = await person("supervisor");
    await expect(claimEscalation(supervisor, { escalationId: randomUUID() })).rejects.toThrow("That escalation does not exist.");
  });
});

describe("resolving, reassigning and de-escalating", () => {
  it("requires the claim first, and only the claimer may act", async () => {
    const agent = await person("agent");
    const jordan = await person("supervisor", "Jordan Claimer");
    const other = await person("supervisor");
    const ticket = await ticketFor();
    const raised = await escalateTicket(agent, { ticketId: ticket.id, reason: "technical", note: "Broken." });
    await expect(resolveEscalation(jordan, { escalationId: raised.id, outcome: "Fixed" })).rejects.toThrow("Claim this escalation first.");
    await expect(deescalate(jordan, { escalationId: raised.id, reason: "Not needed" })).rejects.toThrow("Claim this escalation first.");
    await claimEscalation(jordan, { escalationId: raised.id });
    await expect(resolveEscalation(other, { escalationId: raised.id, outcome: "Fixed" })).rejects.toThrow("Already claimed by Jordan Claimer.");
    await expect(reassignEscalation(other, { escalationId: raised.id, agentId: agent.userId })).rejects.toThrow("Already claimed by Jordan Claimer.");
    expect(await escalation(raised.id)).toMatchObject({ status: "claimed", assigneeId: jordan.userId, outcome: null, resolvedAt: null });
  });

  it("resolves with a required outcome, once", async () => {
    const { supervisor, ticket, escalationId } = await claimedEscalation();
    await expect(resolveEscalation(supervisor, { escalationId, outcome: "  " })).rejects.toThrow("Write the outcome");
    await resolveEscalation(supervisor, { escalationId, outcome: "Restarted the sync job; customer confirmed." });
    const stored = await escalation(escalationId);
    expect(stored).toMatchObject({ status: "resolved", outcome: "Restarted the sync job; customer confirmed.", assigneeId: supervisor.userId });
    expect(stored.resolvedAt).not.toBeNull();
    expect((await notes(ticket.id)).at(-1)?.body).toBe(`Escalation resolved by ${supervisor.name}: Restarted the sync job; customer confirmed.`);
    expect(await audits(escalationId, "escalation.resolved")).toHaveLength(1);

    await expect(resolveEscalation(supervisor, { escalationId, outcome: "Again" })).rejects.toThrow("This escalation was already resolved.");
    await expect(deescalate(supervisor, { escalationId, reason: "Again" })).rejects.toThrow("This escalation was already resolved.");
    await expect(claimEscalation(supervisor, { escalationId })).rejects.toThrow("This escalation was already resolved.");
    expect(await audits(escalationId, "escalation.resolved")).toHaveLength(1);
  });

  it("reassigns: hands the ticket to an agent and resolves the escalation", async () => {
    const { supervisor, ticket, escalationId } = await claimedEscalation();
    const sam = await person("agent", "Sam Handover");
    const customer = await person("customer");
    await expect(reassignEscalation(supervisor, { escalationId, agentId: customer.userId })).rejects.toThrow("Tickets can only be handed to active staff.");
    await reassignEscalation(supervisor, { escalationId, agentId: sam.userId });
    expect(await escalation(escalationId)).toMatchObject({ status: "resolved", outcome: "Reassigned to Sam Handover", reassignedToId: sam.userId });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBe(sam.userId);
    expect(await audits(escalationId, "escalation.reassigned")).toHaveLength(1);
    await expect(reassignEscalation(supervisor, { escalationId, agentId: sam.userId })).rejects.toThrow("This escalation was already resolved.");
  });

  it("de-escalates with a required reason", async () => {
    const { supervisor, ticket, escalationId } = await claimedEscalation();
    await expect(deescalate(supervisor, { escalationId, reason: "" })).rejects.toThrow("Say why this no longer needs a supervisor");
    await deescalate(supervisor, { escalationId, reason: "The agent can handle this; documented the fix." });
    expect(await escalation(escalationId)).toMatchObject({ status: "deescalated", outcome: "The agent can handle this; documented the fix." });
    expect((await notes(ticket.id)).at(-1)?.body).toBe(`De-escalated by ${supervisor.name}: The agent can handle this; documented the fix.`);
    await expect(resolveEscalation(supervisor, { escalationId, outcome: "x" })).rejects.toThrow("This escalation was already de-escalated.");
  });
});

describe("supervisor identity override", () => {
  it("requires a supervisor and a written reason", async () => {
    const agent = await person("agent");
    const supervisor = await person("supervisor");
    const ticket = await ticketFor();
    await expect(overrideIdentityCheck(agent, { ticketId: ticket.id, reason: "Known to me personally for years." })).rejects.toThrow(
      "Only a supervisor can override an identity check.",
    );
    await expect(overrideIdentityCheck(supervisor, { ticketId: ticket.id, reason: "" })).rejects.toThrow("Explain why you are overriding the identity check");
    await expect(overrideIdentityCheck(supervisor, { ticketId: ticket.id, reason: "  ok  " })).rejects.toThrow(
      "Explain why you are overriding the identity check (at least 10 characters).",
    );
    expect(await db.identityCheck.count({ where: { ticketId: ticket.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { subjectId: ticket.id, action: "identity.override" } })).toBe(0);
  });

  it("records an overridden check for this conversation, audited, and shown as an override", async () => {
    const supervisor = await person("supervisor", "Jordan Override");
    const ticket = await ticketFor();
    const now = new Date("2026-11-29T10:00:00Z");
    const reason = "Customer answered the security questions on the signed contract.";
    const check = await overrideIdentityCheck(supervisor, { ticketId: ticket.id, reason }, { now, ip: "203.0.113.9" });

    const stored = await db.identityCheck.findUniqueOrThrow({ where: { id: check.id } });
    expect(stored).toMatchObject({
      ticketId: ticket.id,
      customerId: ticket.customerId,
      method: "supervisor_override",
      outcome: "overridden",
      reason,
      performedById: supervisor.userId,
      conversationChannel: "phone",
    });
    expect(stored.expiresAt.toISOString()).toBe("2026-11-30T10:00:00.000Z");
    const [audit] = await db.auditEvent.findMany({ where: { subjectId: ticket.id, action: "identity.override" } });
    expect(audit).toMatchObject({
      actorUserId: supervisor.userId,
      actorRole: "supervisor",
      ip: "203.0.113.9",
      // The written reason stays on the check (erasable), the append-only audit log only says there was one.
      details: { checkId: check.id, customerId: ticket.customerId, reasonGiven: true },
    });

    const panel = await identityPanelForTicket(ticket.id, new Date("2026-11-29T11:00:00Z"));
    expect(panel?.badge).toBe("verified");
    expect(panel?.currentCheck).toMatchObject({ outcome: "overridden", method: "supervisor_override", by: "Jordan Override", reason });
    expect(panel?.explanation).toMatch(/identity verified manually by .*\(supervisor override\)/);
    // Expired: no longer counts.
    const later = await identityPanelForTicket(ticket.id, new Date("2026-11-30T10:00:01Z"));
    expect(later?.currentCheck).toBeNull();
    expect(later?.badge).not.toBe("verified");
  });

  it("shows in the queue as a current override (the queue badge reads these facts)", async () => {
    const supervisor = await person("supervisor");
    const ticket = await ticketFor();
    await overrideIdentityCheck(supervisor, { ticketId: ticket.id, reason: "Verified on a video call with ID." });
    const page = await listQueue({ userId: supervisor.userId }, parseQueueFilter({ status: "all", q: ticket.subject }), { pageSize: 100 });
    const row = page.rows.find((candidate) => candidate.id === ticket.id);
    expect(row?.identity.badge).toBe("verified");
    expect(row?.identity.facts.currentCheck).toMatchObject({ outcome: "overridden", method: "supervisor_override", by: supervisor.name });
  });
});

describe("the supervisors' queue", () => {
  it("filters unclaimed / mine / all open, with counts, tier, SLA state and automatic escalations", async () => {
    const agent = await person("agent");
    const me = await person("supervisor");
    const other = await person("supervisor");
    const now = new Date();
    const premium = await ticketFor({ tier: "premium", firstResponseDueAt: new Date(now.getTime() - 60_000) });
    const standard = await ticketFor({ tier: "standard", firstResponseDueAt: new Date(now.getTime() + 10 * 60_000) });
    const plain = await ticketFor();
    const mine = await escalateTicket(agent, { ticketId: premium.id, reason: "technical", note: "Mine" });
    const theirs = await escalateTicket(agent, { ticketId: standard.id, reason: "customer_request", note: "Theirs" });
    const automatic = await db.escalation.create({
      data: { ticketId: plain.id, reason: "sla_breached", note: "Resolution overdue", automatic: true, slaEvent: "resolution_breach" },
    });
    await claimEscalation(me, { escalationId: mine.id });
    await claimEscalation(other, { escalationId: theirs.id });

    // Other tests leave open escalations behind: one large page, so these rows are surely on it.
    const all = await escalationQueue("open", me.userId, now, { take: 10_000 });
    const ids = all.items.map((row) => row.id);
    expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id, automatic.id]));
    const byId = new Map(all.items.map((row) => [row.id, row]));
    expect(byId.get(mine.id)).toMatchObject({
      status: "claimed",
      claimedBy: { id: me.userId, name: me.name },
      customer: { tier: "premium" },
      sla: { phase: "breached", target: "first_response" },
    });
    // Standard warns 30 minutes before: due in 10 minutes is a warning.
    expect(byId.get(theirs.id)).toMatchObject({
      claimedBy: { id: other.userId },
      customer: { tier: "standard" },
      sla: { phase: "warning", target: "first_response" },
    });
    expect(byId.get(automatic.id)).toMatchObject({
      status: "open",
      automatic: true,
      slaEvent: "resolution_breach",
      customer: { tier: null },
      sla: { phase: "none" },
      claimedBy: null,
    });

    const mineOnly = await escalationQueue("mine", me.userId, now);
    expect(mineOnly.items.map((row) => row.id)).toEqual([mine.id]);
    expect(mineOnly.counts.mine).toBe(1);
    const unclaimed = await escalationQueue("unclaimed", me.userId, now, { take: 10_000 });
    expect(unclaimed.items.every((row) => row.status === "open")).toBe(true);
    expect(unclaimed.items.map((row) => row.id)).toContain(automatic.id);
    expect(unclaimed.items.map((row) => row.id)).not.toContain(mine.id);
    expect(all.counts.open).toBe(all.counts.unclaimed + (await db.escalation.count({ where: { status: "claimed" } })));

    await resolveEscalation(me, { escalationId: mine.id, outcome: "Done" });
    expect((await escalationQueue("open", me.userId, now, { take: 10_000 })).items.map((row) => row.id)).not.toContain(mine.id);
  });
});

describe("taking over and releasing a claim", () => {
  it("lets another supervisor take over a claim: note and audit name from and to; the old claimer can no longer act", async () => {
    const { supervisor: jordan, ticket, escalationId } = await claimedEscalation();
    const casey = await person("supervisor", `Casey ${randomUUID().slice(0, 4)}`);
    const at = new Date(Date.now() + 60_000);
    const taken = await takeOverEscalation(casey, { escalationId, fromAssigneeId: jordan.userId }, { now: at, ip: "203.0.113.7" });
    expect(taken).toMatchObject({ id: escalationId, ticketId: ticket.id, status: "claimed", from: jordan.name });

    expect(await escalation(escalationId)).toMatchObject({ status: "claimed", assigneeId: casey.userId, claimedAt: at });
    expect((await notes(ticket.id)).at(-1)).toEqual({ body: `Escalation taken over by ${casey.name} from ${jordan.name}.`, authorUserId: casey.userId });
    const [audit, ...more] = await audits(escalationId, "escalation.taken_over");
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      actorUserId: casey.userId,
      actorRole: "supervisor",
      ip: "203.0.113.7",
      details: { ticketId: ticket.id, fromUserId: jordan.userId, toUserId: casey.userId },
    });

    // Jordan is back: Casey holds it now; Casey can resolve it.
    await expect(resolveEscalation(jordan, { escalationId, outcome: "Done" })).rejects.toThrow(`Already claimed by ${casey.name}.`);
    await expect(takeOverEscalation(casey, { escalationId, fromAssigneeId: casey.userId })).rejects.toThrow("You already hold this escalation.");
    await resolveEscalation(casey, { escalationId, outcome: "Called the customer back." });
    expect(await escalation(escalationId)).toMatchObject({ status: "resolved", assigneeId: casey.userId });
  });

  it("refuses agents, unknown escalations and open ones (claim those instead)", async () => {
    const { agent, supervisor, escalationId } = await claimedEscalation();
    await expect(takeOverEscalation(agent, { escalationId, fromAssigneeId: supervisor.userId })).rejects.toThrow(
      "Only a supervisor can take over escalations.",
    );
    await expect(releaseEscalation(agent, { escalationId })).rejects.toThrow("Only a supervisor can release escalations.");
    const casey = await person("supervisor");
    await expect(takeOverEscalation(casey, { escalationId: randomUUID(), fromAssigneeId: supervisor.userId })).rejects.toThrow(
      "That escalation does not exist.",
    );
    await expect(takeOverEscalation(casey, { escalationId, fromAssigneeId: "not-a-uuid" })).rejects.toThrow("That supervisor reference is not valid.");
    await releaseEscalation(supervisor, { escalationId });
    await expect(takeOverEscalation(casey, { escalationId, fromAssigneeId: supervisor.userId })).rejects.toThrow(
      "It was released and is waiting for a supervisor again: claim it instead.",
    );
    expect(await audits(escalationId, "escalation.taken_over")).toEqual([]);
  });

  it("says who finished it first when the claim is gone", async () => {
    const casey = await person("supervisor");
    const sam = await person("agent", "Sam Receiver");

    const resolved = await claimedEscalation();
    await resolveEscalation(resolved.supervisor, { escalationId: resolved.escalationId, outcome: "Fixed." });
    await expect(takeOverEscalation(casey, { escalationId: resolved.escalationId, fromAssigneeId: resolved.supervisor.userId })).rejects.toThrow(
      `${resolved.supervisor.name} resolved it a moment ago: nothing to take over.`,
    );
    // Later on, the time is said.
    const later = new Date(Date.now() + 12 * 60_000 + 5_000);
    await expect(
      takeOverEscalation(casey, { escalationId: resolved.escalationId, fromAssigneeId: resolved.supervisor.userId }, { now: later }),
    ).rejects.toThrow(`${resolved.supervisor.name} resolved it 12 min ago: nothing to take over.`);

    const reassigned = await claimedEscalation();
    await reassignEscalation(reassigned.supervisor, { escalationId: reassigned.escalationId, agentId: sam.userId });
    await expect(takeOverEscalation(casey, { escalationId: reassigned.escalationId, fromAssigneeId: reassigned.supervisor.userId })).rejects.toThrow(
      `${reassigned.supervisor.name} reassigned it to Sam Receiver a moment ago: nothing to take over.`,
    );

    const dropped = await claimedEscalation();
    await deescalate(dropped.supervisor, { escalationId: dropped.escalationId, reason: "Not needed." });
    await expect(takeOverEscalation(casey, { escalationId: dropped.escalationId, fromAssigneeId: dropped.supervisor.userId })).rejects.toThrow(
      `${dropped.supervisor.name} de-escalated it a moment ago: nothing to take over.`,
    );

    // Someone else took it over first: the claimer seen is no longer the claimer.
    const stolen = await claimedEscalation();
    const robin = await person("admin", "Robin First");
    await takeOverEscalation(robin, { escalationId: stolen.escalationId, fromAssigneeId: stolen.supervisor.userId });
    await expect(takeOverEscalation(casey, { escalationId: stolen.escalationId, fromAssigneeId: stolen.supervisor.userId })).rejects.toThrow(
      "Robin First took it over a moment ago: they hold it now.",
    );
    expect((await escalation(stolen.escalationId)).assigneeId).toBe(robin.userId);
  });

  it("two supervisors taking over at once: exactly one wins, the other is told who (real concurrent transactions)", async () => {
    const { supervisor: jordan, ticket, escalationId } = await claimedEscalation();
    const casey = await person("supervisor", `Casey ${randomUUID().slice(0, 4)}`);
    const robin = await person("admin", `Robin ${randomUUID().slice(0, 4)}`);
    const results = await Promise.allSettled([
      takeOverEscalation(casey, { escalationId, fromAssigneeId: jordan.userId }),
      takeOverEscalation(robin, { escalationId, fromAssigneeId: jordan.userId }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const won = results.findIndex((result) => result.status === "fulfilled");
    const winner = won === 0 ? casey : robin;
    expect((results[1 - won] as PromiseRejectedResult).reason.message).toBe(`${winner.name} took it over a moment ago: they hold it now.`);
    expect((await escalation(escalationId)).assigneeId).toBe(winner.userId);
    expect(await audits(escalationId, "escalation.taken_over")).toHaveLength(1);
    expect((await notes(ticket.id)).filter((note) => note.body.startsWith("Escalation taken over"))).toEqual([
      { body: `Escalation taken over by ${winner.name} from ${jordan.name}.`, authorUserId: winner.userId },
    ]);
  });

  it("a take-over racing the claimer's resolve: exactly one applies, and the loser hears what happened", async () => {
    // Repeated: either order of arrival must leave one consistent outcome.
    for (let round = 0; round < 4; round += 1) {
      const { supervisor: jordan, ticket, escalationId } = await claimedEscalation();
      const casey = await person("supervisor");
      const [resolve, takeOver] = await Promise.allSettled([
        resolveEscalation(jordan, { escalationId, outcome: "Sorted on the phone." }),
        takeOverEscalation(casey, { escalationId, fromAssigneeId: jordan.userId }),
      ]);
      const stored = await escalation(escalationId);
      const noteBodies = (await notes(ticket.id)).map((note) => note.body);
      if (resolve.status === "fulfilled") {
        expect(takeOver.status).toBe("rejected");
        expect((takeOver as PromiseRejectedResult).reason.message).toBe(`${jordan.name} resolved it a moment ago: nothing to take over.`);
        expect(stored).toMatchObject({ status: "resolved", assigneeId: jordan.userId });
        expect(await audits(escalationId, "escalation.taken_over")).toEqual([]);
        expect(noteBodies.some((body) => body.startsWith("Escalation taken over"))).toBe(false);
      } else {
        expect(takeOver.status).toBe("fulfilled");
        expect(resolve.reason.message).toBe(`Already claimed by ${casey.name}.`);
        expect(stored).toMatchObject({ status: "claimed", assigneeId: casey.userId, outcome: null, resolvedAt: null });
        expect(await audits(escalationId, "escalation.resolved")).toEqual([]);
        expect(noteBodies.some((body) => body.startsWith("Escalation resolved"))).toBe(false);
      }
    }
  });

  it("the claimer releases it back to the queue: open and unclaimed, note and audit; others cannot release it", async () => {
    const { supervisor, ticket, escalationId } = await claimedEscalation();
    const casey = await person("supervisor", "Casey Bystander");
    await expect(releaseEscalation(casey, { escalationId })).rejects.toThrow(`Already claimed by ${supervisor.name}.`);
    await releaseEscalation(supervisor, { escalationId });
    expect(await escalation(escalationId)).toMatchObject({ status: "open", assigneeId: null, claimedAt: null });
    expect((await notes(ticket.id)).at(-1)?.body).toBe(`Escalation released by ${supervisor.name}: waiting for a supervisor again.`);
    expect(await audits(escalationId, "escalation.released")).toHaveLength(1);
    await expect(releaseEscalation(supervisor, { escalationId })).rejects.toThrow("Claim this escalation first.");
    // Anyone may claim it again.
    await claimEscalation(casey, { escalationId });
    expect((await escalation(escalationId)).assigneeId).toBe(casey.userId);
  });
});

describe("queue pages (keyset on raisedAt, id)", () => {
  it("pages through a filter without gaps or repeats, ties on raisedAt broken by id; counts stay exact", async () => {
    const agent = await person("agent");
    const me = await person("supervisor");
    const base = new Date("2026-01-01T08:00:00.000Z");
    // Seven escalations claimed by me; three share one raisedAt.
    const raisedAts = [0, 1, 1, 1, 2, 3, 4].map((minutes) => new Date(base.getTime() + minutes * 60_000));
    const created: { id: string; raisedAt: Date }[] = [];
    for (const raisedAt of raisedAts) {
      const ticket = await ticketFor();
      created.push(
        await db.escalation.create({
          data: {
            ticketId: ticket.id,
            reason: "technical",
            note: "Paging",
            raisedById: agent.userId,
            raisedAt,
            status: "claimed",
            assigneeId: me.userId,
            claimedAt: raisedAt,
          },
        }),
      );
    }
    const expected = [...created].sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || a.id.localeCompare(b.id)).map((row) => row.id);
    const now = new Date("2026-01-02T00:00:00Z");

    const seen: string[] = [];
    const positions: number[] = [];
    let after: { raisedAt: Date; id: string } | undefined;
    for (let pageNumber = 0; pageNumber < 10; pageNumber += 1) {
      const page = await escalationQueue("mine", me.userId, now, { after, take: 3 });
      expect(page.counts.mine).toBe(7);
      positions.push(page.firstPosition);
      seen.push(...page.items.map((row) => row.id));
      if (!page.nextCursor) break;
      // The cursor survives the trip through the URL.
      after = escalationQueueCursorSchema.parse(encodeEscalationQueueCursor(page.nextCursor));
    }
    expect(seen).toEqual(expected);
    expect(positions).toEqual([1, 4, 7]);

    // A row on an earlier page resolved between pages: the next page neither skips nor repeats.
    const first = await escalationQueue("mine", me.userId, now, { take: 3 });
    await db.escalation.update({ where: { id: expected[0]! }, data: { status: "resolved", resolvedAt: now } });
    const second = await escalationQueue("mine", me.userId, now, { after: first.nextCursor!, take: 3 });
    expect(second.items.map((row) => row.id)).toEqual(expected.slice(3, 6));
    expect(second.firstPosition).toBe(3);
    expect(second.counts.mine).toBe(6);
    // An exact page: no next page.
    const last = await escalationQueue("mine", me.userId, now, { after: second.nextCursor!, take: 1 });
    expect(last.items.map((row) => row.id)).toEqual([expected[6]]);
    expect(last.nextCursor).toBeNull();
  });

  it("reads a malformed cursor as the first page", () => {
    expect(escalationQueueCursorSchema.parse(undefined)).toBeUndefined();
    expect(escalationQueueCursorSchema.parse("nonsense")).toBeUndefined();
    expect(escalationQueueCursorSchema.parse("2026-13-45T99:00:00.000Z_0197aaaa-0000-7000-8000-000000000000")).toBeUndefined();
    expect(escalationQueueCursorSchema.parse(["a", "b"])).toBeUndefined();
    expect(escalationQueueCursorSchema.parse("2026-01-01T08:00:00.000Z_0197aaaa-0000-7000-8000-000000000000")).toEqual({
      raisedAt: new Date("2026-01-01T08:00:00.000Z"),
      id: "0197aaaa-0000-7000-8000-000000000000",
    });
  });
});
