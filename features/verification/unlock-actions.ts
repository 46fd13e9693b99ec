"use server";

import "server-only";

import { ActionError, authorizedAction, requestIp } from "@/platform/auth/guard";
import { staffUnfreezeAccount } from "@/features/accounts/freeze/account-freeze";
import { staffUnlockSchema } from "@/features/verification/schemas";
import { staffUnlockCodeVerification } from "@/features/verification/code-locks";

export const unlockCodeVerificationAction = authorizedAction("supervisor", staffUnlockSchema, async (input, actor) => {
  const result = await staffUnlockCodeVerification(input, { userId: actor.userId, role: actor.role }, await requestIp());
  if (!result.ok) throw new ActionError(result.message, result.code);
  return { message: result.message };
});

export const unfreezeAccountAction = authorizedAction("supervisor", staffUnlockSchema, async (input, actor) => {
  const result = await staffUnfreezeAccount(input, { userId: actor.userId, role: actor.role }, await requestIp());
  if (!result.ok) throw new ActionError(result.message, result.code);
  return { message: result.message };
});
