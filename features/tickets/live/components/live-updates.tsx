"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/**
 * Keeps a server-rendered page current: listens to the page's event stream (app/api/live/…) and
 * re-reads the page with router.refresh() when something changed. refresh() re-renders the server
 * components in place, so client state survives: a half-typed reply, the focused element, the
 * scroll position. Bursts of changes (the SLA job touching many tickets) become one refresh; a tab
 * in the background refreshes when it is shown again.
 *
 * On a staff ticket page it also reports this agent's presence (viewing, or replying while the
 * composer holds text) and shows who else is on the ticket. One stream per page: browsers allow
 * only six connections per site over HTTP/1.1.
 */

export type LiveKind = "queue" | "staff-ticket" | "customer-ticket";

type TicketEventData = { ticketId: string; kind: string };
type Viewer = { userId: string; name: string; state: "viewing" | "replying"; until: number };

const QUIET_MS = 400;
const MAX_WAIT_MS = 2_000;
/** The queue announces at most this often: on a busy desk every change would drown a screen reader. */
const QUEUE_ANNOUNCE_EVERY_MS = 30_000;
const RETRY_AFTER_CLOSED_MS = 30_000;
const HEARTBEAT_MS = 20_000;

function announcementFor(kind: LiveKind, events: TicketEventData[]): string {
  if (kind === "queue") return "Queue updated.";
  const kinds = new Set(events.map((event) => event.kind));
  if (kind === "customer-ticket") {
    if (kinds.has("staff_reply")) return "New reply from support.";
    return "This ticket was updated.";
  }
  if (kinds.has("customer_message")) return "New reply from the customer.";
  if (kinds.has("staff_reply")) return "New reply from an agent.";
  if (kinds.has("note")) return "New internal note.";
  return "Ticket updated.";
}

export function describePresence(viewers: readonly Pick<Viewer, "name" | "state">[]): string {
  return viewers.map((viewer) => `${viewer.name} is ${viewer.state === "replying" ? "replying" : "viewing"}`).join(" · ");
}

function composerHasText(): boolean {
  const composer = document.querySelector<HTMLTextAreaElement>("textarea[data-live-composer]");
  return Boolean(composer?.value.trim());
}

export function LiveUpdates({ streamUrl, kind, presenceUrl }: { streamUrl: string; kind: LiveKind; presenceUrl?: string }) {
  const router = useRouter();
  const [announcement, setAnnouncement] = useState("");
  const [connected, setConnected] = useState(false);
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const pending = useRef<TicketEventData[]>([]);
  const lastAnnouncedAt = useRef(0);

  // The stream and the refreshes.
  useEffect(() => {
    let source: EventSource | null = null;
    let quietTimer: ReturnType<typeof setTimeout> | undefined;
    let maxTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let dropped = false;
    let stopped = false;

    const flush = () => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      quietTimer = maxTimer = undefined;
      if (document.visibilityState === "hidden") return; // visibilitychange flushes it
      const events = pending.current;
      if (events.length === 0) return;
      pending.current = [];
      router.refresh();
      const now = Date.now();
      const resyncOnly = events.every((event) => event.kind === "resync");
      if (resyncOnly || (kind === "queue" && now - lastAnnouncedAt.current < QUEUE_ANNOUNCE_EVERY_MS)) return;
      lastAnnouncedAt.current = now;
      // Emptied first so that the same words, said again, are announced again.
      setAnnouncement("");
      const words = announcementFor(kind, events);
      requestAnimationFrame(() => setAnnouncement(words));
    };
    const schedule = (event: TicketEventData) => {
      pending.current.push(event);
      clearTimeout(quietTimer);
      quietTimer = setTimeout(flush, QUIET_MS);
      maxTimer ??= setTimeout(flush, MAX_WAIT_MS);
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && pending.current.length > 0) flush();
    };

    const connect = () => {
      source = new EventSource(streamUrl);
      source.addEventListener("open", () => {
        setConnected(true);
        // Back after a drop: whatever changed meanwhile is re-read.
        if (dropped) schedule({ ticketId: "", kind: "resync" });
        dropped = false;
      });
      source.addEventListener("error", () => {
        setConnected(false);
        dropped = true;
        // CLOSED: the server refused (signed out, too many tabs); EventSource gives up, so try later.
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retryTimer = setTimeout(connect, RETRY_AFTER_CLOSED_MS);
        }
      });
      source.addEventListener("ticket", (message) => {
        try {
          schedule(JSON.parse((message as MessageEvent<string>).data) as TicketEventData);
        } catch {
          // Not ours: ignore.
        }
      });
      source.addEventListener("resync", () => schedule({ ticketId: "", kind: "resync" }));
      source.addEventListener("presence", (message) => {
        try {
          const list = JSON.parse((message as MessageEvent<string>).data) as { userId: string; name: string; state: Viewer["state"]; secondsLeft: number }[];
          const now = Date.now();
          setViewers(list.map((entry) => ({ userId: entry.userId, name: entry.name, state: entry.state, until: now + entry.secondsLeft * 1000 })));
        } catch {
          // Not ours: ignore.
        }
      });
    };
    connect();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      clearTimeout(retryTimer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [streamUrl, kind, router]);

  // Someone who stopped sending heartbeats (closed the lid) disappears when their time is up.
  useEffect(() => {
    if (viewers.length === 0) return;
    const next = Math.min(...viewers.map((viewer) => viewer.until));
    const timer = setTimeout(() => setViewers((current) => current.filter((viewer) => viewer.until > Date.now())), Math.max(0, next - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [viewers]);

  // This agent's own presence: a heartbeat while the page is open, "replying" while the composer holds text.
  useEffect(() => {
    if (!presenceUrl) return;
    let state: "viewing" | "replying" = composerHasText() ? "replying" : "viewing";
    const send = () =>
      fetch(presenceUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ state }), keepalive: true }).catch(() => {
        // The next heartbeat tries again.
      });
    const check = () => {
      const now = composerHasText() ? "replying" : "viewing";
      if (now !== state) {
        state = now;
        void send();
      }
    };
    const leave = () => navigator.sendBeacon(presenceUrl, new Blob([JSON.stringify({ state: "gone" })], { type: "application/json" }));
    void send();
    const heartbeat = setInterval(send, HEARTBEAT_MS);
    // Typing is seen at once; a reply sent (the composer emptied by the page) within a second.
    const watch = setInterval(check, 1_000);
    document.addEventListener("input", check);
    window.addEventListener("pagehide", leave);
    return () => {
      clearInterval(heartbeat);
      clearInterval(watch);
      document.removeEventListener("input", check);
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [presenceUrl]);

  const others = describePresence(viewers);
  return (
    <>
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-live-announcement>
        {announcement}
      </p>
      {presenceUrl ? (
        <p role="status" className="mt-2 flex min-h-5 flex-wrap items-center gap-x-2 text-sm text-amber-800">
          {others ? (
            <>
              <span aria-hidden="true" className="inline-block size-2 rounded-full bg-amber-500" />
              <span className="min-w-0 [overflow-wrap:anywhere]">{others}</span>
            </>
          ) : null}
        </p>
      ) : null}
      {/* For tests and styles: whether the stream is open right now. */}
      <span hidden data-live-connected={connected ? "true" : "false"} />
    </>
  );
}
