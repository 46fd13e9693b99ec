"use server";

import "server-only";

import { z } from "zod";
import { ActionError, secondFactorAction } from "@/platform/auth/guard";
import { sendSignInCode, verifySignInSecondFactor } from "@/features/accounts/two-factor/two-factor";
import { secondFactorSchema } from "@/features/accounts/two-factor/schemas";

// Only for a session that passed the password and still owes its second factor (the guard checks).

export const sendSignInCodeAction = secondFactorAction(z.object({}), async (_input, pending) => {
  const sent = await sendSignInCode(pending, pending.ip);
  // A cooldown refusal says until when, so the button counts down.
  if (!sent.ok) throw new ActionError(sent.message, sent.availableAt ? "rate_limited" : "invalid", undefined, sent.availableAt);
  return { maskedTarget: sent.maskedTarget, resendAvailableAt: sent.resendAvailableAt };
});

export const verifySecondFactorAction = secondFactorAction(secondFactorSchema, async (input, pending) => {
  const outcome = await verifySignInSecondFactor(pending, input, pending.ip);
  // A pending sign-in that is over (too many wrong codes, timed out) answers like an ended session.
  if (!outcome.ok)
    throw new ActionError(outcome.message, outcome.restart ? "unauthenticated" : "invalid", outcome.restart ? undefined : { code: [outcome.message] });
  return { recoveryCodesLeft: outcome.recoveryCodesLeft };
});
