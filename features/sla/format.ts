import "server-only";
import { formatDuration } from "@/platform/text/durations";
import type { SlaState } from "./state";

const TARGET_LABEL = { first_response: "First response", resolution: "Resolution" } as const;
const TARGET_TEXT = { first_response: "first response", resolution: "resolution" } as const;

/** The words shown for a paused resolution clock (features/sla/pause.ts), on the ticket page and in the queue. */
export const SLA_PAUSED_TEXT = "SLA paused: waiting on customer";

export type SlaTone = "good" | "warn" | "bad" | "neutral";

export interface SlaDescription {
  /** The colour family; never the only cue (the words say it too). */
  tone: SlaTone;
  /** The sentence: "First response due in 42 min", "Resolution overdue by 2 h" (ticket page, queue cells). */
  text: string;
  /** The same led by the phase: "On track: 2 h left for resolution", "Breached: first response overdue by 12 min" (escalation cards). */
  withPhase: string;
}

/**
 * THE description of a ticket's SLA state, for every screen (ticket page, ticket queue, escalation
 * queue). Durations follow platform/text/durations.ts (rounded down), so all of them say the same
 * number of minutes for the same moment.
 */
export function describeSlaState(state: SlaState): SlaDescription {
  if (state.phase === "none") return { tone: "neutral", text: "No SLA running", withPhase: "No SLA running" };
  if (state.phase === "paused") return { tone: "neutral", text: SLA_PAUSED_TEXT, withPhase: SLA_PAUSED_TEXT };
  const duration = formatDuration(state.secondsLeft);
  const target = TARGET_TEXT[state.target];
  if (state.phase === "breached") {
    return { tone: "bad", text: `${TARGET_LABEL[state.target]} overdue by ${duration}`, withPhase: `Breached: ${target} overdue by ${duration}` };
  }
  const text = `${TARGET_LABEL[state.target]} due in ${duration}`;
  return state.phase === "warning"
    ? { tone: "warn", text, withPhase: `At risk: ${duration} left for ${target}` }
    : { tone: "good", text, withPhase: `On track: ${duration} left for ${target}` };
}

/** Minutes as a supervisor reads a target: "90 min (1 h 30 min)". */
export function formatTargetMinutes(minutes: number): string {
  return minutes < 60 ? `${minutes} min` : `${minutes} min (${formatDuration(minutes * 60)})`;
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
