import type { SlaState } from "./state";

/** "42 min", "3 h 5 min", "2 d 4 h": precise where it matters, short where it does not. */
export function formatSlaDuration(totalSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(Math.abs(totalSeconds) / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** The coarse form for tight spaces (queue rows): "42 min", "21 h", "3 d" (rounded down: never more time than there is). */
export function formatSlaDurationShort(totalSeconds: number): string {
  const minutes = Math.max(1, Math.floor(Math.abs(totalSeconds) / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

const TARGET_LABEL = { first_response: "First response", resolution: "Resolution" } as const;

/** The words shown for a paused resolution clock (features/sla/pause.ts), on the ticket page and in the queue. */
export const SLA_PAUSED_TEXT = "SLA paused: waiting on customer";

/** The words for a ticket's SLA state: "First response due in 42 min", "Resolution overdue by 2 h". */
export function describeSlaState(state: SlaState): string {
  if (state.phase === "none") return "No SLA running";
  if (state.phase === "paused") return SLA_PAUSED_TEXT;
  const target = TARGET_LABEL[state.target];
  return state.phase === "breached"
    ? `${target} overdue by ${formatSlaDuration(state.secondsLeft)}`
    : `${target} due in ${formatSlaDuration(state.secondsLeft)}`;
}

/** Minutes as a supervisor reads a target: "90 min (1 h 30 min)". */
export function formatTargetMinutes(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : `${minutes} min (${formatSlaDuration(minutes * 60)})`;
}

const COUNT = new Intl.NumberFormat("en-GB");
const CLOCK = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "Filling in due times: 41,200 of 100,000 tickets left; last sweep 12:03 UTC." (the SLA job's backlog, for supervisors). */
export function backfillProgressText(progress: { total: number; remaining: number; lastSweepAt: Date; finishedAt: Date | null }): string {
  if (progress.remaining > 0) {
    return `Filling in due times: ${COUNT.format(progress.remaining)} of ${COUNT.format(progress.total)} tickets left; last sweep ${CLOCK.format(progress.lastSweepAt)} UTC.`;
  }
  return `Due times filled in for ${COUNT.format(progress.total)} tickets; finished ${CLOCK.format(progress.finishedAt ?? progress.lastSweepAt)} UTC.`;
}
