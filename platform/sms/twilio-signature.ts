import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Twilio's request signature (X-Twilio-Signature), as Twilio documents it for webhooks: the exact
 * URL Twilio requested (scheme, host, path and query string), followed by every POST parameter
 * as name then value with no separators, sorted by name (and a repeated name's values sorted
 * too), HMAC-SHA1 with the account's auth token, Base64.
 *
 * The URL must be the public one Twilio was given, not what a proxy forwarded: pass
 * publicBaseUrl() + path + query. No timestamp is signed, so replays are stopped by the caller
 * (the MessageSid is recorded once, WebhookReceipt).
 */

export function twilioSignature(authToken: string, url: string, params: URLSearchParams): string {
  const names = [...new Set(params.keys())].sort();
  let data = url;
  for (const name of names) for (const value of params.getAll(name).sort()) data += name + value;
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** Compares in constant time (over equal-length digests), so the signature cannot be guessed byte by byte. */
export function isValidTwilioSignature(authToken: string, url: string, params: URLSearchParams, signature: string | null): boolean {
  if (!signature || !authToken) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params), "utf8");
  const given = Buffer.from(signature.trim(), "utf8");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
