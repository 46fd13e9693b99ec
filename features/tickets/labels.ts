import type { BadgeTone } from "@/ui/badge";
import type { TicketChannel, TicketPriority, TicketStatus } from "@/platform/db/generated/prisma/enums";

/** How a ticket reached the desk, in the agent's words (queue rows, filters, the ticket page, reports). */
export const CHANNEL_LABEL: Record<TicketChannel, string> = { web: "Portal", email: "Email", phone: "Phone", chat: "Chat" };

export const STATUS_LABEL: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending: "Waiting on customer",
  on_hold: "On hold",
  solved: "Solved",
  closed: "Closed",
};

export const STATUS_TONE: Record<TicketStatus, BadgeTone> = {
  new: "info",
  open: "info",
  pending: "warn",
  on_hold: "neutral",
  solved: "good",
  closed: "neutral",
};

export const PRIORITY_LABEL: Record<TicketPriority, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };
export const PRIORITY_TONE: Record<TicketPriority, BadgeTone> = { low: "neutral", normal: "neutral", high: "warn", urgent: "bad" };

export function ticketReference(number: number): string {
  return `VD-${number}`;
}
