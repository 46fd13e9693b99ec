import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { serverEnv } from "@/platform/env";
import { CODE_DIGITS, CODE_PATTERN } from "@/platform/one-time-code";

/**
 * The cryptography of one-time codes and link tokens. Server only.
 *
 * A 6-digit code has only 1,000,000 values: a plain SHA-256 of it would be reversed by trying
 * them all in well under a second. So codes are stored as HMAC-SHA256 under a key derived from
 * NEXTAUTH_SECRET: a database dump alone is useless without the secret. The key has its own HKDF
 * label, so it is never the key that signs sessions or seals outbox bodies (platform/outbox/sealed.ts).
 *
 * The HMAC also covers the code's purpose and target, so a hash can only ever match a code
 * entered for that same purpose and address, and two rows with the same code do not share a hash.
 *
 * Link tokens are 32 random bytes: too many to try, so a plain SHA-256 is enough to keep a usable
 * token out of the database.
 */

/** Distinct from every other key derived from NEXTAUTH_SECRET (e.g. "veridesk/outbox-body/v1"). */
export const CODE_HMAC_HKDF_INFO = "veridesk/verification-code-hmac/v1";
/** Stored hashes carry their scheme, so the scheme can change later without misreading old rows. */
const CODE_HASH_PREFIX = "hmac-sha256:v1:";

const LINK_TOKEN_BYTES = 32;
const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function codeKey(secret: string): Buffer {
  return derivedKey(CODE_HMAC_HKDF_INFO, secret);
}

/** A fresh code: CODE_DIGITS decimal digits from the CSPRNG, leading zeros kept ("004219"). */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_DIGITS)
    .toString()
    .padStart(CODE_DIGITS, "0");
}

/**
 * What a person typed, as a code: spaces and dashes removed ("123 456", "123-456"). Null when it
 * cannot be a code at all (so it needs no database work and counts as no guess).
 */
export function normalizeCodeInput(input: string): string | null {
  // Generous for spaces, but a pasted page is not a code (and is not worth scanning).
  if (input.length > 64) return null;
  const compact = input.replace(/[\s-]/g, "");
  return CODE_PATTERN.test(compact) ? compact : null;
}

/** What a code hash is bound to besides the code itself. */
export interface CodeBinding {
  purpose: string;
  /** Normalised email address or E.164 number. */
  target: string;
}

/** The stored form of a code. Never throws with the code in its message. */
export function hashCode(code: string, binding: CodeBinding, secret: string = serverEnv().NEXTAUTH_SECRET): string {
  // Length-prefixed fields: no choice of purpose/target can make two different inputs collide.
  const message = [binding.purpose, binding.target, code].map((part) => `${Buffer.byteLength(part)}:${part}`).join("|");
  return CODE_HASH_PREFIX + createHmac("sha256", codeKey(secret)).update(message).digest("hex");
}

/** Constant-time check of an entered code against a stored hash. */
export function codeMatches(code: string, storedHash: string, binding: CodeBinding, secret: string = serverEnv().NEXTAUTH_SECRET): boolean {
  const expected = Buffer.from(storedHash, "utf8");
  const actual = Buffer.from(hashCode(code, binding, secret), "utf8");
  // Lengths are those of the scheme, not of the code: comparing them leaks nothing about it.
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A fresh link token: 32 random bytes, base64url (43 characters, no padding). */
export function generateLinkToken(): string {
  return randomBytes(LINK_TOKEN_BYTES).toString("base64url");
}

/** True when the text has the shape of a link token (checked before any database lookup). */
export function isLinkTokenShape(token: string): boolean {
  return LINK_TOKEN_PATTERN.test(token);
}

/** The stored form of a link token: SHA-256, hex. */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
