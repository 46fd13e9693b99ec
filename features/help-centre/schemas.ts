import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** The help centre's inputs, for the forms and the server alike. Browser-safe. */

export const KB_VISIBILITIES = ["draft", "internal", "public"] as const;
export const MAX_ARTICLE_BODY_CHARACTERS = 100_000;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LOCALE = /^[a-z]{2,3}(?:-[A-Z]{2})?$/;

const slugField = cleanText()
  .trim()
  .max(80, { message: "Keep the address under 80 characters." })
  .refine((value) => value === "" || SLUG.test(value), { message: "Use lower-case letters, digits and single hyphens (reset-your-password)." });

export const articleSchema = z
  .object({
    /** Absent for a new article. */
    articleId: z.uuid().optional(),
    /** The version the editor started from: saving over a newer one is refused (someone else saved meanwhile). */
    expectedVersion: z.number().int().min(1).optional(),
    title: cleanText().trim().min(1, { message: "Give the article a title." }).max(200, { message: "Keep the title under 200 characters." }),
    /** Blank: made from the title. */
    slug: slugField,
    categoryId: z.union([z.uuid({ message: "Choose a category from the list." }), z.literal("")]),
    locale: cleanText()
      .trim()
      .refine((value) => LOCALE.test(value), { message: 'Use a language tag such as "en", "de" or "pt-BR".' }),
    /** The original article this one translates (a new translation only). */
    translationOf: z.union([z.uuid(), z.literal("")]).optional(),
    body: cleanText({ multiline: true }).max(MAX_ARTICLE_BODY_CHARACTERS, {
      message: `Keep the article under ${MAX_ARTICLE_BODY_CHARACTERS.toLocaleString("en")} characters.`,
    }),
    visibility: z.enum(KB_VISIBILITIES, { message: "Choose draft, internal or public." }),
  })
  .refine((input) => !input.articleId || input.expectedVersion !== undefined, {
    message: "Reload the article: the version you edited is not known.",
    path: ["expectedVersion"],
  });
export type ArticleInput = z.input<typeof articleSchema>;

export const categorySchema = z.object({
  name: cleanText().trim().min(1, { message: "Give the category a name." }).max(80, { message: "Keep the name under 80 characters." }),
  slug: slugField,
  description: cleanText().trim().max(300, { message: "Keep the description under 300 characters." }),
});
export type CategoryInput = z.input<typeof categorySchema>;

export const articlePreviewSchema = z.object({ body: cleanText({ multiline: true }).max(MAX_ARTICLE_BODY_CHARACTERS) });

export const helpSearchSchema = z.object({ q: cleanText().trim().max(200, { message: "Search for at most 200 characters." }) });

export const articleVoteSchema = z.object({ articleId: z.uuid(), helpful: z.boolean() });

export const articleIdSchema = z.object({ articleId: z.uuid() });

export const suggestionOpenedSchema = z.object({ formKey: z.uuid(), articleId: z.uuid() });

/** A slug from a title: "Reset your password!" → "reset-your-password". */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || "article";
}
