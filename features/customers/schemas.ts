import { z } from "zod";
import { cleanText, isIsoDay } from "@/platform/text/schemas";

/**
 * The support-agreement forms' schemas, one per input (the forms and the server actions parse the
 * same one). Dates are calendar days as <input type="date"> sends them (YYYY-MM-DD); agreements
 * are stored as PostgreSQL `date`, so a day is a day whatever the time zone.
 */

export const AGREEMENT_TIERS = ["basic", "standard", "premium"] as const;

const calendarDay = (required: string) =>
  z
    .string({ message: required })
    .trim()
    .min(1, { message: required })
    // 2026-02-30 parses in JavaScript as 2026-03-02: a real day reads back as itself (platform/text/schemas.ts).
    .refine((value) => isIsoDay(value) && value >= "2000-01-01" && value <= "2200-12-31", { message: "Enter a real date (YYYY-MM-DD)." });

const customerId = z.uuid({ message: "That customer reference is not valid." });
const agreementId = z.uuid({ message: "That agreement reference is not valid." });

const organisationId = z.uuid({ message: "That organisation reference is not valid." });

/** An agreement is held by one customer or by an organisation (then it entitles every contact): exactly one of the two. */
export const addAgreementSchema = z
  .object({
    customerId: customerId.optional(),
    organisationId: organisationId.optional(),
    tier: z.enum(AGREEMENT_TIERS, { message: "Choose a tier: basic, standard or premium." }),
    reference: z
      .string({ message: "Enter the agreement's reference." })
      .trim()
      .min(1, { message: "Enter the agreement's reference." })
      .min(3, { message: "A reference has at least 3 characters." })
      .max(40, { message: "A reference has at most 40 characters." })
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { message: "Letters, digits and . _ / - only, e.g. SA-10001-C." })
      // References are compared as written on contracts: one spelling per reference.
      .transform((value) => value.toUpperCase()),
    startsOn: calendarDay("Enter the first day the agreement covers."),
    endsOn: calendarDay("Enter the last day the agreement covers."),
  })
  .refine((input) => input.endsOn >= input.startsOn, { message: "The last day cannot be before the first day.", path: ["endsOn"] })
  .refine((input) => (input.customerId === undefined) !== (input.organisationId === undefined), {
    message: "An agreement belongs to one customer or one organisation.",
    path: ["customerId"],
  });
export type AddAgreementInput = z.input<typeof addAgreementSchema>;

export const extendAgreementSchema = z.object({
  agreementId,
  endsOn: calendarDay("Enter the new last day."),
});
export type ExtendAgreementInput = z.input<typeof extendAgreementSchema>;

export const cancelAgreementSchema = z.object({
  agreementId,
  reason: cleanText({ multiline: true, error: "Say why the agreement is cancelled." })
    .trim()
    .min(1, { message: "Say why the agreement is cancelled." })
    .min(10, { message: "Say why the agreement is cancelled (at least 10 characters)." })
    .max(500, { message: "Keep the reason under 500 characters." }),
});
export type CancelAgreementInput = z.input<typeof cancelAgreementSchema>;
