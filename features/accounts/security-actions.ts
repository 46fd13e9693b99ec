"use server";

import "server-only";

import { z } from "zod";
import { ActionError, authorizedAction, requestIp as ip } from "@/platform/auth/guard";
import { serverEnv } from "@/platform/env";
import { pendingChangeMessage } from "@/features/accounts/text-confirmation/pending-changes";
import { changePassword } from "@/features/accounts/password/password-reset";
import { changePasswordSchema } from "@/features/accounts/password/schemas";
import {
  beginTotpSetup,
  confirmCodeSetup,
  confirmTotpSetup,
  regenerateRecoveryCodes,
  sendSetupCode,
  turnOffTwoFactor,
} from "@/features/accounts/two-factor/two-factor";
import { confirmSetupCodeSchema, confirmTotpSchema, passwordOnlySchema, sendSetupCodeSchema } from "@/features/accounts/two-factor/schemas";
/** A refusal from the accounts services, as the form shows it: on its field when it names one. */
function refused(refusal: { message: string; field?: string; availableAt?: string }): never {
  throw new ActionError(refusal.message, "invalid", refusal.field ? { [refusal.field]: [refusal.message] } : undefined, refusal.availableAt);
}

export const changePasswordAction = authorizedAction("account", changePasswordSchema, async (input, actor) => {
  const result = await changePassword({
    userId: actor.userId,
    sessionId: actor.sessionId,
    currentPassword: input.currentPassword,
    password: input.password,
    ip: await ip(),
  });
  if (!result.ok) refused(result);
  return { changed: true };
});

export const beginTotpSetupAction = authorizedAction("account", z.object({}), async (_input, actor) => {
  const setup = await beginTotpSetup(actor.userId);
  if (!setup.ok) refused(setup);
  // The otpauth URI is only inside the QR code; the secret is shown for typing by hand.
  return { qrDataUrl: setup.qrDataUrl, secretForTyping: setup.secretForTyping };
});

export const confirmTotpSetupAction = authorizedAction("account", confirmTotpSchema, async (input, actor) => {
  const result = await confirmTotpSetup({ userId: actor.userId, role: actor.role, code: input.code, ip: await ip() });
  if (!result.ok) refused(result);
  return { recoveryCodes: result.recoveryCodes };
});

export const sendTwoFactorSetupCodeAction = authorizedAction("account", sendSetupCodeSchema, async (input, actor) => {
  const result = await sendSetupCode({ userId: actor.userId, channel: input.channel, ip: await ip() });
  if (!result.ok) refused(result);
  return { maskedTarget: result.maskedTarget, resendAvailableAt: result.resendAvailableAt };
});

export const confirmTwoFactorSetupCodeAction = authorizedAction("account", confirmSetupCodeSchema, async (input, actor) => {
  const result = await confirmCodeSetup({ userId: actor.userId, role: actor.role, channel: input.channel, code: input.code, ip: await ip() });
  if (!result.ok) refused(result);
  return { recoveryCodes: result.recoveryCodes };
});

export const turnOffTwoFactorAction = authorizedAction("account", passwordOnlySchema, async (input, actor) => {
  const result = await turnOffTwoFactor({
    userId: actor.userId,
    role: actor.role,
    password: input.password,
    ip: await ip(),
    staffTwoFactorRequired: serverEnv().REQUIRE_STAFF_TWO_FACTOR,
  });
  if (!result.ok) refused(result);
  return { off: !result.pending, pendingMessage: result.pending ? pendingChangeMessage(result) : null };
});

export const newRecoveryCodesAction = authorizedAction("account", passwordOnlySchema, async (input, actor) => {
  const result = await regenerateRecoveryCodes({ userId: actor.userId, role: actor.role, password: input.password, ip: await ip() });
  if (!result.ok) refused(result);
  return { recoveryCodes: result.recoveryCodes };
});
