"use server";

import "server-only";

import { authorizedAction } from "@/platform/auth/guard";
import { startConversationTicket } from "@/features/tickets/phone-tickets";
import { startConversationTicketSchema } from "@/features/tickets/phone-tickets-schemas";

export const startTicketAction = authorizedAction("console", startConversationTicketSchema, async (input, actor) => startConversationTicket(actor, input));
