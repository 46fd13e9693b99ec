import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";
import { NextRequest } from "next/server";

const API_DIR = join(process.cwd(), "app/api");

/** Every route folder under app/api whose path has a dynamic segment ([id], [...slug]). */
function dynamicApiRoutes(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    const children = readdirSync(path);
    if (children.includes("route.ts") && relative(API_DIR, path).includes("[")) found.push(`/api/${relative(API_DIR, path)}`);
    found.push(...dynamicApiRoutes(path));
  }
  return found;
}

/** The route's address with each dynamic segment filled with bytes that do not decode as UTF-8. */
function undecodableAddress(route: string): string {
  return route.replace(/\[[^\]]+\]/g, "x%ED%A0%80");
}

function matchedByProxy(pathname: string): boolean {
  return config.matcher.some((pattern) => {
    if (pattern.endsWith("/:path*")) return pathname.startsWith(`${pattern.slice(0, -"/:path*".length)}/`);
    return new RegExp(`^${pattern}$`).test(pathname);
  });
}

describe("the proxy's matcher", () => {
  // Next.js decodes a dynamic segment before the handler runs and answers 500 when it is not UTF-8; only the proxy
  // can answer 400 first, and it sees only the paths its matcher lists.
  const routes = dynamicApiRoutes().filter((route) => !route.startsWith("/api/auth/"));

  it("finds the dynamic API routes", () => {
    expect(routes).toContain("/api/jobs/[id]");
    expect(routes).toContain("/api/v1/tickets/[id]");
  });

  it.each(routes)("covers %s, so an undecodable segment is refused with 400", (route) => {
    const address = undecodableAddress(route);
    expect(matchedByProxy(address)).toBe(true);
    const response = proxy(new NextRequest(`http://localhost${address}`));
    expect(response.status).toBe(400);
  });
});
