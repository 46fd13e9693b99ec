/**
 * Keeps the authorization layer unskippable: every page, layout and route handler under app/, and
 * every server action wherever it lives, must go through platform/auth/guard.ts. A new file that
 * does not fails here. Pages under app/ re-export their feature's page body, so the body is read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const appDir = path.join(root, "app");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name === "generated") return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

const relative = (file: string, from = appDir) => path.relative(from, file).split(path.sep).join("/");
const isSource = (file: string) => /\.(ts|tsx)$/.test(file) && !/\.test\.tsx?$/.test(file);
const appFiles = filesUnder(appDir).filter(isSource);
/** Every folder that may hold server code: the routes and the layers under them. */
const codeFiles = ["app", "features", "platform", "ui"].flatMap((top) => filesUnder(path.join(root, top))).filter(isSource);

/** The page body an app/ page re-exports (`export { default } from "@/features/…"`), or the page itself. */
function pageBody(file: string): { file: string; source: string } {
  const source = readFileSync(file, "utf8");
  const reexport = source.match(/export\s*\{[^}]*\bdefault\b[^}]*\}\s*from\s*["']@\/([^"']+)["']/);
  if (!reexport?.[1]) return { file, source };
  const target = [".tsx", ".ts"].map((ext) => path.join(root, reexport[1] + ext)).find((candidate) => existsSync(candidate));
  if (!target) throw new Error(`${relative(file)} re-exports ${reexport[1]}, which does not exist`);
  return { file: target, source: readFileSync(target, "utf8") };
}

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
  // A staff invitation's emailed link, for people who have no account yet: its token is the credential.
  "invitation/page.tsx",
  // Registration and its emailed verification link: for people who have no account yet.
  "register/page.tsx",
  "verify/email/page.tsx",
  // A customer confirms an address or number an agent asked about, from the emailed or texted link: its token is the credential.
  "verify/contact/page.tsx",
  // The public help centre (issue 15): articles published for everyone, read before signing in.
  "help/page.tsx",
  "help/articles/[slug]/page.tsx",
  // A satisfaction survey's emailed link (issue 15): the token is the credential for a ticket without a
  // portal account; for one with an account the rating page itself requires that account's session.
  "rate/page.tsx",
  "rate/unsubscribe/page.tsx",
]);
const PAGE_GUARDS = /requirePageActor\(|requireDemoMode\(|requirePendingSecondFactor\(/;

describe("authorization coverage of app/ and of every server action", () => {
  const pages = appFiles.filter((file) => /(^|\/)page\.tsx$/.test(relative(file)));
  it.each(pages.map((file) => relative(file)))("page %s goes through the guard or is listed as public", (file) => {
    if (PUBLIC_PAGES.has(file)) return;
    expect(pageBody(path.join(appDir, file)).source).toMatch(PAGE_GUARDS);
  });

  const routes = appFiles.filter((file) => /(^|\/)route\.ts$/.test(relative(file)));
  it.each(routes.map((file) => relative(file)))("route handler %s exports only guarded handlers", (file) => {
    const source = readFileSync(path.join(appDir, file), "utf8");
    expect(source).not.toMatch(/export\s+(async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)/);
    const exported = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\s*=\s*([A-Za-z]+)\(/g)];
    for (const [, , wrapper] of exported) expect(["authorizedRoute", "publicRoute", "apiRoute"]).toContain(wrapper);
    expect(source).toMatch(/authorizedRoute\(|publicRoute\(|apiRoute\(/);
  });

  const actionFiles = codeFiles.filter((file) => /^\s*["']use server["']/.test(readFileSync(file, "utf8")));
  it.each(actionFiles.map((file) => relative(file, root)))("server actions in %s are built with authorizedAction/publicAction/secondFactorAction", (file) => {
    const source = readFileSync(path.join(root, file), "utf8");
    expect(source).not.toMatch(/export\s+(default\s+)?(async\s+)?function/);
    const exports = [...source.matchAll(/export const (\w+)\s*=\s*(\w+)\(/g)];
    expect(exports.length).toBeGreaterThan(0);
    for (const [, name, wrapper] of exports)
      expect([name, wrapper]).toEqual([name, expect.stringMatching(/^(authorizedAction|publicAction|secondFactorAction)$/)]);
  });

  it("keeps server actions out of app/ (they live in their feature)", () => {
    expect(actionFiles.map((file) => relative(file, root)).filter((file) => file.startsWith("app/"))).toEqual([]);
  });

  it("found the app's pages, routes and actions (the scan itself works)", () => {
    expect(pages.length).toBeGreaterThan(3);
    expect(routes.length).toBeGreaterThan(0);
    expect(actionFiles.length).toBeGreaterThan(10);
    expect(pages.filter((file) => pageBody(file).file !== file).length).toBeGreaterThan(10);
  });
});
