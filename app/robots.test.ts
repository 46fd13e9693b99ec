import { describe, expect, it } from "vitest";
import robots from "./robots";

const rules = robots().rules;
const rule = Array.isArray(rules) ? rules[0]! : rules;
const disallow = [rule.disallow ?? []].flat();
/** robots.txt matching: a rule applies to every path that starts with it. */
const blocked = (path: string) => disallow.some((prefix) => path.startsWith(prefix));

describe("robots.txt", () => {
  it("applies to every crawler and allows the site by default", () => {
    expect(rule.userAgent).toBe("*");
    expect(rule.allow).toBe("/");
  });

  it.each([
    "/console",
    "/console/tickets/abc",
    "/supervisor/reports",
    "/admin/staff",
    "/portal/tickets",
    "/account/security",
    "/api/health",
    "/dev/mail",
    "/rate?token=x",
  ])("keeps crawlers out of %s", (path) => expect(blocked(path)).toBe(true));

  it.each(["/", "/signin", "/register", "/forgot-password", "/verify/email", "/favicon.ico", "/manifest.webmanifest"])("lets crawlers read %s", (path) =>
    expect(blocked(path)).toBe(false),
  );
});
