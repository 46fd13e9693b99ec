import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * Masked forms of an address or number, to tell someone where a code went ("We sent a code to
 * j•••@example.com") without showing the whole of it to whoever is looking at the screen. Pure
 * functions, safe in the browser too.
 */

const DOTS = "•••";

/** "jane.doe@example.com" → "j•••@example.com". Anything without an "@" becomes "•••". */
export function maskEmail(address: string): string {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return DOTS;
  // Array.from, so an address starting with an emoji or accented letter keeps a whole character.
  const first = Array.from(trimmed.slice(0, at))[0] ?? "";
  return `${first}${DOTS}@${trimmed.slice(at + 1).toLowerCase()}`;
}

/**
 * "+447700900058" → "+44 •••• •••058": the country code and the last 3 digits. The dots are a
 * fixed pattern, so the mask does not give away how long the number is.
 */
export function maskPhone(e164: string): string {
  const digits = e164.replace(/\D/g, "");
  const last3 = digits.slice(-3);
  if (digits.length < 7) return `${DOTS}${last3}`;
  const countryCode = parsePhoneNumberFromString(`+${digits}`)?.countryCallingCode;
  return countryCode ? `+${countryCode} •••• ${DOTS}${last3}` : `•••• ${DOTS}${last3}`;
}

/** The mask for whatever a code was sent to. */
export function maskTarget(channel: "email" | "sms", target: string): string {
  return channel === "email" ? maskEmail(target) : maskPhone(target);
}
