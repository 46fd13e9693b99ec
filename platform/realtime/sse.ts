import "server-only";

/**
 * A server-sent event stream as a route handler's Response. The caller's `open` receives a sink to
 * write events to and returns its cleanup, which runs exactly once: when the browser goes away
 * (request aborted, stream cancelled) or when the caller closes the sink.
 *
 * Headers: `no-transform` keeps response compression from buffering the stream (the compression
 * middleware skips such responses) and `X-Accel-Buffering: no` does the same for nginx in front.
 * A comment every HEARTBEAT_MS keeps proxies and load balancers (often 60 s idle timeouts) from
 * cutting a quiet stream, and lets the server notice a vanished client.
 */

export const HEARTBEAT_MS = 25_000;
/** How long the browser waits before reconnecting after the stream ends (EventSource `retry`). */
export const RECONNECT_MS = 3_000;

/**
 * Bytes written but not yet taken by the client beyond which the stream is dropped: a browser that
 * stopped reading (a frozen tab, a stalled proxy) must not make the server buffer every event for it.
 * It reconnects (EventSource) once it reads again, and reloads what it missed.
 */
export const MAX_UNREAD_BYTES = 64 * 1024;
/** Bytes the stream itself may hold before it counts as behind (above which desiredSize goes negative). */
const QUEUE_HIGH_WATER_BYTES = 16 * 1024;

export type SseEvent = { event: string; data: unknown; id?: string };

export type SseSink = {
  send: (event: SseEvent) => void;
  close: () => void;
  readonly closed: boolean;
};

const encoder = new TextEncoder();

/** One event in the wire format; `data` is JSON (never contains a newline, so one data line). */
export function formatSseEvent({ event, data, id }: SseEvent): string {
  const name = event.replace(/[\r\n]/g, "");
  const idLine = id === undefined ? "" : `id: ${id.replace(/[\r\n]/g, "")}\n`;
  return `${idLine}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function sseResponse(
  request: Request,
  open: (sink: SseSink) => Promise<() => void> | (() => void),
  options: {
    heartbeatMs?: number;
    onClose?: () => void;
    /** Checked at each heartbeat (the session may have ended since the stream opened): false ends the stream. */
    stillAllowed?: () => Promise<boolean>;
  } = {},
): Response {
  let cleanup: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let finished = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | null = null;

  const finish = () => {
    if (finished) return;
    finished = true;
    if (heartbeat) clearInterval(heartbeat);
    request.signal.removeEventListener("abort", finish);
    try {
      cleanup?.();
    } finally {
      options.onClose?.();
      try {
        controllerRef?.close();
      } catch {
        // Already closed or errored by the runtime: nothing left to release.
      }
    }
  };

  const write = (text: string) => {
    if (finished || !controllerRef) return;
    try {
      controllerRef.enqueue(encoder.encode(text));
    } catch {
      finish();
      return;
    }
    const unread = QUEUE_HIGH_WATER_BYTES - (controllerRef.desiredSize ?? QUEUE_HIGH_WATER_BYTES);
    if (unread > MAX_UNREAD_BYTES) {
      // error(), not close(): it discards what is queued, where close() would keep it for a reader that never comes.
      controllerRef.error(new Error("The client stopped reading the event stream."));
      finish();
    }
  };

  const sink: SseSink = {
    send: (event) => write(formatSseEvent(event)),
    close: finish,
    get closed() {
      return finished;
    },
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        controllerRef = controller;
        write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
        heartbeat = setInterval(() => {
          write(": keep-alive\n\n");
          options.stillAllowed?.().then(
            (allowed) => {
              if (!allowed) finish();
            },
            () => {},
          );
        }, options.heartbeatMs ?? HEARTBEAT_MS);
        heartbeat.unref();
        if (request.signal.aborted) {
          finish();
          return;
        }
        request.signal.addEventListener("abort", finish);
        try {
          const release = await open(sink);
          if (finished) release();
          else cleanup = release;
        } catch (error) {
          finish();
          throw error;
        }
      },
      cancel() {
        finish();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: QUEUE_HIGH_WATER_BYTES }),
  );

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
