"use server";

import "server-only";

import { z } from "zod";
import { ActionError, authorizedAction, requestIp } from "@/platform/auth/guard";
import { confirmEmailChange, resendEmailChangeCode, startEmailChange } from "@/features/accounts/contact-change/contact-change";
import { pendingChangeMessage } from "@/features/accounts/text-confirmation/pending-changes";
import { emailChangeCodeSchema, startEmailChangeSchema } from "@/features/accounts/contact-change/schemas";

function refused(refusal: { message: string; field?: string; availableAt?: string }): never {
  throw new ActionError(refusal.message, "invalid", refusal.field ? { [refusal.field]: [refusal.message] } : undefined, refusal.availableAt);
}

export const startEmailChangeAction = authorizedAction("account", startEmailChangeSchema, async (input, actor) => {
  const sent = await startEmailChange({ userId: actor.userId, newEmail: input.newEmail, password: input.password, ip: await requestIp() });
  if (!sent.ok) refused(sent);
  return { maskedTarget: sent.maskedTarget, resendAvailableAt: sent.resendAvailableAt };
});

export const resendEmailChangeCodeAction = authorizedAction("account", z.object({}), async (_input, actor) => {
  const sent = await resendEmailChangeCode({ userId: actor.userId, ip: await requestIp() });
  if (!sent.ok) refused(sent);
  return { maskedTarget: sent.maskedTarget, resendAvailableAt: sent.resendAvailableAt };
});

export const confirmEmailChangeAction = authorizedAction("account", emailChangeCodeSchema, async (input, actor) => {
  const confirmed = await confirmEmailChange({ userId: actor.userId, role: actor.role, code: input.code, ip: await requestIp() });
  if (!confirmed.ok) refused(confirmed);
  return { email: confirmed.email, pendingMessage: confirmed.pending ? pendingChangeMessage(confirmed) : null };
});
