import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** The customer search and the "start a ticket" form of /console/customers. Browser-safe. */

export const customerSearchSchema = z.object({
  q: cleanText()
    .trim()
    .min(2, { message: "Type at least 2 characters: a name, an account number, an email address or a phone number." })
    .max(200, { message: "That is too long to search for." }),
});
export type CustomerSearchInput = z.input<typeof customerSearchSchema>;

export const CONVERSATION_CHANNELS = ["phone", "chat"] as const;
export const CONVERSATION_CHANNEL_LABEL: Record<(typeof CONVERSATION_CHANNELS)[number], string> = { phone: "Phone call", chat: "Chat" };

export const startConversationTicketSchema = z.object({
  customerId: z.uuid({ message: "That customer reference is not valid." }),
  channel: z.enum(CONVERSATION_CHANNELS, { message: "Choose how the customer contacted us." }),
  subject: cleanText()
    .trim()
    .min(3, { message: "Give the ticket a short subject (at least 3 characters)." })
    .max(200, { message: "Keep the subject under 200 characters." }),
});
export type StartConversationTicketInput = z.input<typeof startConversationTicketSchema>;
