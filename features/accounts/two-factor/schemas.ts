import { z } from "zod";
import { secretText } from "@/platform/text/schemas";

/** Forms of two-factor set-up and of the sign-in's second step. Browser-safe: forms and actions share them. */

export const oneTimeCodeField = z
  .string()
  .trim()
  .min(1, { message: "Enter the 6-digit code." })
  .max(16, { message: "Enter the 6 digits of the code." })
  .regex(/^\d{3}[\s-]?\d{3}$/, { message: "Enter the 6 digits of the code." });

/** Recovery codes look like "7kq2m-x9d4p"; letters in either case, spaces and dashes ignored. */
export const recoveryCodeField = z
  .string()
  .trim()
  .min(1, { message: "Enter one of your recovery codes." })
  .max(40, { message: "That is longer than a recovery code." })
  .regex(/^[0-9A-Za-z\s-]+$/, { message: "A recovery code has only letters, digits and a dash." });

export const passwordConfirmationField = secretText().min(1, { message: "Enter your password." }).max(1024, { message: "That password is too long." });

export const secondFactorSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("totp"), code: oneTimeCodeField }),
  z.object({ kind: z.literal("code"), code: oneTimeCodeField }),
  z.object({ kind: z.literal("recovery"), code: recoveryCodeField }),
]);
export type SecondFactorInput = z.input<typeof secondFactorSchema>;

export const confirmTotpSchema = z.object({ code: oneTimeCodeField });
export type ConfirmTotpInput = z.input<typeof confirmTotpSchema>;

export const codeChannelSchema = z.enum(["email", "sms"]);

export const sendSetupCodeSchema = z.object({ channel: codeChannelSchema });
export const confirmSetupCodeSchema = z.object({ channel: codeChannelSchema, code: oneTimeCodeField });
export type ConfirmSetupCodeInput = z.input<typeof confirmSetupCodeSchema>;

export const passwordOnlySchema = z.object({ password: passwordConfirmationField });
export type PasswordOnlyInput = z.input<typeof passwordOnlySchema>;
