"use server";

import "server-only";

import { redirect } from "next/navigation";
import { ActionError, publicAction } from "@/platform/auth/guard";
import { registerCustomer, RegistrationRefusedError } from "@/features/accounts/registration/registration";
import { registrationSchema } from "@/features/accounts/registration/schemas";
import { writePendingState } from "@/features/accounts/registration/pending-cookie";

/** Public: people without an account register here. The same schema validated the form in the browser. */
export const register = publicAction(registrationSchema, async (input, { ip }) => {
  try {
    const { state } = await registerCustomer(input, { ip });
    await writePendingState(state);
  } catch (error) {
    if (error instanceof RegistrationRefusedError)
      throw new ActionError(error.message, error.code, error.field ? { [error.field]: [error.message] } : undefined);
    throw error;
  }
  // The same page and words whether the address was new or already had an account.
  redirect("/verify/email");
});
