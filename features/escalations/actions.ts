"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import {
  deescalateSchema,
  escalationRefSchema,
  overrideIdentityCheckSchema,
  reassignEscalationSchema,
  resolveEscalationSchema,
  takeOverEscalationSchema,
} from "@/features/escalations/schemas";
import {
  claimEscalation,
  deescalate,
  overrideIdentityCheck,
  reassignEscalation,
  releaseEscalation,
  resolveEscalation,
  takeOverEscalation,
} from "@/features/escalations/service";

/** The queue and the ticket page both show escalations: refresh both after a change. */
function refresh(ticketId: string) {
  revalidatePath("/supervisor");
  revalidatePath(`/console/tickets/${ticketId}`);
}

export const claimEscalationAction = authorizedAction("supervisor", escalationRefSchema, async (input, actor) => {
  const escalation = await claimEscalation(actor, input, { ip: await requestIp() });
  refresh(escalation.ticketId);
  return { claimedBy: actor.name };
});

export const takeOverEscalationAction = authorizedAction("supervisor", takeOverEscalationSchema, async (input, actor) => {
  const escalation = await takeOverEscalation(actor, input, { ip: await requestIp() });
  refresh(escalation.ticketId);
  return { from: escalation.from };
});

export const releaseEscalationAction = authorizedAction("supervisor", escalationRefSchema, async (input, actor) => {
  const escalation = await releaseEscalation(actor, input, { ip: await requestIp() });
  refresh(escalation.ticketId);
  return { status: escalation.status };
});

export const resolveEscalationAction = authorizedAction("supervisor", resolveEscalationSchema, async (input, actor) => {
  const escalation = await resolveEscalation(actor, input, { ip: await requestIp() });
  refresh(escalation.ticketId);
  return { outcome: escalation.outcome };
});

export const reassignEscalationAction = authorizedAction("supervisor", reassignEscalationSchema, async (input, actor) => {
  const escalation = await reassignEscalation(actor, input, { ip: await requestIp() });
  refresh(escalation.ticketId);
  return { outcome: escalation.outcome };
});

export const deescalateAction = authorizedAction("supervisor", deescalateSchema, async (input, actor) => {
  const escalation = await deescalate(actor, input, { ip: await requestIp() });
  refresh(escalation.ticketId);
  return { outcome: escalation.outcome };
});

export const overrideIdentityCheckAction = authorizedAction("supervisor", overrideIdentityCheckSchema, async (input, actor) => {
  const check = await overrideIdentityCheck(actor, input, { ip: await requestIp() });
  refresh(input.ticketId);
  return { checkId: check.id };
});
