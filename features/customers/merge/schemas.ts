import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** One schema per input; the merge form (react-hook-form) and the service parse the same ones. */

// Lower-cased: the same record typed in capitals is still the same record (a self-merge is refused below).
const customerId = z.uuid({ message: "That customer reference is not valid." }).transform((id) => id.toLowerCase());

/** Minimum length of a merge override's reason: a written sentence, not "ok" (as for identity overrides). */
export const MERGE_REASON_MIN = 10;

/**
 * The reason is optional here: the service requires it (at least MERGE_REASON_MIN characters)
 * only when both records carry verified identities that disagree, and says so on the field.
 */
export const mergeCustomersSchema = z
  .object({
    survivorId: customerId,
    absorbedId: customerId,
    reason: cleanText({ multiline: true }).trim().max(2000, { message: "Keep it under 2,000 characters." }).optional(),
  })
  .refine((input) => input.survivorId !== input.absorbedId, { message: "Choose two different customers.", path: ["absorbedId"] });
export type MergeCustomersInput = z.input<typeof mergeCustomersSchema>;

export const undoMergeSchema = z.object({ mergeId: z.uuid({ message: "That merge reference is not valid." }) });
export type UndoMergeInput = z.input<typeof undoMergeSchema>;
