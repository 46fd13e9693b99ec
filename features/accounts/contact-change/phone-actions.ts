"use server";

import "server-only";
import { pendingChangeMessage } from "@/features/accounts/text-confirmation/pending-changes";

import { z } from "zod";
import { ActionError, authorizedAction, requestIp } from "@/platform/auth/guard";
import { confirmPhone, resendPhoneCode, startPhoneVerification } from "@/features/accounts/contact-change/phone";
import { phoneCodeSchema, phoneNumberSchema } from "@/features/accounts/contact-change/phone-schemas";

function refused(refusal: { message: string; field?: string; availableAt?: string }): never {
  throw new ActionError(refusal.message, "invalid", refusal.field ? { [refusal.field]: [refusal.message] } : undefined, refusal.availableAt);
}

export const sendPhoneCodeAction = authorizedAction("account", phoneNumberSchema, async (input, actor) => {
  const sent = await startPhoneVerification({
    userId: actor.userId,
    country: input.country,
    number: input.number,
    password: input.password || undefined,
    ip: await requestIp(),
  });
  if (!sent.ok) refused(sent);
  return { maskedTarget: sent.maskedTarget, resendAvailableAt: sent.resendAvailableAt };
});

export const resendPhoneCodeAction = authorizedAction("account", z.object({}), async (_input, actor) => {
  const sent = await resendPhoneCode({ userId: actor.userId, ip: await requestIp() });
  if (!sent.ok) refused(sent);
  return { maskedTarget: sent.maskedTarget, resendAvailableAt: sent.resendAvailableAt };
});

export const confirmPhoneCodeAction = authorizedAction("account", phoneCodeSchema, async (input, actor) => {
  const confirmed = await confirmPhone({ userId: actor.userId, role: actor.role, code: input.code, ip: await requestIp() });
  if (!confirmed.ok) refused(confirmed);
  return { changed: confirmed.changed, pendingMessage: confirmed.pending ? pendingChangeMessage(confirmed) : null };
});
