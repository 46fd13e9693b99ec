"use server";

import "server-only";

import { ActionError, publicAction } from "@/platform/auth/guard";
import { resetPasswordWithToken } from "@/features/accounts/password/password-reset";
import { resetPasswordSchema } from "@/features/accounts/password/schemas";

// Public: the emailed link's token is the credential (checked in features/accounts/password/password-reset.ts).
export const resetPasswordAction = publicAction(resetPasswordSchema, async (input, { ip }) => {
  const result = await resetPasswordWithToken({ token: input.token, password: input.password, ip });
  if (!result.ok)
    throw new ActionError(
      result.message,
      result.reason === "invalid_link" ? "not_found" : "invalid",
      result.field ? { [result.field]: [result.message] } : undefined,
    );
  return { reset: true };
});
