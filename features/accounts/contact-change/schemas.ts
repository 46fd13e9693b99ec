import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { emailField } from "@/features/accounts/password/schemas";
import { oneTimeCodeField, passwordConfirmationField } from "@/features/accounts/two-factor/schemas";

/** Forms of the email-address change and of the "this wasn't me" page. Browser-safe. */

export const startEmailChangeSchema = z.object({ newEmail: emailField, password: passwordConfirmationField });
export type StartEmailChangeInput = z.input<typeof startEmailChangeSchema>;

export const emailChangeCodeSchema = z.object({ code: oneTimeCodeField });
export type EmailChangeCodeInput = z.input<typeof emailChangeCodeSchema>;

export const disputeSchema = z.object({ token: cleanText().min(1).max(200) });
