import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { TEST_CLOCK_OFFSET_KEY, forgetTestClockOffset } from "@/platform/clock";
import { db } from "@/platform/db/client";
import { closeOwnTicket, createPortalTicket, reopenOwnTicket, replyAsAgent, replyAsCustomer, updateTicket } from "@/features/tickets/desk";

// The reopen window is counted on the app clock: let this file move it (platform/clock.ts).
process.env.VERIDESK_TEST_CLOCK = "1";

const MINUTE = 60_000;
const DAY = 86_400_000;

async function moveClock(offsetMs: number) {
  await db.appSetting.upsert({ where: { key: TEST_CLOCK_OFFSET_KEY }, create: { key: TEST_CLOCK_OFFSET_KEY, value: offsetMs }, update: { value: offsetMs } });
  forgetTestClockOffset();
}

afterEach(async () => {
  await db.appSetting.deleteMany({ where: { key: TEST_CLOCK_OFFSET_KEY } });
  forgetTestClockOffset();
});

async function person(role: "customer" | "agent"): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: `A ${role}`, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: null };
}

const newTicket = { subject: "Printer is on fire", description: "Flames everywhere.", category: "problem", priority: "high" } as const;

async function solvedTicket() {
  const owner = await person("customer");
  const agent = await person("agent");
  const ticket = await createPortalTicket(owner, newTicket);
  await updateTicket(agent, { ticketId: ticket.id, status: "solved" });
  const { solvedAt } = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  return { owner, agent, ticket, solvedAt: solvedAt! };
}

const statusOf = async (id: string) => (await db.ticket.findUniqueOrThrow({ where: { id } })).status;

describe("customer reopen window (7 days by default, on the app clock)", () => {
  it("reopens a solved ticket a minute before the window ends, with an audit entry", async () => {
    const { owner, ticket, solvedAt } = await solvedTicket();
    await moveClock(solvedAt.getTime() + 7 * DAY - MINUTE - Date.now());
    await reopenOwnTicket(owner, ticket.id);
    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.status).toBe("open");
    expect(after.solvedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "ticket.reopened_by_customer", subjectId: ticket.id } })).toBe(1);
  });

  it("reopens a solved ticket the customer answers in the portal, audited as a portal reply", async () => {
    const { owner, ticket } = await solvedTicket();
    await replyAsCustomer(owner, { ticketId: ticket.id, body: "Not fixed after all." });
    expect(await statusOf(ticket.id)).toBe("open");
    const reopened = await db.auditEvent.findFirstOrThrow({ where: { action: "ticket.reopened", subjectId: ticket.id } });
    expect(reopened.details).toEqual({ reason: "customer replied by portal" });
  });

  it("refuses reopening and replying a minute after the window, changing nothing", async () => {
    const { owner, ticket, solvedAt } = await solvedTicket();
    await moveClock(solvedAt.getTime() + 7 * DAY + MINUTE - Date.now());
    const message = "This ticket was solved more than 7 days ago. Open a follow-up ticket to continue.";
    await expect(reopenOwnTicket(owner, ticket.id)).rejects.toThrow(message);
    await expect(replyAsCustomer(owner, { ticketId: ticket.id, body: "Still burning." })).rejects.toThrow(message);
    expect(await statusOf(ticket.id)).toBe("solved");
    expect(await db.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(1);
  });

  it("never reopens a closed ticket, nor someone else's", async () => {
    const { owner, ticket } = await solvedTicket();
    const stranger = await person("customer");
    await expect(reopenOwnTicket(stranger, ticket.id)).rejects.toThrow("That ticket does not exist.");
    await closeOwnTicket(owner, ticket.id);
    await expect(reopenOwnTicket(owner, ticket.id)).rejects.toThrow("This ticket is closed. Open a follow-up ticket to continue.");
    expect(await statusOf(ticket.id)).toBe("closed");
  });

  it("closes a ticket in the transaction with its audit entry; closing again is not an error", async () => {
    const owner = await person("customer");
    const ticket = await createPortalTicket(owner, newTicket);
    await closeOwnTicket(owner, ticket.id);
    await closeOwnTicket(owner, ticket.id);
    expect(await statusOf(ticket.id)).toBe("closed");
    expect(await db.auditEvent.count({ where: { action: "ticket.closed_by_customer", subjectId: ticket.id } })).toBe(1);
  });
});

describe("follow-up tickets", () => {
  it("links a follow-up to the customer's own earlier ticket, and refuses another customer's", async () => {
    const { owner, ticket } = await solvedTicket();
    const followUp = await createPortalTicket(owner, { ...newTicket, followUpTo: ticket.id });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: followUp.id } })).followUpToTicketId).toBe(ticket.id);

    const stranger = await person("customer");
    await expect(createPortalTicket(stranger, { ...newTicket, followUpTo: ticket.id })).rejects.toThrow("The earlier ticket this follows up was not found.");
    expect(await db.ticket.count({ where: { requesterUserId: stranger.userId } })).toBe(0);
  });
});

describe("send and set status (agents)", () => {
  it("sends the reply and marks the ticket solved in one step, with both audit entries", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    const reply = await replyAsAgent(agent, { ticketId: ticket.id, body: "Fixed: the fuse was loose.", thenStatus: "solved" });
    expect(reply.status).toBe("solved");
    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.status).toBe("solved");
    expect(after.solvedAt).not.toBeNull();
    expect(after.firstResponseAt).not.toBeNull();
    const actions = (await db.auditEvent.findMany({ where: { subjectId: ticket.id }, orderBy: { id: "asc" } })).map((event) => event.action);
    expect(actions).toEqual(["ticket.created", "ticket.replied", "ticket.updated"]);
  });

  it("sets pending (the SLA clock pauses) and leaves a status the ticket already has alone", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    await replyAsAgent(agent, { ticketId: ticket.id, body: "Can you send a photo?", thenStatus: "pending" });
    expect(await statusOf(ticket.id)).toBe("pending");
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).slaPausedAt).not.toBeNull();
    await replyAsAgent(agent, { ticketId: ticket.id, body: "Still waiting for the photo.", thenStatus: "pending" });
    expect(await statusOf(ticket.id)).toBe("pending");
  });

  it("refuses a move the state machine forbids and then stores and sends nothing", async () => {
    const { owner, agent, ticket } = await solvedTicket();
    await closeOwnTicket(owner, ticket.id);
    const messages = await db.ticketMessage.count({ where: { ticketId: ticket.id } });
    const outbox = await db.outboxMessage.count();
    await expect(replyAsAgent(agent, { ticketId: ticket.id, body: "Solved again?", thenStatus: "solved" })).rejects.toThrow(
      "A closed ticket cannot be set to solved.",
    );
    expect(await db.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(messages);
    expect(await db.outboxMessage.count()).toBe(outbox);
    expect(await statusOf(ticket.id)).toBe("closed");
  });

  it("refuses putting a ticket back to new", async () => {
    const { agent, ticket } = await solvedTicket();
    await expect(updateTicket(agent, { ticketId: ticket.id, status: "new" })).rejects.toThrow("A ticket cannot go back to new once someone has worked on it.");
  });
});

describe("a customer reply racing an agent's status change", () => {
  /** Runs `reply` while `change` holds the ticket's row uncommitted, and commits once the reply waits on it. */
  async function replyDuring(ticketId: string, change: Parameters<typeof db.ticket.update>[0]["data"], reply: () => Promise<unknown>) {
    let replying: Promise<unknown> | undefined;
    await db.$transaction(async (tx) => {
      await tx.ticket.update({ where: { id: ticketId }, data: change });
      replying = reply().then(
        () => "sent",
        (error: unknown) => error,
      );
      for (;;) {
        const [lockWait] = await db.$queryRaw<{ waiting: number }[]>`
          SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if ((lockWait?.waiting ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    return replying;
  }

  it("does not reopen a solved ticket that an agent closed meanwhile: the reply is refused and nothing is added", async () => {
    const { owner, ticket } = await solvedTicket();
    const outcome = await replyDuring(ticket.id, { status: "closed" }, () => replyAsCustomer(owner, { ticketId: ticket.id, body: "One more thing." }));
    expect(outcome).toMatchObject({ code: "conflict" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("closed");
    expect(await db.ticketMessage.count({ where: { ticketId: ticket.id, body: "One more thing." } })).toBe(0);
  });

  it("leaves a ticket that stopped being pending meanwhile in its new status, its SLA clock untouched", async () => {
    const owner = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner, newTicket);
    await updateTicket(agent, { ticketId: ticket.id, status: "pending" });
    const outcome = await replyDuring(ticket.id, { status: "on_hold" }, () => replyAsCustomer(owner, { ticketId: ticket.id, body: "Here it is." }));
    expect(outcome).toBe("sent");
    const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.status).toBe("on_hold");
    // Still paused as the pending status left it: the reply did not resume the clock.
    expect(after.slaPausedAt).not.toBeNull();
  });
});
