"use server";

import { ActionError, authorizedAction, requestIp } from "@/lib/auth/guard";
import { staffUnfreezeAccount } from "@/lib/identity/account-freeze";
import { staffUnlockSchema } from "@/lib/identity/code-lock-schema";
import { staffUnlockCodeVerification } from "@/lib/identity/code-locks";

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
