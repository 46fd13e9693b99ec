import { z } from "zod";

/** The unlock form's one schema (the form and the server action parse it). */
export const unlockCodeVerificationSchema = z.object({
  userId: z.uuid({ message: "That account reference is not valid." }),
  reason: z
    .string({ message: "Say why you are unlocking this account." })
    .trim()
    .min(1, { message: "Say why you are unlocking this account." })
    .min(10, { message: "Say why you are unlocking this account (at least 10 characters)." })
    .max(500, { message: "Keep the reason under 500 characters." }),
});
export type UnlockCodeVerificationInput = z.input<typeof unlockCodeVerificationSchema>;
