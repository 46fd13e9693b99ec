/**
 * Requests the framework would answer with a 500 before any of our code runs, answered here (from
 * proxy.ts) with the right 4xx and a clear message instead:
 *
 * - a server-action POST over the body size limit: Next.js throws "Body exceeded 1 MB limit"
 *   and answers 500 (its action handler has a TODO to make that a 413);
 * - a server-action POST with no Content-Length (a chunked body): Next.js reads it, throws at 1 MB
 *   and answers 500 the same way, and we cannot know its size before it is read. Browsers always
 *   send the length of an action's body, so it is required (411) rather than counted;
 * - a path whose percent-encoding is not UTF-8 ("/console/tickets/x%ED%A0%80"): decoding the
 *   dynamic segment throws and Next.js answers 500.
 */

/** Same as experimental.serverActions.bodySizeLimit in next.config.js ("1mb"). */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

export const ACTION_LENGTH_REQUIRED_MESSAGE = "Send this request with a Content-Length header (a chunked body is not accepted here).";

export const ACTION_TOO_LARGE_MESSAGE = "What you sent is larger than 1 MB. Shorten the text (or send long content as an attachment) and try again.";

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export function refuseHostileRequest(request: Request): Response | null {
  const url = new URL(request.url);
  if (!decodes(url.pathname)) {
    return new Response("This address is not valid: its percent-encoding is not UTF-8.", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (request.method === "POST" && request.headers.has("next-action")) {
    const declared = request.headers.get("content-length");
    if (declared === null && request.body !== null) {
      return new Response(ACTION_LENGTH_REQUIRED_MESSAGE, { status: 411, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    const length = Number(declared ?? "0");
    if (Number.isFinite(length) && length > SERVER_ACTION_BODY_LIMIT_BYTES) {
      return new Response(ACTION_TOO_LARGE_MESSAGE, { status: 413, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
  }
  return null;
}
