import { getCountries } from "libphonenumber-js";
import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, SINGLE_COLUMN_FIELDS } from "./fields";

/** The import's inputs, one schema each, parsed alike by the forms and the server actions. */

const COUNTRIES = new Set<string>(getCountries());
const importId = z.uuid({ message: "That import reference is not valid." });

export const IMPORT_OUTCOME_FILTERS = ["all", "new", "update", "unchanged", "flagged", "skipped", "duplicate", "issues"] as const;

export const importMappingSchema = z
  .object({
    importId,
    columns: z
      .array(z.object({ header: cleanText().max(200), field: z.enum(IMPORT_FIELDS, { message: "Choose what this column holds." }) }))
      .min(1)
      .max(200),
    defaultCountry: z.string().refine((value) => COUNTRIES.has(value), { message: "Choose the country of numbers written without +." }),
  })
  .superRefine((values, ctx) => {
    for (const field of SINGLE_COLUMN_FIELDS) {
      const indexes = values.columns.flatMap((column, index) => (column.field === field ? [index] : []));
      for (const index of indexes.slice(1)) {
        ctx.addIssue({ code: "custom", path: ["columns", index, "field"], message: `Only one column can be "${IMPORT_FIELD_LABELS[field]}".` });
      }
    }
    const identifying = values.columns.some((column) => ["accountNumber", "email", "alias", "mobile", "phone"].includes(column.field));
    if (!identifying) {
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message: "Map at least one column to an account number, an email address or a phone number: rows are matched by those.",
      });
    }
  });
export type ImportMappingInput = z.input<typeof importMappingSchema>;

export const importIdSchema = z.object({ importId });
export type ImportIdInput = z.input<typeof importIdSchema>;
