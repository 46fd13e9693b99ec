"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/platform/auth/guard";
import { cannedReplySchema, saveCannedReply } from "@/features/tickets/canned-replies";
import { addInternalNote, assignTicket, replyAsAgent, updateTicket } from "@/features/tickets/desk";
import { agentReplySchema, assignTicketSchema, ticketReplySchema, updateTicketSchema } from "@/features/tickets/schemas";

const refresh = (ticketId: string) => revalidatePath(`/console/tickets/${ticketId}`);

export const sendAgentReply = authorizedAction("console", agentReplySchema, async (input, actor) => {
  const result = await replyAsAgent(actor, input);
  refresh(input.ticketId);
  return result;
});

export const addNote = authorizedAction("console", ticketReplySchema, async (input, actor) => {
  await addInternalNote(actor, input);
  refresh(input.ticketId);
  return { saved: true };
});

export const changeAssignee = authorizedAction("console", assignTicketSchema, async (input, actor) => {
  await assignTicket(actor, input);
  refresh(input.ticketId);
  return { saved: true };
});

export const changeTicket = authorizedAction("console", updateTicketSchema, async (input, actor) => {
  await updateTicket(actor, input);
  refresh(input.ticketId);
  return { saved: true };
});

export const saveCanned = authorizedAction("console", cannedReplySchema, async (input, actor) => saveCannedReply(actor, input));
