import { hkdfSync } from "node:crypto";
import { serverEnv } from "@/platform/env";

/**
 * A 32-byte key for one purpose, derived from NEXTAUTH_SECRET with HKDF-SHA256, so one secret in
 * the environment yields independent keys (a key leaked from one use says nothing of the others).
 * Derived once per purpose and secret: HKDF on every request showed up in the profiles.
 * `info` names the purpose and its version, e.g. "veridesk/api-token/v1".
 */
const cache = new Map<string, { secret: string; key: Buffer }>();

export function derivedKey(info: string, secret: string = serverEnv().NEXTAUTH_SECRET): Buffer {
  const hit = cache.get(info);
  if (hit?.secret === secret) return hit.key;
  const key = Buffer.from(hkdfSync("sha256", secret, "veridesk", info, 32));
  cache.set(info, { secret, key });
  return key;
}
