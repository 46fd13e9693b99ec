import { type CountryCode, getCountries, getCountryCallingCode, parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";
import { EMAIL_MAX_LENGTH, emailAddressSchema } from "@/platform/email-address/email-address";
import { cleanText, secretText } from "@/platform/text/schemas";
import { CODE_DIGITS, CODE_PATTERN } from "@/platform/one-time-code";
import { refinePasswordField } from "@/features/accounts/password/password-policy";

/**
 * The registration forms' schemas: the browser form (react-hook-form + zodResolver) and the server
 * action parse exactly these, so a field's rules and messages exist once. Browser-safe: no Node
 * built-ins, no database. What only the server can know (a disposable domain, whether the
 * address has an account) is checked in features/accounts/registration/registration.ts.
 */

export const NAME_MAX_LENGTH = 100;
export { EMAIL_MAX_LENGTH };
export const ACCOUNT_HINT_MAX_LENGTH = 100;
export const PHONE_MAX_LENGTH = 30;
/** Same as PASSWORD_INPUT_LIMIT in features/accounts/password/password.ts (server only): longer is not worth hashing. */
const PASSWORD_INPUT_LIMIT_CHARS = 1024;

// ───────────────────────────── Plain text ─────────────────────────────

/** Characters that only markup, control sequences or text-direction tricks need. */
const MARKUP = /[<>]/;
// Control characters (C0, DEL, C1), and bidi overrides/isolates that can make a name read backwards.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What is wrong with a free-text value, in plain words, or null. */
export function plainTextProblem(value: string): string | null {
  if (MARKUP.test(value)) return "Use plain text: the characters < and > are not allowed.";
  if (CONTROL.test(value)) return "Remove the invisible control characters (they can come with pasted text).";
  return null;
}

function plainText(options: { required: string; max: number; tooLong: string }) {
  return cleanText({ error: options.required })
    .trim()
    .min(1, { message: options.required })
    .max(options.max, { message: options.tooLong })
    .superRefine((value, ctx) => {
      const problem = plainTextProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

// ───────────────────────────── Fields ─────────────────────────────

export const nameField = plainText({
  required: "Enter your full name.",
  max: NAME_MAX_LENGTH,
  tooLong: `Use at most ${NAME_MAX_LENGTH} characters for your name.`,
});

export const emailField = emailAddressSchema({
  required: "Enter your email address.",
  tooLong: `That email address is too long: use at most ${EMAIL_MAX_LENGTH} characters.`,
});

/** Optional free text: an empty field means "not given". */
const accountHintField = cleanText({ error: "Enter the account number or company as text." })
  .trim()
  .max(ACCOUNT_HINT_MAX_LENGTH, { message: `Use at most ${ACCOUNT_HINT_MAX_LENGTH} characters for the account number or company.` })
  .superRefine((value, ctx) => {
    const problem = plainTextProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .default("");

const SUPPORTED_COUNTRIES: ReadonlySet<string> = new Set(getCountries());

/** The region a national phone number is read in when nothing says otherwise. */
export const DEFAULT_PHONE_REGION = "GB";

export function isSupportedCountry(code: string): code is CountryCode {
  return SUPPORTED_COUNTRIES.has(code);
}

const phoneCountryField = z
  .string({ error: "Choose the country of your mobile number." })
  .refine((code) => isSupportedCountry(code), { message: "Choose the country of your mobile number from the list." });

const PHONE_CHARACTERS = /^[\d\s()+.\-]*$/;

const phoneField = z
  .string({ error: "Enter the mobile number as digits." })
  .trim()
  .max(PHONE_MAX_LENGTH, { message: `That number is too long: use at most ${PHONE_MAX_LENGTH} characters.` })
  .regex(PHONE_CHARACTERS, { message: "Use digits only (spaces, dashes and brackets are fine)." })
  .default("");

/**
 * The number in E.164 ("+61491570159"), read in the chosen country unless it starts with "+".
 * Null when it is not a valid number there.
 */
export function phoneToE164(phone: string, country: string): string | null {
  if (!isSupportedCountry(country)) return null;
  const parsed = parsePhoneNumberFromString(phone, country);
  return parsed?.isValid() ? parsed.number : null;
}

// ───────────────────────────── Registration ─────────────────────────────

export const registrationSchema = z
  .object({
    name: nameField,
    email: emailField,
    password: secretText({ error: "Enter a password." })
      .min(1, { message: "Enter a password." })
      .max(PASSWORD_INPUT_LIMIT_CHARS, { message: "That password is far too long." }),
    phoneCountry: phoneCountryField,
    phone: phoneField,
    accountHint: accountHintField,
  })
  .superRefine((values, ctx) => {
    // zod runs this even when a field above failed: check only what is there to check.
    // The password policy also needs the name and address (a password must not be built around them).
    if (values.password.length > 0 && values.password.length <= PASSWORD_INPUT_LIMIT_CHARS) refinePasswordField(values, ctx);
    const phoneReadable = values.phone.length <= PHONE_MAX_LENGTH && PHONE_CHARACTERS.test(values.phone);
    if (values.phone !== "" && phoneReadable && isSupportedCountry(values.phoneCountry) && phoneToE164(values.phone, values.phoneCountry) === null) {
      ctx.addIssue({
        code: "custom",
        path: ["phone"],
        message: "That is not a valid number for the country you chose. Check both, or leave the number out.",
      });
    }
  })
  .transform((values) => ({
    name: values.name.replace(/\s+/g, " "),
    email: values.email,
    password: values.password,
    phoneE164: values.phone === "" ? null : phoneToE164(values.phone, values.phoneCountry),
    accountHint: values.accountHint === "" ? null : values.accountHint.replace(/\s+/g, " "),
  }));

export type RegistrationFormInput = z.input<typeof registrationSchema>;
export type RegistrationInput = z.output<typeof registrationSchema>;

// ───────────────────────────── Verification page ─────────────────────────────

const codeMessage = `Enter the ${CODE_DIGITS}-digit code from the email.`;

/** A typed code: spaces and dashes are ignored ("123 456"). */
export const codeField = z
  .string({ error: codeMessage })
  .max(64, { message: codeMessage })
  .transform((value) => value.replace(/[\s-]/g, ""))
  .pipe(
    z
      .string()
      .min(1, { message: codeMessage })
      .regex(CODE_PATTERN, { message: `The code is ${CODE_DIGITS} digits, like 123456.` }),
  );

export const verifyCodeSchema = z.object({ code: codeField });
export type VerifyCodeFormInput = z.input<typeof verifyCodeSchema>;

/** "Wrong address?": the corrected address. */
export const correctAddressSchema = z.object({ email: emailField });
export type CorrectAddressInput = z.input<typeof correctAddressSchema>;

/** The emailed link's token (query string) and, when the page could read it, the code (#fragment). */
export const verifyLinkSchema = z.object({
  token: cleanText().min(1).max(128),
  /** Empty when the link arrived without its #fragment: the token alone then proves the address. */
  code: z
    .string({ error: codeMessage })
    .max(64, { message: codeMessage })
    .transform((value) => value.replace(/[\s-]/g, ""))
    .refine((value) => value === "" || CODE_PATTERN.test(value), { message: `The code is ${CODE_DIGITS} digits, like 123456.` })
    .optional(),
});
export type VerifyLinkFormInput = z.input<typeof verifyLinkSchema>;

// ───────────────────────────── Country chooser ─────────────────────────────

export type CountryOption = { code: string; name: string; callingCode: string };

/** Every country libphonenumber knows, named in English and sorted by name (built on the server, passed to the form). */
export function countryOptions(locale = "en"): CountryOption[] {
  const names = new Intl.DisplayNames([locale], { type: "region" });
  return getCountries()
    .map((code) => ({ code, name: names.of(code) ?? code, callingCode: getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** The country to preselect, from the browser's languages ("en-AU" → "AU"); US when none fits. */
export function defaultCountryFrom(acceptLanguage: string | null | undefined): string {
  for (const part of (acceptLanguage ?? "").split(",")) {
    const region = /^[a-z]{2,3}-([A-Z]{2})\b/i.exec(part.trim())?.[1]?.toUpperCase();
    if (region && isSupportedCountry(region)) return region;
  }
  return "US";
}
