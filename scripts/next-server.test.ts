import { describe, expect, it } from "vitest";
import { stampPeerAddress, workerCountArgument } from "./next-server.mjs";

describe("the launcher's HTTP server", () => {
  it("replaces a client-sent x-veridesk-peer with the socket's address", () => {
    const req = {
      headers: { "x-veridesk-peer": "198.51.100.1", "x-forwarded-for": "198.51.100.2" } as Record<string, string>,
      rawHeaders: ["X-Veridesk-Peer", "198.51.100.1", "X-Forwarded-For", "198.51.100.2", "x-veridesk-peer", "198.51.100.3"],
      socket: { remoteAddress: "::ffff:203.0.113.9" },
    };
    stampPeerAddress(req);
    expect(req.headers["x-veridesk-peer"]).toBe("::ffff:203.0.113.9");
    expect(req.rawHeaders).toEqual(["X-Forwarded-For", "198.51.100.2", "x-veridesk-peer", "::ffff:203.0.113.9"]);
  });

  it("serves in one process unless --workers says how many (from scripts/start.ts's WEB_CONCURRENCY)", () => {
    expect(workerCountArgument(["node", "next-server.mjs", "--port", "3000"])).toBe(1);
    expect(workerCountArgument(["node", "next-server.mjs", "--workers", "4"])).toBe(4);
    for (const bad of [[], ["0"], ["x"], ["65"], ["2.5"]]) {
      expect(() => workerCountArgument(["node", "next-server.mjs", "--workers", ...bad])).toThrow(/--workers must be a whole number from 1 to 64/);
    }
  });
});
