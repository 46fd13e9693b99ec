import { z } from "zod";
import { isReasonCode, REASONS } from "@/features/data-quality/reasons";

/**
 * The drill-down filter of the data-quality report (/supervisor/data-quality/contacts and its CSV
 * export): one schema, read from the query string by the page and the export route alike. Every
 * number in the report links to the list this filter selects.
 */

export const CHANNELS = ["email", "phone"] as const;
export type Channel = (typeof CHANNELS)[number];

/** "unvalidated" = no verdict yet (validity is null). */
export const VALIDITY_FILTERS = ["valid", "doubtful", "invalid", "unvalidated"] as const;
export type ValidityFilter = (typeof VALIDITY_FILTERS)[number];

/** Phones only: the mobile slot, or every other phone (fixed and other). */
export const PHONE_KINDS = ["mobile", "other"] as const;
export type PhoneKindFilter = (typeof PHONE_KINDS)[number];

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value), schema.optional());

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.enum(values, { error: message });

export const contactFilterSchema = z
  .object({
    channel: z.preprocess(
      (value) => (typeof value === "string" ? value.trim() : value),
      choice(CHANNELS, "Choose email addresses (channel=email) or phone numbers (channel=phone)."),
    ),
    kind: optional(choice(PHONE_KINDS, "The phone kind is mobile or other.")),
    validity: optional(choice(VALIDITY_FILTERS, "The verdict is valid, doubtful, invalid or unvalidated.")),
    verified: optional(choice(["yes", "no"] as const, "Verified is yes or no.")),
    reason: optional(
      z
        .string()
        .max(60, "Not a reason code.")
        .refine((value) => isReasonCode(value), "Not a reason code."),
    ),
    /** Phones only: numbers another current customer also has. */
    duplicate: optional(choice(["yes"] as const, "Duplicate is yes (or left out).")),
    /** Keyset cursor: contacts after this id. */
    after: optional(z.uuid({ error: "Not a page of this list." })),
  })
  .superRefine((filter, context) => {
    if (filter.reason && isReasonCode(filter.reason) && REASONS[filter.reason].channel !== filter.channel)
      context.addIssue({
        code: "custom",
        path: ["reason"],
        message: `That reason is about ${REASONS[filter.reason].channel === "email" ? "email addresses" : "phone numbers"}, not ${filter.channel === "email" ? "email addresses" : "phone numbers"}.`,
      });
    if (filter.channel === "email" && filter.kind) context.addIssue({ code: "custom", path: ["kind"], message: "Only phone numbers have a kind." });
    if (filter.channel === "email" && filter.duplicate)
      context.addIssue({ code: "custom", path: ["duplicate"], message: "Duplicates are counted for phone numbers only." });
  });

export type ContactFilter = z.output<typeof contactFilterSchema>;
export type ContactFilterKey = keyof ContactFilter;
export const CONTACT_FILTER_KEYS = ["channel", "kind", "validity", "verified", "reason", "duplicate", "after"] as const satisfies readonly ContactFilterKey[];
export type ContactFilterErrors = Partial<Record<ContactFilterKey, string>>;

/** Reads the filter from the URL (first value of each key); errors per field, in words. */
export function parseContactFilter(
  params: Record<string, string | string[] | undefined> | URLSearchParams,
): { ok: true; filter: ContactFilter } | { ok: false; errors: ContactFilterErrors } {
  const get = (key: string) => {
    if (params instanceof URLSearchParams) return params.get(key) ?? undefined;
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const parsed = contactFilterSchema.safeParse(Object.fromEntries(CONTACT_FILTER_KEYS.map((key) => [key, get(key)])));
  if (parsed.success) return { ok: true, filter: parsed.data };
  const errors: ContactFilterErrors = {};
  for (const issue of parsed.error.issues) {
    const key = (issue.path[0] ?? "channel") as ContactFilterKey;
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

/** The query string of a filter ("?channel=email&validity=invalid"), for links and the export. */
export function contactQueryString(filter: Partial<ContactFilter>, overrides: Partial<Record<ContactFilterKey, string | undefined>> = {}): string {
  const merged: Partial<Record<ContactFilterKey, string | undefined>> = { ...filter, ...overrides };
  const params = new URLSearchParams();
  for (const key of CONTACT_FILTER_KEYS) {
    const value = merged[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The list's title in words: "Invalid email addresses, not verified, reason: Domain does not exist". */
export function describeContactFilter(filter: ContactFilter): string {
  const noun =
    filter.channel === "email"
      ? "email addresses"
      : filter.kind === "mobile"
        ? "mobile phone numbers"
        : filter.kind === "other"
          ? "other phone numbers"
          : "phone numbers";
  const verdict =
    filter.validity === "unvalidated"
      ? "Not yet validated"
      : filter.validity
        ? { valid: "Valid", doubtful: "Doubtful", invalid: "Invalid" }[filter.validity]
        : "All";
  const parts = [`${verdict} ${noun}`];
  if (filter.verified === "yes") parts.push("verified");
  if (filter.verified === "no") parts.push("not verified");
  if (filter.duplicate) parts.push("shared with another customer");
  if (filter.reason && isReasonCode(filter.reason)) parts.push(`reason: ${REASONS[filter.reason].label}`);
  return parts.join(", ");
}
