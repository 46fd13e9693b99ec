"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { escalateTicketSchema } from "@/features/escalations/schemas";
import { escalateTicket } from "@/features/escalations/service";

/** An agent (or supervisor) escalates the ticket to a supervisor. Supervisor-only actions: features/escalations/actions.ts. */
export const escalateTicketAction = authorizedAction("console", escalateTicketSchema, async (input, actor) => {
  const escalation = await escalateTicket(actor, input, { ip: await requestIp() });
  revalidatePath(`/console/tickets/${input.ticketId}`);
  revalidatePath("/supervisor");
  return { escalationId: escalation.id };
});
