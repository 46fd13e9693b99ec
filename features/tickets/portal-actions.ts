"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/platform/auth/guard";
import { closeOwnTicket, createPortalTicket, reopenOwnTicket, replyAsCustomer } from "@/features/tickets/desk";
import { newPortalTicketSchema, ticketRefSchema, ticketReplySchema } from "@/features/tickets/schemas";

export const openTicket = authorizedAction("portal", newPortalTicketSchema, async (input, actor) => {
  const ticket = await createPortalTicket(actor, input);
  revalidatePath("/portal");
  return ticket;
});

export const replyToOwnTicket = authorizedAction("portal", ticketReplySchema, async (input, actor) => {
  await replyAsCustomer(actor, input);
  revalidatePath(`/portal/tickets/${input.ticketId}`);
  return { saved: true };
});

export const closeTicket = authorizedAction("portal", ticketRefSchema, async (input, actor) => {
  await closeOwnTicket(actor, input.ticketId);
  revalidatePath(`/portal/tickets/${input.ticketId}`);
  return { closed: true };
});

export const reopenTicket = authorizedAction("portal", ticketRefSchema, async (input, actor) => {
  await reopenOwnTicket(actor, input.ticketId);
  revalidatePath(`/portal/tickets/${input.ticketId}`);
  return { reopened: true };
});
