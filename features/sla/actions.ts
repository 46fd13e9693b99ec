"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { SLA_SCOPE_LABELS, slaPolicyInputSchema, updateSlaPolicy } from "@/features/sla/policies";

export const updateSlaPolicyAction = authorizedAction("supervisor", slaPolicyInputSchema, async (input, actor) => {
  await updateSlaPolicy(actor, input, await requestIp());
  return { message: `${SLA_SCOPE_LABELS[input.scope]}: policy saved. New tickets get the new targets; open tickets keep theirs.` };
});
