import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";

/** One schema per input; the browser forms and the server actions parse the same ones. */

const ticketId = z.uuid({ message: "That ticket reference is not valid." });
const messageBody = cleanText({ multiline: true })
  .trim()
  .min(1, { message: "Write a message first." })
  .max(20_000, { message: "That message is too long (20,000 characters at most)." });

/** Pending uploads (POST /api/…/attachments) to send with the message; the server checks each is the sender's own. */
const attachmentIds = z
  .array(z.uuid({ message: "An attached file reference is not valid. Remove the file and attach it again." }))
  .max(10, { message: "A message can carry 10 files at most." })
  .optional();

export const TICKET_CATEGORIES = ["question", "problem", "billing", "account", "feature_request"] as const;
export const CATEGORY_LABEL: Record<(typeof TICKET_CATEGORIES)[number], string> = {
  question: "Question",
  problem: "Something is not working",
  billing: "Billing",
  account: "My account",
  feature_request: "Feature request",
};

export const newPortalTicketSchema = z.object({
  subject: cleanText()
    .trim()
    .min(3, { message: "Give your request a short subject (at least 3 characters)." })
    .max(200, { message: "Keep the subject under 200 characters." }),
  description: messageBody,
  category: z.enum(TICKET_CATEGORIES, { message: "Choose a category." }),
  priority: z.enum(["low", "normal", "high", "urgent"], { message: "Choose how urgent this is." }),
  /** Made once when the form mounts (crypto.randomUUID): a retry of the same form never makes a second ticket. */
  idempotencyKey: z.uuid({ message: "Reload the page and send the form again." }).optional(),
  attachmentIds,
  /** The customer's own finished ticket this one continues (the "Open a follow-up ticket" link). */
  followUpTo: z.uuid({ message: "That earlier ticket reference is not valid." }).optional(),
});
export type NewPortalTicketInput = z.infer<typeof newPortalTicketSchema>;

export const ticketReplySchema = z.object({ ticketId, body: messageBody, attachmentIds });
export type TicketReplyInput = z.infer<typeof ticketReplySchema>;

/** The statuses an agent may set in the same step as a public reply ("Send and set pending / mark solved"). */
export const AGENT_REPLY_STATUSES = ["pending", "solved"] as const;
export type AgentReplyStatus = (typeof AGENT_REPLY_STATUSES)[number];
export const agentReplySchema = ticketReplySchema.extend({
  thenStatus: z.enum(AGENT_REPLY_STATUSES, { message: "After sending, a ticket can be set to pending or solved." }).optional(),
});

export const ticketRefSchema = z.object({ ticketId });

export const assignTicketSchema = z.object({ ticketId, assigneeId: z.uuid().nullable() });

export const updateTicketSchema = z
  .object({
    ticketId,
    status: z.enum(["new", "open", "pending", "on_hold", "solved", "closed"]).optional(),
    priority: z.enum(["low", "normal", "high", "urgent"]).optional(),
  })
  .refine((value) => value.status !== undefined || value.priority !== undefined, { message: "Nothing to change." });
