import { z } from "zod";
import { cleanText, secretText } from "@/platform/text/schemas";
import { passwordSchema } from "@/features/accounts/password/password-policy";
import { emailAddressSchema } from "@/platform/email-address/email-address";

/**
 * Forms of the password flows (forgot, reset, change). Browser-safe: the forms and the server
 * actions parse the same schemas. The server additionally refuses passwords built around the
 * person's own name or email (passwordSchemaFor), which the browser does not know on /reset-password.
 */

export const emailField = emailAddressSchema({ required: "Enter your email address.", tooLong: "That email address is too long." });

export const forgotPasswordSchema = z.object({ email: emailField });
export type ForgotPasswordInput = z.input<typeof forgotPasswordSchema>;

const confirmMatches = (values: { password: string; confirmPassword: string }, ctx: z.RefinementCtx) => {
  if (values.password !== values.confirmPassword) ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The two passwords are not the same." });
};

export const resetPasswordSchema = z
  .object({
    token: cleanText().min(1, { message: "This link is not complete." }).max(512),
    password: passwordSchema,
    confirmPassword: secretText().min(1, { message: "Type the new password again." }),
  })
  .superRefine(confirmMatches);
export type ResetPasswordInput = z.input<typeof resetPasswordSchema>;

export const currentPasswordField = secretText().min(1, { message: "Enter your current password." }).max(1024, { message: "That password is too long." });

export const changePasswordSchema = z
  .object({
    currentPassword: currentPasswordField,
    password: passwordSchema,
    confirmPassword: secretText().min(1, { message: "Type the new password again." }),
  })
  .superRefine(confirmMatches)
  .superRefine((values, ctx) => {
    if (values.currentPassword.length > 0 && values.password === values.currentPassword) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "Choose a password different from your current one." });
    }
  });
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;
