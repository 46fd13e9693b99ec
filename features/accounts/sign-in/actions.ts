"use server";

import "server-only";

import { cookies, headers } from "next/headers";
import { z } from "zod";
import { ActionError, secondFactorAction } from "@/platform/auth/guard";
import { sendSignInCode, verifySignInSecondFactor } from "@/features/accounts/two-factor/two-factor";
import { secondFactorSchema } from "@/features/accounts/two-factor/schemas";
import { deviceCookie, deviceIdFromCookieHeader, finishSignInOnDevice } from "@/features/accounts/devices/known-devices";

// Only for a session that passed the password and still owes its second factor or its new-device code (the guard checks).

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
  // The browser is known from now on (a new one is remembered and the owner is told).
  const requestHeaders = await headers();
  const device = await finishSignInOnDevice({
    userId: pending.userId,
    sessionId: pending.sessionId,
    cookieDeviceId: deviceIdFromCookieHeader(requestHeaders.get("cookie")),
    ip: pending.ip,
    userAgent: requestHeaders.get("user-agent"),
  });
  const cookie = deviceCookie(device.cookieValue);
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
  return { recoveryCodesLeft: outcome.recoveryCodesLeft };
});
