import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { generateSecret, generateURI, verify } from "otplib";
import QRCode from "qrcode";
import { db } from "@/platform/db/client";
import { serverEnv } from "@/platform/env";

/**
 * Authenticator-app codes (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps — what every
 * authenticator app expects). Server only.
 *
 * The account's TOTP state is one sealed value in User.totpSecretEncrypted: the base32 secret and
 * the last time step a code was accepted for. Sealed with AES-256-GCM under a key derived from
 * NEXTAUTH_SECRET with its own HKDF label, so it is never the key of sessions, outbox bodies or
 * code hashes. Keeping the last step inside the same value makes replay refusal atomic: a code is
 * accepted by a compare-and-swap of the whole sealed value, so of two requests with the same code
 * exactly one wins.
 *
 * While twoFactorMethod is not "totp" the stored value is a pending secret (set-up started, not
 * yet confirmed with a code); it signs nobody in.
 */

export const TOTP_ISSUER = "Veridesk";
export const TOTP_PERIOD_SECONDS = 30;
/** Codes from one step before or after the current one are accepted (clock drift, typing time). */
export const TOTP_ACCEPTED_STEPS = 1;

const HKDF_INFO = "veridesk/totp-secret/v1";
const PREFIX = "totp:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface TotpState {
  /** Base32 secret, as the authenticator app has it. */
  secret: string;
  /** Time step of the last accepted code; codes of this step or earlier are refused. */
  lastStep: number | null;
}

function key(secret: string): Buffer {
  return derivedKey(HKDF_INFO, secret);
}

export function sealTotpState(state: TotpState, secret: string = serverEnv().NEXTAUTH_SECRET): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify({ s: state.secret, l: state.lastStep }), "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** Null when the value is missing, altered, or sealed under another NEXTAUTH_SECRET. */
export function openTotpState(sealed: string | null | undefined, secret: string = serverEnv().NEXTAUTH_SECRET): TotpState | null {
  if (!sealed?.startsWith(PREFIX)) return null;
  const raw = Buffer.from(sealed.slice(PREFIX.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(secret), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const parsed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8")) as {
      s?: unknown;
      l?: unknown;
    };
    if (typeof parsed.s !== "string") return null;
    return { secret: parsed.s, lastStep: typeof parsed.l === "number" ? parsed.l : null };
  } catch {
    return null;
  }
}

/** A fresh secret: 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** "ABCD EFGH …": the secret in groups of four, for typing into an app by hand. */
export function formatSecretForTyping(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountLabel, secret, period: TOTP_PERIOD_SECONDS, digits: 6, algorithm: "sha1" });
}

/** The otpauth URI as a QR code, an SVG data URL rendered on the server (nothing sent elsewhere). */
export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "wrong_code" | "replayed" | "no_secret" };

/**
 * Checks a code against a state, ±TOTP_ACCEPTED_STEPS steps, refusing steps at or before the last
 * accepted one. Pure apart from the clock: the caller records the step (see acceptTotpCode).
 */
export async function checkTotpCode(state: TotpState, code: string, now: Date = new Date()): Promise<TotpCheck> {
  const token = code.replace(/[\s-]/g, "");
  if (!/^\d{6}$/.test(token)) return { ok: false, reason: "wrong_code" };
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({
    secret: state.secret,
    token,
    epoch,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_ACCEPTED_STEPS * TOTP_PERIOD_SECONDS,
  });
  if (!result.valid) return { ok: false, reason: "wrong_code" };
  // delta: how many steps from the current one the code matched (−1, 0 or +1).
  const step = Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta;
  if (state.lastStep !== null && step <= state.lastStep) return { ok: false, reason: "replayed" };
  return { ok: true, step };
}

/**
 * Checks a code against the account's stored TOTP state (pending or active) and, when right,
 * records its step with one compare-and-swap, so the same code — or an older one — never works
 * again. `activate` also turns TOTP on (the set-up confirmation) in the same UPDATE.
 */
export async function acceptTotpCode(userId: string, code: string, options: { now?: Date; activate?: boolean } = {}): Promise<TotpCheck> {
  const now = options.now ?? new Date();
  const user = await db.user.findUnique({ where: { id: userId }, select: { totpSecretEncrypted: true, twoFactorMethod: true } });
  const sealed = user?.totpSecretEncrypted ?? null;
  const state = openTotpState(sealed);
  if (!user || !sealed || !state) return { ok: false, reason: "no_secret" };
  if (!options.activate && user.twoFactorMethod !== "totp") return { ok: false, reason: "no_secret" };
  const check = await checkTotpCode(state, code, now);
  if (!check.ok) return check;
  const swapped = await db.user.updateMany({
    where: { id: userId, totpSecretEncrypted: sealed },
    data: {
      totpSecretEncrypted: sealTotpState({ secret: state.secret, lastStep: check.step }),
      ...(options.activate ? { twoFactorMethod: "totp" as const } : {}),
    },
  });
  // Someone else's request changed the state first (most likely with this very code): refuse.
  return swapped.count === 1 ? check : { ok: false, reason: "replayed" };
}
