import { z } from "zod";

/**
 * The one form every email address is stored and looked up in (CustomerEmail.normalized,
 * User.email, inbound-mail matching), so that "Jane@Example.COM " and "jane@example.com" are the
 * same address.
 *
 * Only trimming, Unicode NFC and lower-casing. Deliberately NOT removed: "+tags"
 * ("jane+billing@…") and dots in the local part. Those rules are provider-specific (dots mean
 * nothing at Gmail but are significant elsewhere), and an alias is a fact on the customer record:
 * it matches exactly as the customer or the record gave it. Folding "jane+anything@" into
 * "jane@" would let a stranger's address look like a known customer's, which is the opposite of
 * what Veridesk is for. (Strictly, RFC 5321 lets a local part be case-sensitive; no mail system
 * in practice treats it so, and matching case-insensitively is what people expect.)
 */
export function normalizeEmail(address: string): string {
  return address.trim().normalize("NFC").toLowerCase();
}

/**
 * The address in a configured mailbox ("Veridesk Support <support@example.com>" → "support@example.com";
 * a bare address stays as it is). The one parser for EMAIL_FROM and the like.
 */
export function mailboxAddress(mailbox: string): string {
  return (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
}

/** True when two addresses are the same address once normalised. */
export function isSameEmail(a: string, b: string): boolean {
  return normalizeEmail(a) === normalizeEmail(b);
}

/** RFC 5321 limits: 64 characters before the "@", 254 in all (what fits a forward-path). */
export const EMAIL_LOCAL_MAX_LENGTH = 64;
export const EMAIL_MAX_LENGTH = 254;

// No whitespace, no control characters, and none of the characters that only appear in quoted
// local parts or in header syntax ("Name <a@b>", lists, comments).
const LOCAL_PART = /^[^\s\p{Cc}\p{Cf}@<>()[\]\\,;:"]+$/u;
// A domain label: letters (any script: IDN, sent as punycode by the mail provider) or digits,
// hyphens inside only, 1–63 characters.
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * THE rule for whether Veridesk may send to, or accept mail from, an address. Every place that
 * checks an address uses it: inbound mail, the agent ticket page and the reply service, the
 * outbox, the one-time-code engine and every form (emailAddressSchema below).
 *
 * As mail actually goes on the Internet, not everything RFC 5322 allows:
 * - exactly one "@", local part 1–64 characters, whole address at most 254;
 * - no whitespace or control characters anywhere, no quoted local parts, no comments, none of
 *   @ < > ( ) [ ] \ , ; : " in the local part; no leading, trailing or doubled dot in it;
 * - the domain has at least two labels ("ops@intranet" is refused: no public mail route reaches
 *   a dotless host, and the reply service could never send there), each label letters or
 *   digits with inner hyphens, 1–63 characters; the top-level label is not all digits (no IP
 *   addresses, bracketed or not).
 * The address is checked as given: callers trim form input first (emailAddressSchema does).
 * Non-ASCII letters are allowed (internationalised addresses); case does not matter here.
 */
export function isSendableAddress(address: string): boolean {
  if (address.length > EMAIL_MAX_LENGTH) return false;
  const at = address.indexOf("@");
  if (at < 1 || at !== address.lastIndexOf("@")) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > EMAIL_LOCAL_MAX_LENGTH || !LOCAL_PART.test(local)) return false;
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return false;
  return !/^\d+$/.test(labels.at(-1)!);
}

/** What a form says when the address is not one isSendableAddress accepts. */
export const EMAIL_FORMAT_MESSAGE = "Enter an email address like name@example.com.";

/**
 * The zod schema for an email-address field, built on isSendableAddress: trims, then refuses
 * an empty, over-long or unsendable address with the given messages. Browser-safe.
 */
export function emailAddressSchema(messages: { required?: string; tooLong?: string; format?: string } = {}, options: { maxLength?: number } = {}) {
  const maxLength = options.maxLength ?? EMAIL_MAX_LENGTH;
  const text = z.string(messages.required ? { error: messages.required } : undefined).trim();
  // pipe, not refine: an empty or over-long value gets only its own message.
  return (messages.required ? text.min(1, { message: messages.required }) : text)
    .max(maxLength, { message: messages.tooLong ?? "That email address is too long." })
    .pipe(z.string().refine(isSendableAddress, { message: messages.format ?? EMAIL_FORMAT_MESSAGE }));
}
