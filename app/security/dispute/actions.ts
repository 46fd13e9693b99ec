"use server";

import { ActionError, publicAction } from "@/lib/auth/guard";
import { disputeContactChange } from "@/lib/identity/contact-change";
import { disputeSchema } from "@/lib/identity/contact-change-schemas";

// Public: the "this wasn't me" link's token is the credential, and it can only freeze the account.
export const disputeChangeAction = publicAction(disputeSchema, async (input, { ip }) => {
  const result = await disputeContactChange({ token: input.token, ip });
  if (!result.ok) throw new ActionError(result.message, "not_found");
  return { kind: result.kind, reverted: result.reverted, alreadyDisputed: result.alreadyDisputed };
});
