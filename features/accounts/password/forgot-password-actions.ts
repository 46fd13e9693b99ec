"use server";

import "server-only";

import { publicAction } from "@/platform/auth/guard";
import { RESET_REQUESTED_MESSAGE, requestPasswordReset } from "@/features/accounts/password/password-reset";
import { forgotPasswordSchema } from "@/features/accounts/password/schemas";

// Public: for people who cannot sign in. The answer is the same, in about the same time, whether
// or not the address has an account (features/accounts/password/password-reset.ts).
export const requestPasswordResetAction = publicAction(forgotPasswordSchema, async (input, { ip }) => {
  await requestPasswordReset({ email: input.email, ip });
  return { message: RESET_REQUESTED_MESSAGE };
});
