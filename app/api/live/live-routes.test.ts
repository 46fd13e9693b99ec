import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";

/** Waits for asynchronous delivery (NOTIFY, streams); generous because the machine may be busy, never a speed check. */
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });

// The guard reads the session through next-auth and Next's request APIs: those are replaced by a
// controllable session id (as in platform/auth/guard.test.ts). Everything behind them is real:
// sessions, the route handlers of app/api/live, the triggers, LISTEN/NOTIFY on PostgreSQL.
const sessionState = vi.hoisted(() => ({ sessionId: null as string | null }));
vi.mock("next-auth", () => ({ getServerSession: vi.fn(async () => (sessionState.sessionId ? { sessionId: sessionState.sessionId } : null)) }));
vi.mock("next/server", () => ({ connection: vi.fn(async () => {}) }));
vi.mock("next/headers", () => ({ headers: vi.fn(async () => new Headers({ "x-veridesk-peer": "203.0.113.9" })) }));

const { db } = await import("@/platform/db/client");
const { createAuthSession } = await import("@/platform/auth/sessions");
const { addInternalNote, createPortalTicket, replyAsAgent, replyAsCustomer, updateTicket } = await import("@/features/tickets/desk");
const { recordPresence } = await import("@/features/tickets/live/presence");
const { MAX_STREAMS_PER_USER } = await import("@/features/tickets/live/streams");
const queueRoute = await import("./queue/route");
const ticketRoute = await import("./tickets/[id]/route");
const presenceRoute = await import("./tickets/[id]/presence/route");
const portalRoute = await import("./portal/tickets/[id]/route");

type Role = "customer" | "agent" | "supervisor" | "admin";

async function person(role: Role, name = `A ${role}`) {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.test`, name, role, emailVerifiedAt: new Date() } });
  const sessionId = await createAuthSession(user.id, {});
  return { user, sessionId, actor: { sessionId, userId: user.id, role, name, email: user.email, customerId: null } };
}

const newTicket = { subject: "Live printer", description: "It prints by itself.", category: "problem", priority: "normal" } as const;

/** Reads a server-sent event stream, event by event. */
function readEvents(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown; id?: string }[] = [];
  let buffer = "";
  let done = false;
  const pump = (async () => {
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) {
        done = true;
        return;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((line) => line && !line.startsWith(":"))
            .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]),
        );
        if (fields.event) events.push({ event: fields.event, data: JSON.parse(fields.data ?? "null"), id: fields.id });
        end = buffer.indexOf("\n\n");
      }
    }
  })();
  return { events, pump, isDone: () => done };
}

function streamRequest(path: string, init: RequestInit & { lastEventId?: string } = {}) {
  const controller = new AbortController();
  const headers = new Headers(init.headers);
  if (init.lastEventId) headers.set("last-event-id", init.lastEventId);
  return { request: new Request(`http://localhost${path}`, { ...init, headers, signal: controller.signal }), abort: () => controller.abort() };
}

const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

beforeEach(() => {
  sessionState.sessionId = null;
});

describe("the live routes", () => {
  it("open the queue stream to staff only", async () => {
    expect((await queueRoute.GET(streamRequest("/api/live/queue").request, params({}))).status).toBe(401);
    sessionState.sessionId = (await person("customer")).sessionId;
    expect((await queueRoute.GET(streamRequest("/api/live/queue").request, params({}))).status).toBe(403);

    const agent = await person("agent");
    sessionState.sessionId = agent.sessionId;
    const { request, abort } = streamRequest("/api/live/queue");
    const response = await queueRoute.GET(request, params({}));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    const stream = readEvents(response);
    const customer = await person("customer");
    // Give the stream time to subscribe: the first event proves it, a later one is what we test.
    await eventually(async () => {
      await createPortalTicket(customer.actor, newTicket);
      expect(stream.events.some((event) => event.event === "ticket")).toBe(true);
    });
    const ticket = await createPortalTicket(customer.actor, newTicket);
    await eventually(() => expect(stream.events).toContainEqual(expect.objectContaining({ event: "ticket", data: { ticketId: ticket.id, kind: "created" } })));
    abort();
    await stream.pump;
  });

  it("open a ticket's staff stream to staff for an existing ticket, with presence of the others", async () => {
    const customer = await person("customer");
    const ticket = await createPortalTicket(customer.actor, newTicket);
    sessionState.sessionId = customer.sessionId;
    expect((await ticketRoute.GET(streamRequest(`/api/live/tickets/${ticket.id}`).request, params({ id: ticket.id }))).status).toBe(403);

    const viewer = await person("agent", "Vera Viewer");
    const sam = await person("agent", "Sam Agent");
    sessionState.sessionId = viewer.sessionId;
    expect((await ticketRoute.GET(streamRequest("/api/live/tickets/x").request, params({ id: "not-a-uuid" }))).status).toBe(404);
    expect((await ticketRoute.GET(streamRequest("/api/live/tickets/x").request, params({ id: randomUUID() }))).status).toBe(404);

    const { request, abort } = streamRequest(`/api/live/tickets/${ticket.id}`);
    const stream = readEvents(await ticketRoute.GET(request, params({ id: ticket.id })));
    await eventually(() => expect(stream.events).toContainEqual({ event: "presence", data: [], id: undefined }));

    // Sam's page sends its heartbeat through the route; Vera's stream shows Sam, never Vera herself.
    sessionState.sessionId = viewer.sessionId;
    await presenceRoute.POST(new Request("http://localhost/p", { method: "POST", body: JSON.stringify({ state: "viewing" }) }), params({ id: ticket.id }));
    sessionState.sessionId = sam.sessionId;
    const beat = await presenceRoute.POST(
      new Request("http://localhost/p", { method: "POST", body: JSON.stringify({ state: "replying" }) }),
      params({ id: ticket.id }),
    );
    expect(beat.status).toBe(204);
    await eventually(() =>
      expect(stream.events.filter((event) => event.event === "presence").at(-1)?.data).toEqual([
        expect.objectContaining({ name: "Sam Agent", state: "replying", userId: sam.user.id }),
      ]),
    );
    // Another ticket's changes are not this page's business; this one's are.
    await createPortalTicket(customer.actor, newTicket);
    await replyAsCustomer(customer.actor, { ticketId: ticket.id, body: "Any news?" });
    await eventually(() =>
      expect(stream.events).toContainEqual(expect.objectContaining({ event: "ticket", data: { ticketId: ticket.id, kind: "customer_message" } })),
    );
    expect(stream.events.filter((event) => event.event === "ticket").every((event) => (event.data as { ticketId: string }).ticketId === ticket.id)).toBe(true);
    abort();
    await stream.pump;
  });

  it("refuse bad heartbeats with a clear error and change nothing", async () => {
    const customer = await person("customer");
    const ticket = await createPortalTicket(customer.actor, newTicket);
    const sam = await person("agent");
    const post = (body: string, id = ticket.id) => presenceRoute.POST(new Request("http://localhost/p", { method: "POST", body }), params({ id }));
    expect((await post(JSON.stringify({ state: "viewing" }))).status).toBe(401);
    sessionState.sessionId = customer.sessionId;
    expect((await post(JSON.stringify({ state: "viewing" }))).status).toBe(403);
    sessionState.sessionId = sam.sessionId;
    const cases: [string, number, RegExp][] = [
      ["not json", 400, /Send JSON/],
      [JSON.stringify({ state: "dancing" }), 400, /viewing, replying or gone/],
      [JSON.stringify({ state: "viewing\u0000" }), 400, /cannot be stored/],
      [JSON.stringify({ state: "viewing", pad: "x".repeat(5000) }), 413, /at most 1 KB/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      expect(response.status).toBe(status);
      expect((await response.json()).error).toMatch(message);
    }
    expect((await post(JSON.stringify({ state: "viewing" }), randomUUID())).status).toBe(404);
    expect(await db.ticketPresence.count({ where: { userId: sam.user.id } })).toBe(0);
  });

  it("open a portal ticket stream to its requester only, without notes or presence", async () => {
    const owner = await person("customer");
    const stranger = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(owner.actor, newTicket);
    sessionState.sessionId = stranger.sessionId;
    expect((await portalRoute.GET(streamRequest("/x").request, params({ id: ticket.id }))).status).toBe(404);
    sessionState.sessionId = agent.sessionId;
    expect((await portalRoute.GET(streamRequest("/x").request, params({ id: ticket.id }))).status).toBe(403);

    sessionState.sessionId = owner.sessionId;
    const { request, abort } = streamRequest("/x");
    const stream = readEvents(await portalRoute.GET(request, params({ id: ticket.id })));
    await eventually(async () => {
      await updateTicket(agent.actor, { ticketId: ticket.id, priority: Math.random() < 0.5 ? "high" : "low" });
      expect(stream.events.some((event) => event.event === "ticket")).toBe(true);
    });
    await addInternalNote(agent.actor, { ticketId: ticket.id, body: "Customer is difficult." });
    await recordPresence(agent.user.id, ticket.id, { state: "viewing" });
    await replyAsAgent(agent.actor, { ticketId: ticket.id, body: "Fixed." });
    await eventually(() =>
      expect(stream.events).toContainEqual(expect.objectContaining({ event: "ticket", data: { ticketId: ticket.id, kind: "staff_reply" } })),
    );
    const kinds = stream.events.map((event) => (event.data as { kind?: string }).kind ?? event.event);
    expect(kinds).not.toContain("note");
    expect(kinds).not.toContain("presence");
    abort();
    await stream.pump;
  });

  it("tell a reconnecting browser to re-read, limit streams per person and free a slot on disconnect", async () => {
    const agent = await person("agent");
    sessionState.sessionId = agent.sessionId;
    const resumed = streamRequest("/api/live/queue", { lastEventId: "abc-12" });
    const resumedStream = readEvents(await queueRoute.GET(resumed.request, params({})));
    await eventually(() => expect(resumedStream.events.map((event) => event.event)).toContain("resync"));

    const open = [resumed];
    for (let index = 1; index < MAX_STREAMS_PER_USER; index++) {
      const opened = streamRequest("/api/live/queue");
      expect((await queueRoute.GET(opened.request, params({}))).status).toBe(200);
      open.push(opened);
    }
    const refused = await queueRoute.GET(streamRequest("/api/live/queue").request, params({}));
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatch(/live pages open already/);

    resumed.abort();
    await resumedStream.pump;
    const freed = streamRequest("/api/live/queue");
    expect((await queueRoute.GET(freed.request, params({}))).status).toBe(200);
    for (const stream of [...open.slice(1), freed]) stream.abort();
  });
});
