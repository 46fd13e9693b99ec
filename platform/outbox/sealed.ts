import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { serverEnv } from "@/platform/env";

/**
 * Bodies of sensitive outgoing messages (one-time codes, sign-in links) are stored sealed with
 * AES-256-GCM until they are delivered, then wiped, so a database dump or a stray query never
 * shows a usable code. The key is derived from NEXTAUTH_SECRET with HKDF-SHA256 under a label of
 * its own, so it is never the same key that signs sessions.
 *
 * Sealed form: "sealed:v1:" + base64url(iv ‖ auth tag ‖ ciphertext).
 */

const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_INFO = "veridesk/outbox-body/v1";

export class SealedTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedTextError";
  }
}

function keyFor(secret: string): Buffer {
  return derivedKey(HKDF_INFO, secret);
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX);
}

export function sealText(plaintext: string, secret: string = serverEnv().NEXTAUTH_SECRET): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url");
}

/** Throws SealedTextError when the text is not sealed, was altered, or was sealed under another secret. */
export function openSealedText(sealed: string, secret: string = serverEnv().NEXTAUTH_SECRET): string {
  if (!isSealed(sealed)) throw new SealedTextError("The text is not sealed.");
  const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SealedTextError("The sealed text is truncated.");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    // Deliberately vague: the cause is either tampering or a changed NEXTAUTH_SECRET.
    throw new SealedTextError("The sealed text cannot be opened (altered, or sealed under another NEXTAUTH_SECRET).");
  }
}
