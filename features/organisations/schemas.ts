import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { normalizeDomain } from "@/features/organisations/names";

/**
 * The organisation forms' schemas, one per input (the forms and the server actions parse the same
 * one). Names and notes are free text (cleanText: no NUL bytes, lone surrogates or control
 * characters); a mail domain is a hostname with a dot, stored lower-case without "@".
 */

export const ORGANISATION_NAME_MAX_LENGTH = 120;
export const ORGANISATION_NOTES_MAX_LENGTH = 2000;
export const ORGANISATION_SEARCH_MAX_LENGTH = 100;
export const DOMAIN_MAX_LENGTH = 253;

const organisationId = z.uuid({ message: "That organisation reference is not valid." });
const customerId = z.uuid({ message: "That customer reference is not valid." });

const name = cleanText({ error: "Enter the organisation's name." })
  .trim()
  .min(1, { message: "Enter the organisation's name." })
  .max(ORGANISATION_NAME_MAX_LENGTH, { message: `Use at most ${ORGANISATION_NAME_MAX_LENGTH} characters for the name.` });

const notes = cleanText({ multiline: true, error: "Notes must be text." })
  .trim()
  .max(ORGANISATION_NOTES_MAX_LENGTH, { message: `Keep the notes under ${ORGANISATION_NOTES_MAX_LENGTH} characters.` });

export const createOrganisationSchema = z.object({ name, notes });
export type CreateOrganisationInput = z.input<typeof createOrganisationSchema>;

export const updateOrganisationSchema = z.object({ organisationId, name, notes });
export type UpdateOrganisationInput = z.input<typeof updateOrganisationSchema>;

/** One DNS label: letters, digits, hyphens inside, at most 63 characters. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const DOMAIN_FORMAT = "Enter a mail domain like acme.example (the part after @).";

export const domainSchema = cleanText({ error: DOMAIN_FORMAT })
  .trim()
  .min(1, { message: "Enter the mail domain." })
  .max(DOMAIN_MAX_LENGTH, { message: `A domain has at most ${DOMAIN_MAX_LENGTH} characters.` })
  .transform((value) => normalizeDomain(value))
  .refine(
    (value) => {
      const labels = value.split(".");
      return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /[a-z]/.test(labels.at(-1) ?? "");
    },
    { message: DOMAIN_FORMAT },
  );

export const addDomainSchema = z.object({ organisationId, domain: domainSchema });
export type AddDomainInput = z.input<typeof addDomainSchema>;

export const removeDomainSchema = z.object({ domainId: z.uuid({ message: "That domain reference is not valid." }) });

const accountNumber = cleanText({ error: "Enter the customer's account number." })
  .trim()
  .min(1, { message: "Enter the customer's account number." })
  .max(40, { message: "An account number has at most 40 characters." });

/** Add a contact to an organisation by the customer's account number (as on the customer's page). */
export const addContactSchema = z.object({ organisationId, accountNumber });
export type AddContactInput = z.input<typeof addContactSchema>;

export const removeContactSchema = z.object({ organisationId, customerId });

/** The customer page's organisation control: set (by organisation name) or clear ("" = none). */
export const setCustomerOrganisationSchema = z.object({
  customerId,
  organisationName: cleanText({ error: "Enter the organisation's name." })
    .trim()
    .max(ORGANISATION_NAME_MAX_LENGTH, { message: `Use at most ${ORGANISATION_NAME_MAX_LENGTH} characters for the name.` }),
});
export type SetCustomerOrganisationInput = z.input<typeof setCustomerOrganisationSchema>;

/** The registration review's "accept the suggested organisation" (by domain; never automatic). */
export const acceptSuggestedOrganisationSchema = z.object({ userId: z.uuid({ message: "That account reference is not valid." }), organisationId });

export const organisationSearchSchema = z.object({
  q: cleanText({ error: "Enter a name to search for." })
    .trim()
    .max(ORGANISATION_SEARCH_MAX_LENGTH, { message: `Use at most ${ORGANISATION_SEARCH_MAX_LENGTH} characters.` }),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
