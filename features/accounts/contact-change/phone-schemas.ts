import { type CountryCode, getCountries, getCountryCallingCode, isValidPhoneNumber } from "libphonenumber-js";
import { z } from "zod";
import { secretText } from "@/platform/text/schemas";
import { oneTimeCodeField } from "@/features/accounts/two-factor/schemas";

/**
 * The mobile-number form, for the page and the server action alike. Browser-safe: it uses
 * libphonenumber-js's small metadata, which can tell whether a number is valid for its country.
 * Whether it is a MOBILE number needs the full metadata, which only the server loads
 * (features/accounts/contact-change/phone.ts), so that check answers from the server.
 */

const COUNTRIES = new Set<string>(getCountries());

export const phoneNumberSchema = z
  .object({
    country: z.string().refine((value) => COUNTRIES.has(value), { message: "Choose a country." }),
    number: z
      .string()
      .trim()
      .min(1, { message: "Enter your mobile number." })
      .max(30, { message: "That is longer than a phone number." })
      .regex(/^\+?[\d\s().-]+$/, { message: "Use only digits, spaces and a leading +." }),
    /** Needed only when a verified number is being replaced. */
    password: secretText().max(1024).optional(),
  })
  .superRefine((values, ctx) => {
    if (!COUNTRIES.has(values.country) || !/^\+?[\d\s().-]+$/.test(values.number)) return;
    if (!isValidPhoneNumber(values.number, values.country as CountryCode)) {
      ctx.addIssue({
        code: "custom",
        path: ["number"],
        message: "That is not a valid phone number for the chosen country. Check the digits, or choose another country.",
      });
    }
  });
export type PhoneNumberInput = z.input<typeof phoneNumberSchema>;

export const phoneCodeSchema = z.object({ code: oneTimeCodeField });
export type PhoneCodeInput = z.input<typeof phoneCodeSchema>;

export interface CountryOption {
  code: string;
  label: string;
}

/** Every country with its name in `locale` and its calling code, sorted by name: "Australia (+61)". */
export function countryOptions(locale = "en"): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  return getCountries()
    .map((code) => ({ code, label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}

/** The region of an Accept-Language header ("en-AU,en;q=0.9" → "AU") when it is a known country. */
export function countryFromAcceptLanguage(header: string | null | undefined): string | null {
  for (const part of (header ?? "").split(",")) {
    const region = /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(part.trim())?.[1]?.toUpperCase();
    if (region && COUNTRIES.has(region)) return region;
  }
  return null;
}
