import { z } from "zod";
import { API_SCOPES } from "@/platform/auth/api-scopes";
import { cleanText } from "@/platform/text/schemas";

/** Lifetimes an administrator may choose; "never" is allowed but not the default. */
export const TOKEN_LIFETIMES = ["30", "90", "365", "never"] as const;
export const TOKEN_LIFETIME_LABEL: Record<(typeof TOKEN_LIFETIMES)[number], string> = {
  "30": "30 days",
  "90": "90 days",
  "365": "1 year",
  never: "Never expires",
};

export const createApiTokenSchema = z.object({
  name: cleanText({ error: "Name the token after what uses it, e.g. “CRM sync”." })
    .trim()
    .min(1, "Name the token after what uses it, e.g. “CRM sync”.")
    .max(80, "At most 80 characters."),
  scopes: z
    .array(z.enum(API_SCOPES, "Not a scope of this API."), "Choose at least one scope.")
    .min(1, "Choose at least one scope.")
    .max(API_SCOPES.length)
    .transform((scopes) => [...new Set(scopes)]),
  lifetime: z.enum(TOKEN_LIFETIMES, "Choose how long the token works.").default("90"),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenSchema>;

export const revokeApiTokenSchema = z.object({ tokenId: z.uuid("Not a token id.") });
