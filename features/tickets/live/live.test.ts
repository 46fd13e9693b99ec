import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";

/** Waits for asynchronous delivery (NOTIFY, streams); generous because the machine may be busy, never a speed check. */
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });

// Real PostgreSQL throughout: the triggers, LISTEN/NOTIFY, two listeners standing for two instances.
// (The route handlers' own tests are in app/api/live/live-routes.test.ts.)

const { db } = await import("@/platform/db/client");
const { createAuthSession } = await import("@/platform/auth/sessions");
const { addInternalNote, createPortalTicket, replyAsAgent, replyAsCustomer, updateTicket } = await import("@/features/tickets/desk");
const { createTicketEventListener, subscribeTicketEvents } = await import("@/features/tickets/live/ticket-events");
const { PRESENCE_TTL_SECONDS, presenceOnTicket, recordPresence } = await import("@/features/tickets/live/presence");

type Role = "customer" | "agent" | "supervisor" | "admin";

async function person(role: Role, name = `A ${role}`) {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name, role, emailVerifiedAt: new Date() } });
  const sessionId = await createAuthSession(user.id, {});
  return { user, sessionId, actor: { sessionId, userId: user.id, role, name, email: user.email, customerId: null } };
}

const newTicket = { subject: "Live printer", description: "It prints by itself.", category: "problem", priority: "normal" } as const;

const listeners = [createTicketEventListener(process.env.DATABASE_URL as string), createTicketEventListener(process.env.DATABASE_URL as string)];
afterAll(async () => {
  await Promise.all(listeners.map((listener) => listener.close()));
});

/** The events one "instance" hears for one ticket. */
async function hear(listener = listeners[0]) {
  const events: { ticketId: string; kind: string }[] = [];
  const unsubscribe = await subscribeTicketEvents({ onEvent: (event) => events.push(event), onResync: () => {} }, listener);
  return { events, unsubscribe, kindsFor: (ticketId: string) => events.filter((event) => event.ticketId === ticketId).map((event) => event.kind) };
}

describe("ticket events from the database triggers", () => {
  it("tells every instance about a new ticket, replies, notes and status changes, by kind", async () => {
    const [instanceA, instanceB] = [await hear(listeners[0]), await hear(listeners[1])];
    const customer = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(customer.actor, newTicket);
    await eventually(() => expect(instanceB.kindsFor(ticket.id)).toEqual(expect.arrayContaining(["created", "customer_message"])));

    await replyAsAgent(agent.actor, { ticketId: ticket.id, body: "On it." });
    await eventually(() => expect(instanceA.kindsFor(ticket.id)).toContain("staff_reply"));
    await addInternalNote(agent.actor, { ticketId: ticket.id, body: "Looks like a ghost." });
    await eventually(() => expect(instanceA.kindsFor(ticket.id)).toContain("note"));
    await replyAsCustomer(customer.actor, { ticketId: ticket.id, body: "Still printing." });
    await updateTicket(agent.actor, { ticketId: ticket.id, status: "pending" });
    await eventually(() => expect(instanceB.kindsFor(ticket.id).filter((kind) => kind === "customer_message")).toHaveLength(2));
    await eventually(() => expect(instanceB.kindsFor(ticket.id)).toContain("updated"));
    instanceA.unsubscribe();
    instanceB.unsubscribe();
  });

  it("says nothing for a rolled-back change or a write that changes nothing", async () => {
    const customer = await person("customer");
    const heard = await hear();
    const ticket = await createPortalTicket(customer.actor, newTicket);
    // The creation's own events first; then only what follows counts.
    await eventually(() => expect(heard.kindsFor(ticket.id)).toContain("customer_message"));
    heard.events.length = 0;
    await db
      .$transaction(async (tx) => {
        await tx.ticket.update({ where: { id: ticket.id }, data: { status: "solved" } });
        throw new Error("changed my mind");
      })
      .catch(() => {});
    // Same values again (and the search trigger's own rewrite): not a change anyone needs to see.
    await db.$executeRaw`UPDATE "Ticket" SET "subject" = "subject" WHERE "id" = ${ticket.id}::uuid`;
    await db.ticket.update({ where: { id: ticket.id }, data: { priority: "urgent" } });
    await eventually(() => expect(heard.kindsFor(ticket.id)).toEqual(["updated"]));
    heard.unsubscribe();
  });
});

describe("ticket versions and API-written messages", () => {
  it("calls a reply written through the REST API staff's, not the customer's", async () => {
    const customer = await person("customer");
    const token = await db.apiToken.create({ data: { name: "CRM", prefix: "vd_live00", tokenHash: randomUUID(), scopes: ["tickets:write"] } });
    const heard = await hear();
    const ticket = await createPortalTicket(customer.actor, newTicket);
    await eventually(() => expect(heard.kindsFor(ticket.id)).toContain("customer_message"));
    heard.events.length = 0;
    await replyAsAgent({ userId: null, role: null, name: "CRM", apiTokenId: token.id }, { ticketId: ticket.id, body: "From the CRM." });
    await eventually(() => expect(heard.kindsFor(ticket.id)).toEqual(expect.arrayContaining(["staff_reply"])));
    expect(heard.kindsFor(ticket.id)).not.toContain("customer_message");
    heard.unsubscribe();
  });

  it("moves a ticket's version on with every change, whoever writes it, and not for a write that changes nothing", async () => {
    const customer = await person("customer");
    const ticket = await createPortalTicket(customer.actor, newTicket);
    const version = async () => (await db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, select: { version: true } })).version;
    const start = await version();
    await db.$executeRaw`UPDATE "Ticket" SET "subject" = "subject" WHERE "id" = ${ticket.id}::uuid`;
    await db.ticket.update({ where: { id: ticket.id }, data: { updatedAt: new Date() } });
    expect(await version()).toBe(start);
    await db.$executeRaw`UPDATE "Ticket" SET "priority" = 'high' WHERE "id" = ${ticket.id}::uuid`;
    expect(await version()).toBe(start + 1);
    await db.ticket.update({ where: { id: ticket.id }, data: { status: "open", version: 1 } });
    // An explicit version is not taken: only the trigger moves it, and only forward.
    expect(await version()).toBe(start + 2);
  });
});

describe("presence", () => {
  it("lists who is on a ticket until their heartbeat expires, and removes one who left", async () => {
    const customer = await person("customer");
    const sam = await person("agent", "Sam Agent");
    const rita = await person("agent", "Rita Replier");
    const ticket = await createPortalTicket(customer.actor, newTicket);
    const heard = await hear();
    const t0 = new Date();
    await recordPresence(sam.user.id, ticket.id, { state: "viewing" }, t0);
    await recordPresence(rita.user.id, ticket.id, { state: "replying" }, t0);
    expect((await presenceOnTicket(ticket.id, t0)).map((entry) => [entry.name, entry.state])).toEqual([
      ["Rita Replier", "replying"],
      ["Sam Agent", "viewing"],
    ]);
    await eventually(() => expect(heard.kindsFor(ticket.id)).toContain("presence"));

    // Rita's heartbeat continues, Sam's stops: past the time to live only Rita is left.
    const later = new Date(t0.getTime() + (PRESENCE_TTL_SECONDS - 5) * 1000);
    await recordPresence(rita.user.id, ticket.id, { state: "viewing" }, later);
    const afterSamExpired = new Date(t0.getTime() + (PRESENCE_TTL_SECONDS + 1) * 1000);
    expect((await presenceOnTicket(ticket.id, afterSamExpired)).map((entry) => entry.name)).toEqual(["Rita Replier"]);

    await recordPresence(rita.user.id, ticket.id, { state: "gone" }, later);
    expect(await presenceOnTicket(ticket.id, later)).toHaveLength(1);
    expect(await presenceOnTicket(ticket.id, afterSamExpired)).toEqual([]);
    heard.unsubscribe();
  });

  it("refuses presence on a ticket that does not exist and writes nothing", async () => {
    const sam = await person("agent");
    await expect(recordPresence(sam.user.id, randomUUID(), { state: "viewing" })).rejects.toMatchObject({ code: "not_found" });
    expect(await db.ticketPresence.count({ where: { userId: sam.user.id } })).toBe(0);
  });
});
