import "server-only";
import type { Prisma, TicketStatus } from "@/platform/db/client";
import { type BusinessHours, addBusinessMinutes, businessMinutesBetween } from "./business-time";
import type { SlaPolicyTimes } from "./schemas";

/**
 * The resolution clock stops while a ticket waits on the customer (status "pending"): entering
 * pending sets slaPausedAt; leaving it for an open status moves resolutionDueAt later by the time
 * spent paused (business minutes for a business-hours policy, wall-clock time otherwise) and clears
 * slaPausedAt; leaving it for solved/closed only clears it (the clock no longer runs anyway).
 * The first-response target is never paused: waiting on the customer before the first answer is
 * rare, and the customer has not been answered yet.
 */

type PauseWriter = Pick<Prisma.TransactionClient, "ticket" | "slaPolicy">;

const FINISHED: readonly TicketStatus[] = ["solved", "closed"];

/** The resolution due time after a pause from `pausedAt` to `resumedAt`. */
export function resolutionDueAfterPause(policy: SlaPolicyTimes, dueAt: Date, pausedAt: Date, resumedAt: Date): Date {
  if (resumedAt <= pausedAt) return dueAt;
  if (!policy.businessHoursOnly) return new Date(dueAt.getTime() + (resumedAt.getTime() - pausedAt.getTime()));
  const hours: BusinessHours = {
    startMinute: policy.businessDayStartMinute,
    endMinute: policy.businessDayEndMinute,
    days: policy.businessDays,
    timeZone: policy.timeZone,
  };
  const minutes = businessMinutesBetween(pausedAt, resumedAt, hours);
  // Zero business minutes (paused overnight or over a weekend) leaves the due time exactly where it was.
  return minutes > 0 ? addBusinessMinutes(dueAt, minutes, hours) : dueAt;
}

/** Stops the resolution clock: only a ticket with a resolution target that is not already paused. */
export async function pauseSlaClock(tx: PauseWriter, ticketId: string, at: Date): Promise<boolean> {
  const { count } = await tx.ticket.updateMany({ where: { id: ticketId, slaPausedAt: null, resolutionDueAt: { not: null } }, data: { slaPausedAt: at } });
  return count > 0;
}

/**
 * Restarts a paused resolution clock: shifts resolutionDueAt by the paused time (unless the ticket
 * is now solved/closed) and clears slaPausedAt. Returns the new due time, or null when nothing moved.
 */
export async function resumeSlaClock(tx: PauseWriter, ticketId: string, at: Date): Promise<Date | null> {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { status: true, slaScope: true, slaPausedAt: true, resolutionDueAt: true } });
  if (!ticket?.slaPausedAt) return null;
  const policy =
    ticket.slaScope && ticket.resolutionDueAt && !FINISHED.includes(ticket.status)
      ? await tx.slaPolicy.findUnique({ where: { scope: ticket.slaScope } })
      : null;
  const resolutionDueAt = policy && ticket.resolutionDueAt ? resolutionDueAfterPause(policy, ticket.resolutionDueAt, ticket.slaPausedAt, at) : null;
  await tx.ticket.update({ where: { id: ticketId }, data: { slaPausedAt: null, ...(resolutionDueAt ? { resolutionDueAt } : {}) }, select: { id: true } });
  return resolutionDueAt;
}

/**
 * Call after writing a status change `from` → `to` (same transaction): pauses on entering pending,
 * resumes on leaving it. Any other change leaves the clock alone.
 */
export async function applySlaPauseForStatusChange(tx: PauseWriter, ticketId: string, from: TicketStatus, to: TicketStatus, at: Date): Promise<void> {
  if (from === to) return;
  if (to === "pending") await pauseSlaClock(tx, ticketId, at);
  else if (from === "pending") await resumeSlaClock(tx, ticketId, at);
}
