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
    }
  };

  const sink: SseSink = {
    send: (event) => write(formatSseEvent(event)),
    close: finish,
    get closed() {
      return finished;
    },
  };

  const stream = new ReadableStream<Uint8Array>({
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
  });

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
