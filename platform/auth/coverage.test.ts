/**
 * Keeps the authorization layer unskippable: every page, layout, route handler and server
 * action under app/ must go through platform/auth/guard.ts. A new file that does not fails here.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const appDir = path.resolve(__dirname, "../../app");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const relative = (file: string) => path.relative(appDir, file).split(path.sep).join("/");
const all = filesUnder(appDir).filter((file) => /\.(ts|tsx)$/.test(file) && !/\.test\.tsx?$/.test(file));

/** Pages that are public on purpose, each with its reason in the file itself. */
const PUBLIC_PAGES = new Set([
  "page.tsx",
  "signin/page.tsx",
  "after-sign-in/page.tsx",
  "forbidden.tsx",
  "not-found.tsx",
  // Reached by people who cannot sign in, or from an emailed link: the link's token is the credential.
  "forgot-password/page.tsx",
  "reset-password/page.tsx",
  "security/dispute/page.tsx",
  // Registration and its emailed verification link: for people who have no account yet.
  "register/page.tsx",
  "verify/email/page.tsx",
]);
const PAGE_GUARDS = /requirePageActor\(|requireDemoMode\(|requirePendingSecondFactor\(/;

describe("authorization coverage of app/", () => {
  const pages = all.filter((file) => /(^|\/)page\.tsx$/.test(relative(file)));
  it.each(pages.map(relative))("page %s goes through the guard or is listed as public", (file) => {
    if (PUBLIC_PAGES.has(file)) return;
    expect(readFileSync(path.join(appDir, file), "utf8")).toMatch(PAGE_GUARDS);
  });

  const routes = all.filter((file) => /(^|\/)route\.ts$/.test(relative(file)));
  it.each(routes.map(relative))("route handler %s exports only guarded handlers", (file) => {
    const source = readFileSync(path.join(appDir, file), "utf8");
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)/);
    const exported = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\s*=\s*([A-Za-z]+)\(/g)];
    for (const [, , wrapper] of exported) expect(["authorizedRoute", "publicRoute"]).toContain(wrapper);
    expect(source).toMatch(/authorizedRoute\(|publicRoute\(/);
  });

  const actionFiles = all.filter((file) => /^\s*["']use server["']/.test(readFileSync(file, "utf8")));
  it.each(actionFiles.map(relative))("server actions in %s are built with authorizedAction/publicAction/secondFactorAction", (file) => {
    const source = readFileSync(path.join(appDir, file), "utf8");
    expect(source).not.toMatch(/export\s+(default\s+)?(async\s+)?function/);
    const exports = [...source.matchAll(/export const (\w+)\s*=\s*(\w+)\(/g)];
    expect(exports.length).toBeGreaterThan(0);
    for (const [, name, wrapper] of exports) expect([name, wrapper]).toEqual([name, expect.stringMatching(/^(authorizedAction|publicAction|secondFactorAction)$/)]);
  });

  it("found the app's pages and routes (the scan itself works)", () => {
    expect(pages.length).toBeGreaterThan(3);
    expect(routes.length).toBeGreaterThan(0);
  });
});
