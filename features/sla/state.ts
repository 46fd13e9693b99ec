import "server-only";
// Type from the enums module, so client components can import this file without the database client.
import type { TicketStatus } from "@/platform/db/generated/prisma/enums";

/**
 * Where a ticket stands against its SLA right now. `secondsLeft` is negative once breached
 * (seconds overdue), so a UI can say "overdue by 2 h" from the same value. "paused": the resolution
 * clock is stopped while the ticket waits on the customer (features/sla/pause.ts); `dueAt` is the target
 * as it stands and `secondsLeft` the time that was left when the clock stopped (frozen).
 */
export type SlaState =
  | { phase: "none" }
  | {
      phase: "ok" | "warning" | "breached" | "paused";
      target: "first_response" | "resolution";
      dueAt: Date;
      secondsLeft: number;
    };

export type SlaTicketFields = {
  status: TicketStatus;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  solvedAt: Date | null;
  /** Set while the resolution clock is paused (waiting on the customer); optional for callers that predate it. */
  slaPausedAt?: Date | null;
};

const FINISHED_STATUSES: readonly TicketStatus[] = ["solved", "closed"];

/**
 * The target that matters now: the first response until the customer has been answered, then the
 * resolution. A solved or closed ticket, or one without due times, has no SLA clock running.
 * `warnBeforeSeconds` (the policy's warn-before) turns "ok" into "warning" that long before the due time.
 */
export function slaStateOf(ticket: SlaTicketFields, now: Date, warnBeforeSeconds = 0): SlaState {
  if (FINISHED_STATUSES.includes(ticket.status) || ticket.solvedAt) return { phase: "none" };

  let target: "first_response" | "resolution";
  let dueAt: Date;
  if (ticket.firstResponseAt === null && ticket.firstResponseDueAt) {
    target = "first_response";
    dueAt = ticket.firstResponseDueAt;
  } else if (ticket.resolutionDueAt) {
    target = "resolution";
    dueAt = ticket.resolutionDueAt;
  } else {
    return { phase: "none" };
  }

  // A paused resolution clock reports the time that was left when it stopped, however long ago.
  const paused = target === "resolution" && ticket.slaPausedAt ? ticket.slaPausedAt : null;
  const millisecondsLeft = dueAt.getTime() - (paused ?? now).getTime();
  // Round towards "less time left" only once overdue, so a ticket due in 0.4 s still shows 1 s left
  // and a breached one never shows 0 as if it still had time.
  const secondsLeft = millisecondsLeft > 0 ? Math.ceil(millisecondsLeft / 1000) : Math.floor(millisecondsLeft / 1000);
  const phase = paused
    ? "paused"
    : millisecondsLeft <= 0
      ? "breached"
      : warnBeforeSeconds > 0 && millisecondsLeft <= warnBeforeSeconds * 1000
        ? "warning"
        : "ok";
  return { phase, target, dueAt, secondsLeft };
}
