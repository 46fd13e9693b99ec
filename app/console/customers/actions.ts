"use server";

import { authorizedAction } from "@/lib/auth/guard";
import { startConversationTicket } from "@/lib/tickets/phone-tickets";
import { startConversationTicketSchema } from "@/lib/tickets/phone-tickets-schemas";

export const startTicketAction = authorizedAction("console", startConversationTicketSchema, async (input, actor) => startConversationTicket(actor, input));
