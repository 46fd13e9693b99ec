import "server-only";
import { randomBytes } from "node:crypto";
import { type Actor, actorForSession } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { isUuid } from "@/platform/ids";
import { type SseSink, sseResponse } from "@/platform/realtime/sse";
import { StreamLimiter } from "@/platform/realtime/stream-limit";
import type { PgChannelListener } from "@/platform/realtime/pg-channel";
import { presenceOnTicket } from "@/features/tickets/live/presence";
import { type TicketEvent, type TicketEventKind, subscribeTicketEvents } from "@/features/tickets/live/ticket-events";

/**
 * The live streams behind the queue and the ticket pages (route handlers in app/api/live/ call
 * these after the guard). Events carry only a ticket id and a change kind: the page re-reads
 * through its own authorized server render, so a stream never shows more than the page may.
 *
 * Nothing is missed: ids are per instance, so a browser that reconnects (it sends Last-Event-ID)
 * or whose instance lost its LISTEN connection gets a `resync` event and re-reads the page.
 */

/** Open streams per person and instance: several tabs are normal, hundreds are an attack. */
export const MAX_STREAMS_PER_USER = 8;
const limiter = new StreamLimiter(MAX_STREAMS_PER_USER);

const instanceId = randomBytes(4).toString("hex");
let sequence = 0;
const nextEventId = () => `${instanceId}-${++sequence}`;

/** What the customer's own ticket page needs to hear of: their conversation and the ticket's status, never notes or who is looking. */
const CUSTOMER_VISIBLE: ReadonlySet<TicketEventKind> = new Set(["updated", "customer_message", "staff_reply"]);

type StreamOptions = {
  actor: Actor;
  /** Which events this stream forwards as `ticket` events. */
  forward: (event: TicketEvent) => boolean;
  /** Staff ticket page: also send who else is on this ticket. */
  presenceTicketId?: string;
  listener?: PgChannelListener;
};

function tooManyStreams(): Response {
  return Response.json(
    { error: `You have ${MAX_STREAMS_PER_USER} live pages open already. Close some tabs and reload this one.` },
    { status: 429, headers: { "Retry-After": "30" } },
  );
}

function openStream(request: Request, { actor, forward, presenceTicketId, listener }: StreamOptions): Response {
  const release = limiter.tryAcquire(actor.userId);
  if (!release) return tooManyStreams();
  return sseResponse(
    request,
    async (sink) => {
      const presence = presenceTicketId ? presenceSender(sink, presenceTicketId, actor.userId) : null;
      // A reconnecting browser may have missed events while it was away.
      if (request.headers.get("last-event-id")) sink.send({ event: "resync", data: {}, id: nextEventId() });
      const unsubscribe = await subscribeTicketEvents(
        {
          onEvent: (event) => {
            if (presence && event.kind === "presence" && event.ticketId === presenceTicketId) presence.refresh();
            else if (forward(event)) sink.send({ event: "ticket", data: { ticketId: event.ticketId, kind: event.kind }, id: nextEventId() });
          },
          onResync: () => {
            sink.send({ event: "resync", data: {}, id: nextEventId() });
            presence?.refresh();
          },
        },
        ...(listener ? [listener] : []),
      );
      presence?.refresh();
      return unsubscribe;
    },
    {
      onClose: release,
      // A stream outlives the request that the guard checked: once the session is signed out,
      // expired or the account disabled, it ends, and the browser's reconnect meets the guard again.
      stillAllowed: async () => {
        const current = await actorForSession(actor.sessionId);
        return current !== null && current.role === actor.role;
      },
    },
  );
}

/**
 * Sends the list of other people on the ticket, re-read after each presence change. Reads never
 * overlap: a change that arrives during a read triggers one more read after it, so the last list
 * sent is never older than the last change.
 */
function presenceSender(sink: SseSink, ticketId: string, selfUserId: string) {
  let reading = false;
  let again = false;
  const read = async () => {
    reading = true;
    try {
      do {
        again = false;
        const now = new Date();
        const others = (await presenceOnTicket(ticketId, now)).filter((entry) => entry.userId !== selfUserId);
        sink.send({
          event: "presence",
          // Seconds left rather than a time: the browser's clock may differ from the server's.
          data: others.map((entry) => ({
            userId: entry.userId,
            name: entry.name,
            state: entry.state,
            secondsLeft: Math.max(1, Math.ceil((entry.expiresAt.getTime() - now.getTime()) / 1000)),
          })),
        });
      } while (again && !sink.closed);
    } catch (error) {
      console.warn(`[live] presence read failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      reading = false;
    }
  };
  return {
    refresh() {
      if (sink.closed) return;
      if (reading) again = true;
      else void read();
    },
  };
}

/** Every change to any ticket, for staff queues (the guard has checked the console area). */
export function queueEventStream(request: Request, actor: Actor, listener?: PgChannelListener): Response {
  return openStream(request, { actor, listener, forward: (event) => event.kind !== "presence" });
}

function ticketIdFrom(params: Record<string, string | string[]>): string | null {
  const id = params.id;
  return typeof id === "string" && isUuid(id) ? id : null;
}

const NOT_FOUND = () => Response.json({ error: "This ticket does not exist." }, { status: 404 });

/** One ticket's changes and who else has it open, for staff (any staff member may open any ticket, as on the page). */
export async function staffTicketEventStream(
  request: Request,
  actor: Actor,
  params: Record<string, string | string[]>,
  listener?: PgChannelListener,
): Promise<Response> {
  const ticketId = ticketIdFrom(params);
  if (!ticketId || !(await db.ticket.findUnique({ where: { id: ticketId }, select: { id: true } }))) return NOT_FOUND();
  return openStream(request, {
    actor,
    listener,
    presenceTicketId: ticketId,
    forward: (event) => event.ticketId === ticketId && event.kind !== "presence",
  });
}

/** A customer's own ticket (as the portal page decides it: they requested it); another's looks like a missing one. */
export async function customerTicketEventStream(
  request: Request,
  actor: Actor,
  params: Record<string, string | string[]>,
  listener?: PgChannelListener,
): Promise<Response> {
  const ticketId = ticketIdFrom(params);
  if (!ticketId || !(await db.ticket.findFirst({ where: { id: ticketId, requesterUserId: actor.userId }, select: { id: true } }))) return NOT_FOUND();
  return openStream(request, {
    actor,
    listener,
    forward: (event) => event.ticketId === ticketId && CUSTOMER_VISIBLE.has(event.kind),
  });
}
