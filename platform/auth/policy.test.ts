import { describe, expect, it } from "vitest";
import { dropInvalidCallbackUrl, homePathFor, mayEnter, mustSetUpTwoFactor, safeRedirectUrl, safeReturnPath } from "@/platform/auth/policy";

describe("area policy", () => {
  it.each([
    ["customer", "portal", true],
    ["customer", "console", false],
    ["customer", "supervisor", false],
    ["agent", "console", true],
    ["agent", "supervisor", false],
    ["agent", "portal", false],
    ["supervisor", "console", true],
    ["supervisor", "supervisor", true],
    ["supervisor", "admin", false],
    ["admin", "admin", true],
    ["admin", "supervisor", true],
    ["customer", "account", true],
    ["agent", "account", true],
    ["supervisor", "account", true],
    ["admin", "account", true],
  ] as const)("%s may enter %s: %s", (role, area, expected) => {
    expect(mayEnter(role, area)).toBe(expected);
  });

  it("requires staff without two-factor to set it up before staff areas, only when configured", () => {
    const agentWithout = { role: "agent", twoFactorMethod: null } as const;
    expect(mustSetUpTwoFactor(agentWithout, "console", true)).toBe(true);
    expect(mustSetUpTwoFactor({ role: "supervisor", twoFactorMethod: null }, "supervisor", true)).toBe(true);
    expect(mustSetUpTwoFactor({ role: "admin", twoFactorMethod: null }, "admin", true)).toBe(true);
    // Not configured, already set up, the account area where it is set up, or a customer: no.
    expect(mustSetUpTwoFactor(agentWithout, "console", false)).toBe(false);
    expect(mustSetUpTwoFactor({ role: "agent", twoFactorMethod: "totp" }, "console", true)).toBe(false);
    expect(mustSetUpTwoFactor(agentWithout, "account", true)).toBe(false);
    expect(mustSetUpTwoFactor({ role: "customer", twoFactorMethod: null }, "portal", true)).toBe(false);
  });

  it("sends customers to the portal and staff to the console", () => {
    expect(homePathFor("customer")).toBe("/portal");
    expect(homePathFor("agent")).toBe("/console");
    expect(homePathFor("supervisor")).toBe("/console");
  });

  it("accepts only same-site return paths", () => {
    expect(safeReturnPath("/console?status=open")).toBe("/console?status=open");
    expect(safeReturnPath("//evil.example/x")).toBeNull();
    expect(safeReturnPath("/\\evil.example")).toBeNull();
    expect(safeReturnPath("https://evil.example")).toBeNull();
    expect(safeReturnPath("/ok\nSet-Cookie:x")).toBeNull();
    expect(safeReturnPath(undefined)).toBeNull();
  });

  it('never throws on a callbackUrl that is not a path (issue 16: "_" answered 500)', () => {
    expect(safeReturnPath(["/a", "/b"])).toBeNull();
    const base = "https://desk.example";
    expect(safeRedirectUrl("_", base)).toBe(base);
    expect(safeRedirectUrl("javascript:alert(1)", base)).toBe(base);
    expect(safeRedirectUrl("/console", base)).toBe(`${base}/console`);
    expect(safeRedirectUrl(`${base}/portal`, base)).toBe(`${base}/portal`);
    expect(safeRedirectUrl("https://evil.example/", base)).toBe(base);
    for (const [query, kept] of [
      ["callbackUrl=_", null],
      ["callbackUrl=javascript%3Aalert(1)", null],
      ["callbackUrl=%2Fconsole", "/console"],
      ["callbackUrl=_&callbackUrl=%2Fportal", "/portal"],
      ["other=1", null],
    ] as const) {
      const params = new URLSearchParams(query);
      dropInvalidCallbackUrl(params);
      expect(params.get("callbackUrl")).toBe(kept);
    }
  });
});
