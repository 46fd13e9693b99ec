import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { oneTimeCodeField } from "@/features/accounts/two-factor/schemas";
import { isUuid } from "@/platform/ids";

/**
 * The "Verify caller" tool's inputs, for the browser form and the server actions alike
 * (features/callers/caller-verification.ts). Browser-safe.
 */

const customerId = z.uuid({ message: "That customer reference is not valid." });
const ticketId = z.uuid({ message: "That ticket reference is not valid." });

/** What the caller states. Empty means "not asked" (the field's result is not_given). */
export const callerFieldsSchema = z
  .object({
    customerId,
    ticketId: ticketId.optional(),
    fullName: cleanText().trim().max(200, { message: "That is longer than a name." }).default(""),
    accountOrEmail: cleanText().trim().max(320, { message: "That is longer than an account number or email address." }).default(""),
    phone: z
      .string()
      .trim()
      .max(40, { message: "That is longer than a phone number." })
      .regex(/^[+\d\s().-]*$/, { message: "Use only digits, spaces and a leading +." })
      .default(""),
  })
  .refine((input) => input.fullName !== "" || input.accountOrEmail !== "" || input.phone !== "", {
    message: "Enter at least one detail the caller gave.",
    path: ["fullName"],
  });
export type CallerFieldsInput = z.input<typeof callerFieldsSchema>;

/** Step 2: which verified channel gets the code, by the opaque reference listCodeChannels gave. */
export const sendCallerCodeSchema = z.object({
  customerId,
  ticketId,
  channelRef: z
    .string()
    .trim()
    .min(1, { message: "Choose where to send the code." })
    .max(80)
    .refine((value) => /^(email|sms|user-email|user-sms):/i.test(value) && isUuid(value.slice(value.indexOf(":") + 1)), {
      message: "Choose where to send the code.",
    }),
});
export type SendCallerCodeInput = z.input<typeof sendCallerCodeSchema>;

/** Step 3: the code the caller reads back. */
export const callerCodeSchema = z.object({ customerId, ticketId, code: oneTimeCodeField });
export type CallerCodeInput = z.input<typeof callerCodeSchema>;
