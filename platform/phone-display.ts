import "server-only";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** "+61 491 570 157": an E.164 number in international format for display (browser-safe). */
export function formatPhoneForDisplay(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
