import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Signed webhooks in the Svix / Standard Webhooks scheme, which Resend uses:
 *
 *   svix-id: msg_…            (unique per delivery attempt's message; replays repeat it)
 *   svix-timestamp: 1732291200 (seconds since the epoch)
 *   svix-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> [v1,<…> …]
 *
 * with a "whsec_<base64 key>" secret. The HMAC comes from `standardwebhooks` (the library the
 * Resend SDK verifies with); the timestamp window and the comparison are ours so that the reason
 * for a refusal can be told apart (stale vs forged) and the clock can be given in tests.
 * The `webhook-*` header names of the Standard Webhooks spec are accepted as well.
 *
 * Replays inside the window are stopped by the caller, which records each svix-id it processed
 * (WebhookReceipt) before applying anything.
 */

/** Deliveries older or newer than this (in seconds) are refused: replays of captured requests. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type WebhookRefusal = "missing_headers" | "invalid_timestamp" | "stale" | "bad_signature";

export type WebhookVerification = { ok: true; id: string; timestamp: Date } | { ok: false; reason: WebhookRefusal; message: string };

export interface WebhookHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

type HeaderSource = Headers | Record<string, string | undefined>;

function header(source: HeaderSource, name: string): string | null {
  if (source instanceof Headers) return source.get(name);
  const key = Object.keys(source).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? null : (source[key] ?? null);
}

/** The three signature headers, under their svix-* names or the webhook-* ones. */
export function webhookHeadersFrom(source: HeaderSource): WebhookHeaders {
  const pick = (suffix: string) => header(source, `svix-${suffix}`) ?? header(source, `webhook-${suffix}`);
  return { id: pick("id"), timestamp: pick("timestamp"), signature: pick("signature") };
}

function sameText(a: string, b: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The secrets in a setting: one "whsec_…", or several separated by spaces or commas. */
export function secretsIn(setting: string): string[] {
  return setting.split(/[\s,]+/).filter((secret) => secret.startsWith("whsec_"));
}

/**
 * Checks a delivery's signature against `secret` ("whsec_…", or several separated by spaces). `payload` must be the raw body
 * exactly as received (re-serialised JSON would not match).
 */
export function verifyWebhookSignature(input: { secret: string; payload: string; headers: HeaderSource; now?: Date }): WebhookVerification {
  const { id, timestamp, signature } = webhookHeadersFrom(input.headers);
  if (!id || !timestamp || !signature) {
    return { ok: false, reason: "missing_headers", message: "The request is not signed: svix-id, svix-timestamp and svix-signature are required." };
  }
  if (!/^\d{1,12}$/.test(timestamp.trim())) {
    return { ok: false, reason: "invalid_timestamp", message: "The svix-timestamp header is not a number of seconds." };
  }
  const seconds = Number(timestamp.trim());
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - seconds) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: "stale", message: "The signature timestamp is more than 5 minutes away from now: refused as a possible replay." };
  }
  const signedAt = new Date(seconds * 1000);
  const expected = secretsIn(input.secret).flatMap((secret) => {
    try {
      return [new Webhook(secret).sign(id, signedAt, input.payload)];
    } catch {
      // A malformed secret is a configuration problem, but never a reason to accept.
      return [];
    }
  });
  // Several signatures may be sent during a rotation, and several secrets configured (one per
  // Resend webhook endpoint): any match is enough.
  const given = signature
    .split(" ")
    .map((candidate) => candidate.trim())
    .filter((candidate) => candidate.startsWith("v1,"));
  const matches = given.some((candidate) => expected.some((mine) => sameText(candidate, mine)));
  if (!matches) return { ok: false, reason: "bad_signature", message: "The signature does not match." };
  return { ok: true, id, timestamp: signedAt };
}

/**
 * Signs a payload as Resend (Svix) would: the headers to send with it. For tests and local
 * tooling (e2e/fixtures/webhooks.ts); the app itself never signs.
 */
export function signWebhook(input: {
  secret: string;
  payload: string;
  id?: string;
  timestamp?: Date;
}): Record<"svix-id" | "svix-timestamp" | "svix-signature", string> {
  const id = input.id ?? `msg_${randomUUID().replaceAll("-", "")}`;
  const timestamp = input.timestamp ?? new Date();
  const signature = new Webhook(input.secret).sign(id, timestamp, input.payload);
  return { "svix-id": id, "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)), "svix-signature": signature };
}

/** A fresh random "whsec_…" secret (for tests and setup instructions). */
export function newWebhookSecret(): string {
  return `whsec_${Buffer.from(randomUUID().replaceAll("-", ""), "hex").toString("base64")}`;
}
