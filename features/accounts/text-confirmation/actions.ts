"use server";

import "server-only";

import { ActionError, authorizedAction, requestIp } from "@/platform/auth/guard";
import { cancelPendingChange, sendConfirmationText } from "@/features/accounts/text-confirmation/pending-changes";
import { pendingChangeIdSchema } from "@/features/accounts/text-confirmation/schemas";

export const resendConfirmationTextAction = authorizedAction("account", pendingChangeIdSchema, async (input, actor) => {
  const sent = await sendConfirmationText({ userId: actor.userId, pendingChangeId: input.pendingChangeId, ip: await requestIp() });
  if (!sent.ok) throw new ActionError(sent.message, "invalid", undefined, sent.availableAt);
  return { message: `We texted a new code to ${sent.maskedMobile}. Reply with it within 10 minutes, or NO if it was not you.` };
});

export const cancelPendingChangeAction = authorizedAction("account", pendingChangeIdSchema, async (input, actor) => {
  const cancelled = await cancelPendingChange({ userId: actor.userId, pendingChangeId: input.pendingChangeId, ip: await requestIp() });
  if (!cancelled.ok) throw new ActionError(cancelled.message, "conflict");
  return { message: "The change is cancelled. Nothing was changed." };
});
