import { describe, expect, it, vi } from "vitest";
import { formatSseEvent, MAX_UNREAD_BYTES, type SseSink, sseResponse } from "@/platform/realtime/sse";

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

  it("drops the stream of a client that stops reading instead of buffering without bound, and keeps one that reads", async () => {
    const event = { event: "ticket", data: { text: "x".repeat(1000) } };
    const open = () => {
      let sink!: SseSink;
      const cleanup = vi.fn();
      const response = sseResponse(new Request("http://localhost/s"), (s) => {
        sink = s;
        return cleanup;
      });
      return { response, sink: () => sink, cleanup };
    };

    const reading = open();
    const reader = (reading.response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read(); // the stream has started and its sink exists
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < (MAX_UNREAD_BYTES / 1000) * 0.8; i++) reading.sink().send(event);
      // Read what is queued: the client keeps up.
      let taken = 0;
      while (taken < MAX_UNREAD_BYTES * 0.8) taken += (await reader.read()).value?.byteLength ?? 0;
    }
    expect(reading.sink().closed).toBe(false);
    await reader.cancel();

    const stalled = open();
    // Nobody reads this body. One turn first, so the stream has registered open()'s cleanup.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let i = 0; i < 200 && !stalled.sink().closed; i++) stalled.sink().send(event);
    expect(stalled.sink().closed).toBe(true);
    expect(stalled.cleanup).toHaveBeenCalledTimes(1);
    await expect(new Response(stalled.response.body).text()).rejects.toThrow();
  });
});
