"use server";

import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionError, authorizedAction, currentActor, publicAction } from "@/platform/auth/guard";
import { clientIpFrom } from "@/platform/request";
import {
  correctPendingAddress,
  RegistrationRefusedError,
  resendPendingCode,
  startVerificationForAccount,
  verifyEmailLinkAndMatch,
  verifyPendingCode,
} from "@/features/accounts/registration/registration";
import { correctAddressSchema, verifyCodeSchema, verifyLinkSchema } from "@/features/accounts/registration/schemas";
import { clearPendingState, readPendingState, writePendingState } from "./pending-cookie";

/**
 * The verification page's actions. Public on purpose: a registrant has no session (and must not
 * get one before the address is proved), and the emailed link must work in any browser. What
 * they act on comes from the sealed cookie or the link's token, never from the request body.
 */

const NO_PENDING = "This browser has no registration waiting for a code any more. Open the link in the email, or sign in and ask for a new code.";

/** Where someone goes once their address is verified: signed in as that account → portal; otherwise sign in. */
async function afterVerified(userId: string): Promise<never> {
  const actor = await currentActor();
  redirect(actor?.userId === userId ? "/portal?verified=1" : "/signin?verified=1");
}

function refused(error: unknown): never {
  if (error instanceof RegistrationRefusedError) throw new ActionError(error.message, error.code, error.field ? { [error.field]: [error.message] } : undefined);
  throw error;
}

/** The code typed on the page. */
export const verifyCodeAction = publicAction(verifyCodeSchema, async ({ code }, { ip }) => {
  const state = await readPendingState();
  if (!state) throw new ActionError(NO_PENDING, "not_found");
  const result = await verifyPendingCode(state, code, { ip });
  if (result.ok) {
    await clearPendingState();
    return afterVerified(result.userId);
  }
  if (result.reason === "already_verified") {
    // Verified meanwhile (the link, in another browser): nothing left to do here.
    await clearPendingState();
    return afterVerified(state.userId);
  }
  await writePendingState(result.state);
  throw new ActionError(result.message, "invalid", { code: [result.message] });
});

/** "Send a new code". */
export const resendCodeAction = publicAction(z.object({}), async (_input, { ip }) => {
  const state = await readPendingState();
  if (!state) throw new ActionError(NO_PENDING, "not_found");
  const result = await resendPendingCode(state, { ip });
  await writePendingState(result.state);
  if (!result.ok) {
    // Real or decoy, a wait is said the same way, with the time the button counts down to.
    const availableAt = result.retryAfterSeconds ? new Date(Date.now() + result.retryAfterSeconds * 1000).toISOString() : undefined;
    throw new ActionError(result.message, "rate_limited", undefined, availableAt);
  }
  return { maskedEmail: result.view.maskedEmail, resendAvailableAt: result.view.resendAvailableAt.toISOString() };
});

/** "Wrong address?": move the registration to the corrected address and send a new code there. */
export const correctAddressAction = publicAction(correctAddressSchema, async ({ email }, { ip }) => {
  const state = await readPendingState();
  if (!state) throw new ActionError(NO_PENDING, "not_found");
  try {
    const outcome = await correctPendingAddress(state, email, { ip });
    await writePendingState(outcome.state);
    return { maskedEmail: outcome.view.maskedEmail, resendAvailableAt: outcome.view.resendAvailableAt.toISOString() };
  } catch (error) {
    return refused(error);
  }
});

/** The emailed link, submitted by the page (never consumed by merely opening it). */
export const verifyLinkAction = publicAction(verifyLinkSchema, async ({ token, code }, { ip }) => {
  const result = await verifyEmailLinkAndMatch({ token, ...(code ? { code } : {}) }, { ip });
  if (!result.ok) throw new ActionError(result.message, "invalid", code ? { code: [result.message] } : undefined);
  const state = await readPendingState();
  if (state?.userId === result.userId) await clearPendingState();
  return afterVerified(result.userId);
});

/** A signed-in customer whose address is not verified asks for a code (from the portal's banner). */
export const startVerificationAction = authorizedAction("portal", z.object({}), async (_input, actor) => {
  const all = await headers();
  const outcome = await startVerificationForAccount(actor.userId, { ip: clientIpFrom((name) => all.get(name)) });
  if (!outcome) throw new ActionError("Your email address is already verified.", "conflict");
  await writePendingState(outcome.state);
  return { maskedEmail: outcome.view.maskedEmail, resendAvailableAt: outcome.view.resendAvailableAt.toISOString(), notice: outcome.refusal ?? null };
});
