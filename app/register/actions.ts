"use server";

import { redirect } from "next/navigation";
import { ActionError, publicAction } from "@/lib/auth/guard";
import { registerCustomer, RegistrationRefusedError } from "@/lib/identity/registration";
import { registrationSchema } from "@/lib/identity/registration-schema";
import { writePendingState } from "@/app/verify/email/pending-cookie";

/** Public: people without an account register here. The same schema validated the form in the browser. */
export const register = publicAction(registrationSchema, async (input, { ip }) => {
  try {
    const { state } = await registerCustomer(input, { ip });
    await writePendingState(state);
  } catch (error) {
    if (error instanceof RegistrationRefusedError) throw new ActionError(error.message, error.code, error.field ? { [error.field]: [error.message] } : undefined);
    throw error;
  }
  // The same page and words whether the address was new or already had an account.
  redirect("/verify/email");
});
