import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";

/**
 * The survey link's token: `<survey id>.<nonce>.<mac>`, the MAC an HMAC-SHA256 of the first two
 * parts under a key of its own (derivedKey "veridesk/satisfaction-survey/v1"). A forged or altered
 * token fails the MAC before any database read; the survey row keeps only the token's SHA-256, so
 * a leaked table yields no working link.
 */
const KEY_LABEL = "veridesk/satisfaction-survey/v1";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PART = /^[A-Za-z0-9_-]+$/;

const mac = (body: string) => createHmac("sha256", derivedKey(KEY_LABEL)).update(body).digest("base64url");

export function makeSurveyToken(surveyId: string): string {
  const body = `${surveyId}.${randomBytes(16).toString("base64url")}`;
  return `${body}.${mac(body)}`;
}

export const surveyTokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** The survey id of a token whose MAC is right, or null (malformed, forged, altered). */
export function surveyIdOfToken(token: string): string | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [id, nonce, given] = parts as [string, string, string];
  if (!UUID.test(id) || !PART.test(nonce) || !PART.test(given) || nonce.length > 64) return null;
  const expected = Buffer.from(mac(`${id}.${nonce}`));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? id : null;
}
