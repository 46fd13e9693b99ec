"use server";

import { publicAction } from "@/lib/auth/guard";
import { RESET_REQUESTED_MESSAGE, requestPasswordReset } from "@/lib/identity/password-reset";
import { forgotPasswordSchema } from "@/lib/identity/password-reset-schemas";

// Public: for people who cannot sign in. The answer is the same, in about the same time, whether
// or not the address has an account (lib/identity/password-reset.ts).
export const requestPasswordResetAction = publicAction(forgotPasswordSchema, async (input, { ip }) => {
  await requestPasswordReset({ email: input.email, ip });
  return { message: RESET_REQUESTED_MESSAGE };
});
