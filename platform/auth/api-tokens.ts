import { createHmac, randomBytes } from "node:crypto";
import { db } from "@/platform/db/client";
import { API_SCOPES, type ApiScope } from "@/platform/auth/api-scopes";
import { derivedKey } from "@/platform/secret-keys";

export { API_SCOPES, API_SCOPE_DESCRIPTION, type ApiScope } from "@/platform/auth/api-scopes";

/**
 * API tokens for /api/v1: `vd_` + 43 base64url characters (256 random bits). Only the token's
 * HMAC is stored (a database dump does not yield working tokens); the token is shown once.
 * A token acts as itself, with its scopes and nothing more, whoever created it.
 */
const TOKEN_PREFIX = "vd_";
const TOKEN_PATTERN = /^vd_[A-Za-z0-9_-]{43}$/;
/** Characters after "vd_" kept in clear, to tell tokens apart in lists ("vd_k3J9aQ…"). */
const SHOWN_CHARACTERS = 6;
const KEY_INFO = "veridesk/api-token/v1";
/** lastUsedAt is written at most this often per token, so reads do not become writes. */
const LAST_USED_RESOLUTION_SECONDS = 60;

/** `secret`: NEXTAUTH_SECRET unless given (a script issuing tokens for a server it starts with its own secret). */
export function hashApiToken(token: string, secret?: string): string {
  return createHmac("sha256", derivedKey(KEY_INFO, secret)).update(token).digest("hex");
}

export function generateApiToken(secret?: string): { token: string; prefix: string; tokenHash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, prefix: token.slice(0, TOKEN_PREFIX.length + SHOWN_CHARACTERS), tokenHash: hashApiToken(token, secret) };
}

export type ApiClient = { tokenId: string; name: string; scopes: readonly ApiScope[] };

export type ApiAuthentication = { ok: true; client: ApiClient } | { ok: false; detail: string };

const isScope = (value: string): value is ApiScope => (API_SCOPES as readonly string[]).includes(value);

/**
 * The client behind an `Authorization: Bearer vd_…` header, or why there is none. Only the Bearer
 * scheme is accepted (no token in the query string, where it would end up in logs).
 */
export async function authenticateApiToken(authorization: string | null, ip: string, now: Date = new Date()): Promise<ApiAuthentication> {
  if (!authorization) return { ok: false, detail: "Send an API token in the Authorization header: `Authorization: Bearer vd_…`." };
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization);
  if (!match) return { ok: false, detail: "Only the Bearer scheme is accepted: `Authorization: Bearer vd_…`." };
  const token = match[1]!;
  if (!TOKEN_PATTERN.test(token)) return { ok: false, detail: "This is not a Veridesk API token." };
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, name: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) return { ok: false, detail: "This API token is not valid." };
  if (row.revokedAt) return { ok: false, detail: "This API token was revoked." };
  if (row.expiresAt && row.expiresAt <= now) return { ok: false, detail: "This API token has expired." };
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_SECONDS * 1000) {
    // Conditional, so concurrent requests write once; a lost race only delays the stamp.
    await db.apiToken.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_SECONDS * 1000) } }] },
      data: { lastUsedAt: now, lastUsedIp: ip },
    });
  }
  return { ok: true, client: { tokenId: row.id, name: row.name, scopes: row.scopes.filter(isScope) } };
}
