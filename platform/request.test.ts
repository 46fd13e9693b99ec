import { describe, expect, it } from "vitest";
import { clientIpFrom, normalizeAddress, parseCidrList, trustedProxiesFrom } from "@/platform/request";

const from = (headers: Record<string, string>) => (name: string) => headers[name];
const none = { hops: 0, cidrs: [] };

describe("clientIpFrom", () => {
  it("uses the socket's peer address and ignores a client's X-Forwarded-For and X-Real-IP", () => {
    const spoofed = { "x-veridesk-peer": "203.0.113.9", "x-forwarded-for": "198.51.100.1", "x-real-ip": "198.51.100.2" };
    expect(clientIpFrom(from(spoofed), none)).toBe("203.0.113.9");
  });

  it("gives every rotating X-Forwarded-For value from one socket the same address", () => {
    const seen = new Set(
      Array.from({ length: 100 }, (_, i) => clientIpFrom(from({ "x-veridesk-peer": "::ffff:203.0.113.9", "x-forwarded-for": `10.9.${i}.1` }), none)),
    );
    expect([...seen]).toEqual(["203.0.113.9"]);
  });

  it("answers 'unknown' (one shared bucket) without the launcher's peer header, whatever the client sends", () => {
    expect(clientIpFrom(from({ "x-forwarded-for": "198.51.100.1" }), none)).toBe("unknown");
    expect(clientIpFrom(from({ "x-forwarded-for": "198.51.100.1" }), { hops: 1, cidrs: [] })).toBe("unknown");
  });

  it("behind N trusted hops takes the right-most untrusted X-Forwarded-For entry", () => {
    const headers = from({ "x-veridesk-peer": "10.0.0.5", "x-forwarded-for": "6.6.6.6, 203.0.113.9" });
    expect(clientIpFrom(headers, { hops: 1, cidrs: [] })).toBe("203.0.113.9");
    // CDN then load balancer: two hops.
    expect(clientIpFrom(from({ "x-veridesk-peer": "10.0.0.5", "x-forwarded-for": "6.6.6.6, 203.0.113.9, 172.16.0.2" }), { hops: 2, cidrs: [] })).toBe(
      "203.0.113.9",
    );
  });

  it("behind trusted ranges skips every proxy in them and never believes the client's left-most entries", () => {
    const proxies = { hops: 0, cidrs: ["10.0.0.0/8", "2001:db8::/32"] };
    expect(clientIpFrom(from({ "x-veridesk-peer": "10.0.0.5", "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.1.2.3" }), proxies)).toBe("203.0.113.9");
    expect(clientIpFrom(from({ "x-veridesk-peer": "2001:db8::1", "x-forwarded-for": "2001:DB8:FFFF::9" }), { hops: 0, cidrs: ["2001:db8::/48"] })).toBe(
      "2001:db8:ffff::9",
    );
    // A peer outside the ranges is the client itself, whatever it claims.
    expect(clientIpFrom(from({ "x-veridesk-peer": "203.0.113.9", "x-forwarded-for": "10.0.0.1" }), proxies)).toBe("203.0.113.9");
  });

  it("reads the configuration from the environment", () => {
    expect(trustedProxiesFrom({ TRUSTED_PROXY_HOPS: "2", TRUSTED_PROXY_CIDRS: "10.0.0.0/8 ::1" })).toEqual({ hops: 2, cidrs: ["10.0.0.0/8", "::1"] });
    expect(trustedProxiesFrom({})).toEqual(none);
    expect(parseCidrList("10.0.0.0/8, nonsense").bad).toBe("nonsense");
    expect(normalizeAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeAddress("203.0.113.9:5000")).toBe("203.0.113.9");
  });
});
