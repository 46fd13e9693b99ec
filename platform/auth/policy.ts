import type { Role, TwoFactorMethod } from "@/platform/db/generated/prisma/enums";

/**
 * Who may enter which part of Veridesk. Pure data and functions: the guard (platform/auth/guard.ts)
 * applies it on the server to every page, server action and route handler.
 */
export type Area = "portal" | "console" | "supervisor" | "admin" | "account";

const AREA_ROLES: Record<Area, readonly Role[]> = {
  portal: ["customer"],
  /** /account/*: every signed-in person's own profile and security settings. */
  account: ["customer", "agent", "supervisor", "admin"],
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

/** Staff areas: where REQUIRE_STAFF_TWO_FACTOR applies. */
const STAFF_AREAS: readonly Area[] = ["console", "supervisor", "admin"];

/**
 * True when this person must set up two-factor sign-in before entering `area`: staff only, only
 * when the deployment requires it (REQUIRE_STAFF_TWO_FACTOR), and never for /account itself,
 * which is where they set it up.
 */
export function mustSetUpTwoFactor(actor: { role: Role; twoFactorMethod?: TwoFactorMethod | null }, area: Area, staffTwoFactorRequired: boolean): boolean {
  return staffTwoFactorRequired && actor.role !== "customer" && STAFF_AREAS.includes(area) && !actor.twoFactorMethod;
}

/** Where a signed-in person lands by default. */
export function homePathFor(role: Role): string {
  return role === "customer" ? "/portal" : "/console";
}

/**
 * Only same-site relative paths are accepted as "return to" targets, so a crafted sign-in link
 * cannot send someone to another site after they sign in.
 */
export function safeReturnPath(candidate: unknown): string | null {
  // A repeated query parameter arrives as an array: take none of it.
  if (typeof candidate !== "string" || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return null;
  if (/[\u0000-\u001f]/.test(candidate)) return null;
  return candidate;
}

/**
 * next-auth refuses a callbackUrl query parameter that is neither a path nor an http(s) URL
 * ("_", "javascript:…") by throwing, which answered 500: such a value is dropped before next-auth
 * sees it (the default destination applies, as for no parameter at all).
 */
export function dropInvalidCallbackUrl(searchParams: URLSearchParams): void {
  const values = searchParams.getAll("callbackUrl");
  const valid = values.filter((value) => safeReturnPath(value) !== null || (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)));
  if (valid.length === values.length) return;
  searchParams.delete("callbackUrl");
  if (valid[0] !== undefined) searchParams.set("callbackUrl", valid[0]);
}

/** Where next-auth may send the browser: a safe path on this site or a URL of its origin, else the site's root. Never throws. */
export function safeRedirectUrl(url: unknown, baseUrl: string): string {
  const path = safeReturnPath(url);
  if (path) return `${baseUrl}${path}`;
  if (typeof url === "string" && URL.canParse(url) && new URL(url).origin === baseUrl) return url;
  return baseUrl;
}
