import { type Algorithm, type Options, hash, parseOptions, verify } from "@node-rs/argon2";
import { normalizePassword } from "@/features/accounts/password/password-policy";

/**
 * Password hashing (server only: @node-rs/argon2 is a native module). The policy — lengths,
 * blocklist, `passwordSchema` — lives in the browser-safe ./password-policy and is re-exported
 * here so server code has one import.
 */
export * from "@/features/accounts/password/password-policy";

/**
 * Argon2id's numeric id. `Algorithm.Argon2id` cannot be used: it is an ambient `const enum`
 * (TS2748 under isolatedModules) and the binding's runtime `Algorithm` export is an empty object,
 * so it would silently be `undefined`. The tests check every hash really says "$argon2id$".
 */
const ARGON2ID = 2 as Algorithm;

/** OWASP Password Storage Cheat Sheet, Argon2id: m=19 MiB, t=2, p=1. */
export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const satisfies Options;

/**
 * Longest input we spend a hash on. Well above the policy's 128 characters (even at 4 bytes
 * each) and equal to the sign-in form's limit, so no real password is refused, while a
 * megabyte-long "password" is not worth hashing.
 */
export const PASSWORD_INPUT_LIMIT = 1024;

/**
 * A hash of a random string nobody knows, made with PASSWORD_HASH_OPTIONS. Verifying against it
 * costs the same as verifying a real user's hash, so "no such account" and "wrong password"
 * take the same time. The tests keep its parameters in step with PASSWORD_HASH_OPTIONS.
 */
export const DUMMY_PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$ZqV3uhOdVxtretONGE4ZEg$qjzaVs7tcM0zt9n1x/iC8G2liXX714T9awB8Ml5V2Lk";

/** Hashes a password (NFKC-normalised first) into a self-describing PHC string. Does not apply the policy. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new RangeError("Refusing to hash an empty password.");
  if (password.length > PASSWORD_INPUT_LIMIT) throw new RangeError(`Refusing to hash a password longer than ${PASSWORD_INPUT_LIMIT} characters.`);
  return hash(normalizePassword(password), PASSWORD_HASH_OPTIONS);
}

/** True when `password` matches `passwordHash`. Never throws: a malformed or foreign hash is simply no match. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length === 0 || password.length > PASSWORD_INPUT_LIMIT) return false;
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

/**
 * Sign-in check that takes about as long whether or not the account exists: with no hash (no
 * such user, or an account without a password) it verifies against DUMMY_PASSWORD_HASH and
 * returns false.
 */
export async function verifyPasswordOrDummy(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verifyPassword(DUMMY_PASSWORD_HASH, password.length > 0 ? password : "-");
    return false;
  }
  return verifyPassword(passwordHash, password);
}

/** True when a stored hash was made with other parameters than today's: rehash it after the next successful sign-in. */
export function passwordNeedsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== PASSWORD_HASH_OPTIONS.algorithm ||
      used.memoryCost !== PASSWORD_HASH_OPTIONS.memoryCost ||
      used.timeCost !== PASSWORD_HASH_OPTIONS.timeCost ||
      used.parallelism !== PASSWORD_HASH_OPTIONS.parallelism ||
      used.outputLen !== PASSWORD_HASH_OPTIONS.outputLen
    );
  } catch {
    return true;
  }
}
