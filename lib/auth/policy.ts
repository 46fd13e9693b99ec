import type { Role } from "@/lib/generated/prisma/enums";

/**
 * Who may enter which part of Veridesk. Pure data and functions: the guard (lib/auth/guard.ts)
 * applies it on the server to every page, server action and route handler.
 */
export type Area = "portal" | "console" | "supervisor" | "admin";

const AREA_ROLES: Record<Area, readonly Role[]> = {
  portal: ["customer"],
  console: ["agent", "supervisor", "admin"],
  supervisor: ["supervisor", "admin"],
  admin: ["admin"],
};

export function mayEnter(role: Role, area: Area): boolean {
  return AREA_ROLES[area].includes(role);
}

export function rolesFor(area: Area): readonly Role[] {
  return AREA_ROLES[area];
}

/** Where a signed-in person lands by default. */
export function homePathFor(role: Role): string {
  return role === "customer" ? "/portal" : "/console";
}

/**
 * Only same-site relative paths are accepted as "return to" targets, so a crafted sign-in link
 * cannot send someone to another site after they sign in.
 */
export function safeReturnPath(candidate: string | null | undefined): string | null {
  if (!candidate || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return null;
  if (/[\u0000-\u001f]/.test(candidate)) return null;
  return candidate;
}
