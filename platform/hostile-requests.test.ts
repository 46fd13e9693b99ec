import { describe, expect, it } from "vitest";
import { refuseHostileRequest, SERVER_ACTION_BODY_LIMIT_BYTES } from "@/platform/hostile-requests";

const action = (init: { headers?: Record<string, string>; body?: BodyInit }) =>
  new Request("http://localhost/portal/tickets/new", {
    method: "POST",
    headers: { "next-action": "abc123", ...init.headers },
    body: init.body,
    // A ReadableStream body is sent chunked, with no Content-Length.
    ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);

const chunked = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode("[{}]"));
      controller.close();
    },
  });

describe("refuseHostileRequest", () => {
  it("answers 413 for an action body declared over the limit", async () => {
    const response = refuseHostileRequest(action({ headers: { "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES + 1) }, body: "x" }));
    expect(response?.status).toBe(413);
    expect(await response?.text()).toMatch(/larger than 1 MB/);
  });

  it("answers 411 for an action body with no Content-Length (chunked), which Next.js would answer 500 past 1 MB", async () => {
    const response = refuseHostileRequest(action({ body: chunked() }));
    expect(response?.status).toBe(411);
    expect(await response?.text()).toMatch(/Content-Length/);
  });

  it("lets an action through with a declared length within the limit, and a bodiless one", () => {
    expect(refuseHostileRequest(action({ headers: { "content-length": "4" }, body: "[{}]" }))).toBeNull();
    expect(refuseHostileRequest(action({}))).toBeNull();
  });

  it("leaves posts that are not server actions alone", () => {
    const upload = new Request("http://localhost/api/inbound", { method: "POST", body: chunked(), duplex: "half" } as RequestInit);
    expect(refuseHostileRequest(upload)).toBeNull();
  });

  it("answers 400 for a path whose percent-encoding is not UTF-8", () => {
    expect(refuseHostileRequest(new Request("http://localhost/console/tickets/x%ED%A0%80"))?.status).toBe(400);
  });
});
