"use server";

import "server-only";

import { ActionError, authorizedAction, requestIp } from "@/platform/auth/guard";
import { changePostalAddress } from "@/features/accounts/postal-address/postal-address";
import { postalAddressSchema } from "@/features/accounts/postal-address/schemas";
import { pendingChangeMessage } from "@/features/accounts/text-confirmation/pending-changes";

export const changePostalAddressAction = authorizedAction("account", postalAddressSchema, async (input, actor) => {
  const saved = await changePostalAddress({ userId: actor.userId, role: actor.role, address: input.address, password: input.password, ip: await requestIp() });
  if (!saved.ok) throw new ActionError(saved.message, "invalid", saved.field ? { [saved.field]: [saved.message] } : undefined);
  if (saved.pending) return { pending: true, message: pendingChangeMessage(saved) };
  return { pending: false, message: saved.unchanged ? "That is already your postal address." : "Your postal address is saved. We emailed you a notice." };
});
