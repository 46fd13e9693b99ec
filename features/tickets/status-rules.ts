import type { TicketStatus } from "@/platform/db/generated/prisma/enums";

/**
 * Who may move a ticket from which status to which: the one state machine, pure, used by every
 * write (desk.ts) and by the pages to decide which buttons to offer. Browser-safe.
 *
 * Staff move tickets freely between the working statuses, solve and close them, and reopen them;
 * nobody puts a ticket back to "new" (it means "nobody has looked yet"). Customers may close
 * their own ticket (after confirming) and reopen a solved one within the reopen window; a closed
 * ticket, or one solved longer ago, continues as a follow-up ticket.
 */

export type Mover = "staff" | "customer";

export const STATUS_WORD: Record<TicketStatus, string> = {
  new: "new",
  open: "open",
  pending: "pending",
  on_hold: "on hold",
  solved: "solved",
  closed: "closed",
};

const STAFF_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "pending", "on_hold", "solved", "closed"],
  open: ["pending", "on_hold", "solved", "closed"],
  pending: ["open", "on_hold", "solved", "closed"],
  on_hold: ["open", "pending", "solved", "closed"],
  solved: ["open", "pending", "on_hold", "closed"],
  closed: ["open"],
};

const CUSTOMER_MOVES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["closed"],
  open: ["closed"],
  pending: ["closed"],
  on_hold: ["closed"],
  solved: ["open", "closed"],
  closed: [],
};

export type StatusMove = { ok: true } | { ok: false; message: string };

/** Whether `mover` may move a ticket from `from` to `to` (a move to the same status is not a move). */
export function statusMove(mover: Mover, from: TicketStatus, to: TicketStatus): StatusMove {
  if (from === to) return { ok: false, message: `The ticket is already ${STATUS_WORD[to]}.` };
  const allowed = (mover === "staff" ? STAFF_MOVES : CUSTOMER_MOVES)[from].includes(to);
  if (allowed) return { ok: true };
  if (to === "new") return { ok: false, message: "A ticket cannot go back to new once someone has worked on it." };
  if (mover === "customer" && from === "closed") return { ok: false, message: "This ticket is closed. Open a follow-up ticket to continue." };
  const article = /^[aeiou]/.test(STATUS_WORD[from]) ? "An" : "A";
  return { ok: false, message: `${article} ${STATUS_WORD[from]} ticket cannot be set to ${STATUS_WORD[to]}.` };
}

export const DAY_MS = 86_400_000;

/** Until when a customer may reopen a ticket solved at `solvedAt` (the window is in days, from the env). */
export function reopenDeadline(solvedAt: Date, windowDays: number): Date {
  return new Date(solvedAt.getTime() + windowDays * DAY_MS);
}

/**
 * Whether a customer may reopen (or reply to, which reopens) this ticket now: solved, and no more
 * than the window since it was solved (the deadline itself still counts). Everything else that is
 * finished — closed, or solved longer ago — continues as a follow-up ticket.
 */
export function customerReopen(ticket: { status: TicketStatus; solvedAt: Date | null }, now: Date, windowDays: number): StatusMove {
  if (ticket.status !== "solved") return statusMove("customer", ticket.status, "open");
  if (!ticket.solvedAt || now.getTime() > reopenDeadline(ticket.solvedAt, windowDays).getTime()) {
    return {
      ok: false,
      message: `This ticket was solved more than ${windowDays} ${windowDays === 1 ? "day" : "days"} ago. Open a follow-up ticket to continue.`,
    };
  }
  return { ok: true };
}
