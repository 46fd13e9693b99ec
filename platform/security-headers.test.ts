import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config.js";
import { API_CONTENT_SECURITY_POLICY, createNonce, PERMISSIONS_POLICY, pageContentSecurityPolicy, strictTransportSecurity } from "@/platform/security-headers";

const directives = (policy: string) => new Map(policy.split(/;\s*/).map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)] as const));

describe("page Content-Security-Policy", () => {
  it("allows only scripts with this request's nonce, never inline or eval in production", () => {
    const policy = directives(pageContentSecurityPolicy({ nonce: "abc123" }));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(pageContentSecurityPolicy({ nonce: "abc123" })).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("adds 'unsafe-eval' only for next dev, and upgrade-insecure-requests only on https", () => {
    expect(directives(pageContentSecurityPolicy({ nonce: "n", development: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(pageContentSecurityPolicy({ nonce: "n", https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("makes a fresh 128-bit nonce every time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("other security headers", () => {
  it("sends HSTS only for an https public URL", () => {
    expect(strictTransportSecurity("https://help.example.com")).toBe("max-age=63072000; includeSubDomains");
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });

  it("turns off the browser features the helpdesk never uses", () => {
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(PERMISSIONS_POLICY).toContain(`${feature}=()`);
  });

  it("gives every API answer a CSP that lets nothing run (next.config.js, kept in step with platform)", async () => {
    const rules = await nextConfig.headers!();
    const api = rules.find((rule) => rule.source === "/api/:path*");
    expect(api?.headers).toContainEqual({ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY });
    expect(API_CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'.*frame-ancestors 'none'/);
  });
});
