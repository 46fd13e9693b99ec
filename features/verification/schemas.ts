import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** The staff unlock forms' one schema (code-verification lock and "this wasn't me" freeze; the forms and the server actions parse it). */
export const staffUnlockSchema = z.object({
  userId: z.uuid({ message: "That account reference is not valid." }),
  reason: cleanText({ multiline: true, error: "Say why you are unlocking this account." })
    .trim()
    .min(1, { message: "Say why you are unlocking this account." })
    .min(10, { message: "Say why you are unlocking this account (at least 10 characters)." })
    .max(500, { message: "Keep the reason under 500 characters." }),
});
export type StaffUnlockInput = z.input<typeof staffUnlockSchema>;
