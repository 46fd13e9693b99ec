"use server";

import "server-only";

import { ActionError, publicAction } from "@/platform/auth/guard";
import { acceptInvitation } from "@/features/staff/invitations";
import { acceptInvitationSchema } from "@/features/staff/schemas";

// Public: the emailed link's token is the credential (checked in features/staff/invitations.ts).
export const acceptInvitationAction = publicAction(acceptInvitationSchema, async (input, { ip }) => {
  const result = await acceptInvitation({ token: input.token, password: input.password, ip });
  if (!result.ok)
    throw new ActionError(
      result.message,
      result.reason === "invalid_link" ? "not_found" : "invalid",
      result.reason === "weak_password" ? { password: [result.message] } : undefined,
    );
  return { email: result.email };
});
