import { describe, expect, it } from "vitest";
import { describeSlaState as describe_ } from "@/features/sla/format";
import type { SlaState } from "@/features/sla/state";
import { formatDuration as format } from "@/platform/text/durations";

// The escalation cards' wording, now from the shared formatters: ages show seconds, the SLA line leads with its phase.
const formatDuration = (seconds: number) => format(seconds, { seconds: true });
const describeSlaState = (state: SlaState) => {
  const { tone, withPhase } = describe_(state);
  return { tone, text: withPhase };
};

describe("formatDuration", () => {
  it("shows the two largest units, rounded down", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(59)).toBe("59 s");
    expect(formatDuration(60)).toBe("1 min");
    expect(formatDuration(3599)).toBe("59 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(2 * 3600 + 5 * 60 + 30)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86400 + 4 * 3600 + 120)).toBe("3 d 4 h");
    expect(formatDuration(-720)).toBe("12 min");
  });
});

describe("describeSlaState", () => {
  const dueAt = new Date("2026-11-29T12:00:00Z");
  it("names the phase, the target and the time", () => {
    expect(describeSlaState({ phase: "none" })).toEqual({ tone: "neutral", text: "No SLA running" });
    expect(describeSlaState({ phase: "paused", target: "resolution", dueAt: new Date(), secondsLeft: 600 })).toEqual({
      tone: "neutral",
      text: "SLA paused: waiting on customer",
    });
    expect(describeSlaState({ phase: "breached", target: "first_response", dueAt, secondsLeft: -720 })).toEqual({
      tone: "bad",
      text: "Breached: first response overdue by 12 min",
    });
    expect(describeSlaState({ phase: "warning", target: "resolution", dueAt, secondsLeft: 600 })).toEqual({
      tone: "warn",
      text: "At risk: 10 min left for resolution",
    });
    expect(describeSlaState({ phase: "ok", target: "resolution", dueAt, secondsLeft: 7200 })).toEqual({
      tone: "good",
      text: "On track: 2 h left for resolution",
    });
  });
});
