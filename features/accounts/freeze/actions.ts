"use server";

import "server-only";

import { ActionError, publicAction } from "@/platform/auth/guard";
import { disputeContactChange } from "@/features/accounts/contact-change/contact-change";
import { disputeSchema } from "@/features/accounts/contact-change/schemas";

// Public: the "this wasn't me" link's token is the credential, and it can only freeze the account.
export const disputeChangeAction = publicAction(disputeSchema, async (input, { ip }) => {
  const result = await disputeContactChange({ token: input.token, ip });
  if (!result.ok) throw new ActionError(result.message, "not_found");
  return { kind: result.kind, reverted: result.reverted, alreadyDisputed: result.alreadyDisputed };
});
