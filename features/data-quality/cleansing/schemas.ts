import { z } from "zod";

/** The cleansing page's inputs (features/data-quality/cleansing/): one schema per input. Browser-safe. */

export const SUGGESTION_KINDS = ["email_typo", "phone_landline_as_mobile", "duplicate_phone", "duplicate_customer"] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export const SUGGESTION_KIND_LABELS: Record<SuggestionKind, string> = {
  email_typo: "Email address typo",
  phone_landline_as_mobile: "Landline in the mobile slot",
  duplicate_phone: "Same number on two customers",
  duplicate_customer: "Likely the same customer twice",
};

/** Duplicates are merged from the merge preview, one pair at a time, never in bulk. */
export const MERGE_KINDS: readonly SuggestionKind[] = ["duplicate_phone", "duplicate_customer"];

/** At most this many suggestions decided in one request (a page holds fewer). */
export const MAX_BULK_DECISIONS = 100;
export const SUGGESTIONS_PER_PAGE = 25;

/** "Apply safe fixes" and "Look for suggestions" take no input. */
export const noInputSchema = z.object({});

export const undoSafeFixesSchema = z.object({ changeSetId: z.uuid({ message: "That change reference is not valid." }) });
export type UndoSafeFixesInput = z.input<typeof undoSafeFixesSchema>;

const suggestionId = z.uuid({ message: "That suggestion reference is not valid." });

export const decideSuggestionSchema = z.object({ suggestionId, decision: z.enum(["accept", "reject"], { message: "Accept or reject." }) });
export type DecideSuggestionInput = z.input<typeof decideSuggestionSchema>;

export const decideSuggestionsSchema = z.object({
  decision: z.enum(["accept", "reject"], { message: "Accept or reject." }),
  suggestionIds: z
    .array(suggestionId, { message: "Choose the suggestions." })
    .min(1, { message: "Choose at least one suggestion." })
    .max(MAX_BULK_DECISIONS, { message: `Choose at most ${MAX_BULK_DECISIONS} suggestions at once.` }),
});
export type DecideSuggestionsInput = z.input<typeof decideSuggestionsSchema>;

/** The page's filter and page number from the address bar; anything odd falls back to the defaults. */
export const suggestionListQuerySchema = z.object({
  kind: z.enum(SUGGESTION_KINDS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
