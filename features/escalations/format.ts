import type { SlaState } from "@/features/sla/state";

/** "45 s", "12 min", "2 h 5 min", "3 d 4 h": the two largest units, rounded down. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(Math.abs(totalSeconds)));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

const TARGET_TEXT = { first_response: "first response", resolution: "resolution" } as const;

/** The SLA state in words, e.g. "Breached: first response overdue by 12 min". */
export function describeSlaState(state: SlaState): { tone: "good" | "warn" | "bad" | "neutral"; text: string } {
  if (state.phase === "none") return { tone: "neutral", text: "No SLA running" };
  if (state.phase === "paused") return { tone: "neutral", text: "SLA paused: waiting on customer" };
  const target = TARGET_TEXT[state.target];
  if (state.phase === "breached") return { tone: "bad", text: `Breached: ${target} overdue by ${formatDuration(state.secondsLeft)}` };
  if (state.phase === "warning") return { tone: "warn", text: `At risk: ${formatDuration(state.secondsLeft)} left for ${target}` };
  return { tone: "good", text: `On track: ${formatDuration(state.secondsLeft)} left for ${target}` };
}
