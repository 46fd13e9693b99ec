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

// ───────────────────────────── The customer directory (/console/customers) ─────────────────────────────

export const DIRECTORY_SORTS = ["name", "name_desc", "newest", "oldest"] as const;
export const DIRECTORY_AGREEMENT_FILTERS = ["any", "valid", "expired", "cancelled", "none"] as const;
export const DIRECTORY_CONTACT_FILTERS = ["any", "unverified", "bouncing", "either"] as const;
export const DIRECTORY_ERASED_FILTERS = ["hide", "show"] as const;
export type DirectorySort = (typeof DIRECTORY_SORTS)[number];

/** Cursors are a few dozen bytes; anything longer is not one of ours. */
const DIRECTORY_CURSOR_MAX = 300;

/** One value of a search param: the first when repeated, absent when empty. */
const singleParam = (value: unknown) => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first.trim() !== "" ? first.trim() : undefined;
};

/** A fixed choice: anything else (a hand-edited link) falls back to the first value, never an error. */
function directoryChoice<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = new Set<string>(values);
  return z
    .unknown()
    .optional()
    .transform((raw): T[number] => {
      const value = singleParam(raw);
      return value !== undefined && allowed.has(value) ? value : values[0];
    });
}

const directoryDay = z
  .unknown()
  .optional()
  .transform(singleParam)
  .refine((value) => value === undefined || isIsoDay(value), { message: "Enter a real date as YYYY-MM-DD." });

/**
 * The directory's view as the URL carries it (shareable, bookmarkable): a GET form writes it, the
 * page parses it. Choices fall back to their default; the search text and the dates are checked
 * and their errors shown beside the fields. `org` is an organisation id or "none" (no organisation).
 */
export const customerDirectorySchema = z
  .object({
    q: z
      .unknown()
      .optional()
      .transform(singleParam)
      .pipe(
        cleanText()
          .min(2, { message: "Type at least 2 characters: a name, an account number, an email address or a phone number." })
          .max(200, { message: "That is too long to search for." })
          .optional(),
      ),
    org: z
      .unknown()
      .optional()
      .transform(singleParam)
      .transform((value) => (value === "none" ? "none" : value && z.uuid().safeParse(value).success ? value.toLowerCase() : undefined)),
    agreement: directoryChoice(DIRECTORY_AGREEMENT_FILTERS),
    contacts: directoryChoice(DIRECTORY_CONTACT_FILTERS),
    erased: directoryChoice(DIRECTORY_ERASED_FILTERS),
    /** Created on or after / on or before these days, in UTC. */
    from: directoryDay,
    to: directoryDay,
    sort: directoryChoice(DIRECTORY_SORTS),
    /** Keyset cursors (opaque, from features/customers/directory.ts): the page after / before that row. */
    after: z
      .unknown()
      .optional()
      .transform((raw) => {
        const value = singleParam(raw);
        return value && value.length <= DIRECTORY_CURSOR_MAX && /^[A-Za-z0-9_-]+$/.test(value) ? value : undefined;
      }),
    before: z
      .unknown()
      .optional()
      .transform((raw) => {
        const value = singleParam(raw);
        return value && value.length <= DIRECTORY_CURSOR_MAX && /^[A-Za-z0-9_-]+$/.test(value) ? value : undefined;
      }),
    /** The position of the page's first row, for "51–100" (display only; the cursor decides the rows). */
    start: z
      .unknown()
      .optional()
      .transform((raw) => {
        const value = Number(singleParam(raw));
        return Number.isSafeInteger(value) && value >= 1 ? value : 1;
      }),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, { message: "The end date is before the start date.", path: ["to"] });

export type DirectoryFilter = z.output<typeof customerDirectorySchema>;
export type DirectoryFilterInput = z.input<typeof customerDirectorySchema>;
