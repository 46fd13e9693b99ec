import "server-only";
import { z } from "zod";
import { PgChannelListener } from "@/platform/realtime/pg-channel";

/**
 * Ticket changes as the database announces them (triggers in the live_ticket_events migration call
 * pg_notify on this channel inside the writing transaction, so only committed changes arrive).
 */
export const TICKET_EVENTS_CHANNEL = "veridesk_ticket_events";

export const TICKET_EVENT_KINDS = ["created", "updated", "customer_message", "staff_reply", "note", "delivery", "presence"] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export type TicketEvent = { ticketId: string; kind: TicketEventKind; version: string };

const payloadSchema = z.object({ t: z.uuid(), k: z.enum(TICKET_EVENT_KINDS), v: z.string().max(40) });

/** A notification payload, or null for anything else (another writer on the channel, a future kind). */
export function parseTicketEvent(payload: string): TicketEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  return parsed.success ? { ticketId: parsed.data.t, kind: parsed.data.k, version: parsed.data.v } : null;
}

export type TicketEventSubscriber = { onEvent: (event: TicketEvent) => void; onResync: () => void };

export function createTicketEventListener(connectionString: string): PgChannelListener {
  return new PgChannelListener({ connectionString, channel: TICKET_EVENTS_CHANNEL });
}

const globalForEvents = globalThis as unknown as { veridesk_ticketEvents?: PgChannelListener };

/** This instance's one listener (one database connection, however many pages are open). */
function instanceListener(): PgChannelListener {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  globalForEvents.veridesk_ticketEvents ??= createTicketEventListener(url);
  return globalForEvents.veridesk_ticketEvents;
}

/** Subscribes to ticket events on `listener` (default: this instance's); resolves to the unsubscribe function. */
export function subscribeTicketEvents(subscriber: TicketEventSubscriber, listener: PgChannelListener = instanceListener()): Promise<() => void> {
  return listener.subscribe({
    onMessage: (payload) => {
      const event = parseTicketEvent(payload);
      if (event) subscriber.onEvent(event);
    },
    onResync: subscriber.onResync,
  });
}
