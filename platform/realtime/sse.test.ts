import { describe, expect, it, vi } from "vitest";
import { formatSseEvent, sseResponse } from "@/platform/realtime/sse";

async function readAll(response: Response): Promise<string> {
  return new Response(response.body).text();
}

describe("sseResponse", () => {
  it("writes events in the wire format, one data line, no injected fields", () => {
    expect(formatSseEvent({ event: "ticket", data: { a: "line\nbreak" }, id: "x\n\ndata: evil" })).toBe(
      'id: xdata: evil\nevent: ticket\ndata: {"a":"line\\nbreak"}\n\n',
    );
  });

  it("runs the cleanup once when the browser goes away", async () => {
    const controller = new AbortController();
    const cleanup = vi.fn();
    const onClose = vi.fn();
    const response = sseResponse(
      new Request("http://localhost/s", { signal: controller.signal }),
      (sink) => {
        sink.send({ event: "hello", data: 1 });
        return cleanup;
      },
      { onClose },
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain("retry: 3000");
    controller.abort();
    await reader.cancel();
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it("sends heartbeats and ends the stream once the session is no longer allowed", async () => {
    let allowed = true;
    const cleanup = vi.fn();
    const response = sseResponse(new Request("http://localhost/s"), () => cleanup, {
      heartbeatMs: 10,
      stillAllowed: async () => {
        const answer = allowed;
        allowed = false;
        return answer;
      },
    });
    const text = await readAll(response);
    expect(text).toContain(": keep-alive");
    expect(cleanup).toHaveBeenCalledTimes(1);
  });
});
