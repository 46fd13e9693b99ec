import { z } from "zod";
import { EMAIL_MAX_LENGTH, emailAddressSchema } from "@/platform/email-address/email-address";
import { cleanText } from "@/platform/text/schemas";
import { CODE_DIGITS, CODE_PATTERN } from "@/platform/one-time-code";
import { isSupportedCountry, PHONE_MAX_LENGTH, phoneToE164, plainTextProblem } from "@/features/accounts/registration/schemas";

/**
 * The contact-details editor's schemas (features/customers/contacts/components/contact-editor.tsx):
 * one per input, parsed by the form and by the server action alike. Browser-safe.
 * Phone numbers are read with the registration form's helper (phoneToE164: national form in the
 * chosen country, or international with "+") and leave as E.164.
 */

export const CUSTOMER_NAME_MAX_LENGTH = 100;
export const ACCOUNT_NUMBER_MAX_LENGTH = 40;
export const PHONE_KINDS = ["mobile", "fixed", "other"] as const;
export type PhoneKindValue = (typeof PHONE_KINDS)[number];

const customerId = z.uuid({ message: "That customer reference is not valid." });
const emailId = z.uuid({ message: "That address reference is not valid." });
const phoneId = z.uuid({ message: "That number reference is not valid." });

function plainText(required: string, max: number, tooLong: string) {
  return cleanText({ error: required })
    .trim()
    .min(1, { message: required })
    .max(max, { message: tooLong })
    .superRefine((value, ctx) => {
      const problem = plainTextProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

export const updateProfileSchema = z.object({
  customerId,
  name: plainText("Enter the customer's name.", CUSTOMER_NAME_MAX_LENGTH, `Use at most ${CUSTOMER_NAME_MAX_LENGTH} characters for the name.`).transform(
    (value) => value.replace(/\s+/g, " "),
  ),
  accountNumber: plainText(
    "Enter the account number.",
    ACCOUNT_NUMBER_MAX_LENGTH,
    `Use at most ${ACCOUNT_NUMBER_MAX_LENGTH} characters for the account number.`,
  ).refine((value) => !/\s/.test(value), { message: "An account number has no spaces." }),
});
export type UpdateProfileInput = z.input<typeof updateProfileSchema>;

export const addressField = emailAddressSchema({
  required: "Enter the email address.",
  tooLong: `That email address is too long: use at most ${EMAIL_MAX_LENGTH} characters.`,
});

export const addEmailSchema = z.object({ customerId, address: addressField });
export type AddEmailInput = z.input<typeof addEmailSchema>;

export const correctEmailSchema = z.object({ emailId, address: addressField });
export type CorrectEmailInput = z.input<typeof correctEmailSchema>;

/** Remove an address, or make it the primary one. */
export const emailRefSchema = z.object({ emailId });

const PHONE_CHARACTERS = /^[\d\s()+.-]*$/;

export const phoneFields = {
  country: z
    .string({ error: "Choose the number's country." })
    .max(3, { message: "Choose the number's country from the list." })
    .refine((code) => isSupportedCountry(code), { message: "Choose the number's country from the list." }),
  number: z
    .string({ error: "Enter the phone number." })
    .trim()
    .min(1, { message: "Enter the phone number." })
    .max(PHONE_MAX_LENGTH, { message: `That number is too long: use at most ${PHONE_MAX_LENGTH} characters.` })
    .regex(PHONE_CHARACTERS, { message: "Use digits only (spaces, dashes, brackets and a leading + are fine)." }),
  kind: z.enum(PHONE_KINDS, { message: "Choose mobile, landline or other." }),
};

/** Adds `e164`: the number read in the chosen country (or as international when it starts with "+"). */
export function withE164<T extends { country: string; number: string }>(values: T, ctx: z.RefinementCtx) {
  const e164 = isSupportedCountry(values.country) ? phoneToE164(values.number, values.country) : null;
  if (e164 === null) {
    ctx.addIssue({
      code: "custom",
      path: ["number"],
      message: "That is not a valid number for the chosen country. Check the digits, or choose another country.",
    });
    return z.NEVER;
  }
  return { ...values, e164 };
}

export const addPhoneSchema = z.object({ customerId, ...phoneFields }).transform(withE164);
export type AddPhoneInput = z.input<typeof addPhoneSchema>;

export const correctPhoneSchema = z.object({ phoneId, ...phoneFields }).transform(withE164);
export type CorrectPhoneInput = z.input<typeof correctPhoneSchema>;

/** Remove a number. */
export const phoneRefSchema = z.object({ phoneId });

/** "Send a verification request" to one unverified address or number. */
export const sendContactVerificationSchema = z.object({
  kind: z.enum(["email", "phone"], { message: "Choose an address or a number." }),
  id: z.uuid({ message: "That reference is not valid." }),
});
export type SendContactVerificationInput = z.input<typeof sendContactVerificationSchema>;

const codeMessage = `Enter the ${CODE_DIGITS}-digit code from the message.`;

/** The confirmation page (/verify/contact): the link's token and, when the page could read it from the #fragment, the code. */
export const confirmContactSchema = z.object({
  token: cleanText().min(1).max(128),
  code: z
    .string({ error: codeMessage })
    .max(64, { message: codeMessage })
    .transform((value) => value.replace(/[\s-]/g, ""))
    .refine((value) => value === "" || CODE_PATTERN.test(value), { message: `The code is ${CODE_DIGITS} digits, like 123456.` })
    .optional(),
});
export type ConfirmContactInput = z.input<typeof confirmContactSchema>;
