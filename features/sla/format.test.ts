import { describe, expect, it } from "vitest";
import { formatDuration } from "@/platform/text/durations";
import type { SlaState } from "./state";
import { describeSlaState as describe_, formatTargetMinutes } from "./format";

// Durations now come from platform/text/durations.ts (long for sentences, short for queue cells).
const formatSlaDuration = (seconds: number) => formatDuration(seconds);
const formatSlaDurationShort = (seconds: number) => formatDuration(seconds, { style: "short" });
const describeSlaState = (state: SlaState) => describe_(state).text;

describe("SLA wording", () => {
  it("formats durations at a useful precision", () => {
    expect(formatSlaDuration(20)).toBe("1 min");
    expect(formatSlaDuration(42 * 60)).toBe("42 min");
    expect(formatSlaDuration(-2 * 3600)).toBe("2 h");
    expect(formatSlaDuration(3 * 3600 + 5 * 60)).toBe("3 h 5 min");
    expect(formatSlaDuration(50 * 3600)).toBe("2 d 2 h");
    expect(formatSlaDuration(72 * 3600)).toBe("3 d");
  });

  it("has a coarse form for queue rows", () => {
    expect(formatSlaDurationShort(30)).toBe("1 min");
    expect(formatSlaDurationShort(42 * 60 + 50)).toBe("42 min");
    expect(formatSlaDurationShort(21 * 3600 + 50 * 60)).toBe("21 h");
    expect(formatSlaDurationShort(-(18 * 3600 + 11 * 60))).toBe("18 h");
    expect(formatSlaDurationShort(63 * 3600)).toBe("2 d");
  });

  it("says what is due and whether it is overdue", () => {
    const dueAt = new Date();
    expect(describeSlaState({ phase: "ok", target: "first_response", dueAt, secondsLeft: 42 * 60 })).toBe("First response due in 42 min");
    expect(describeSlaState({ phase: "warning", target: "resolution", dueAt, secondsLeft: 600 })).toBe("Resolution due in 10 min");
    expect(describeSlaState({ phase: "breached", target: "resolution", dueAt, secondsLeft: -7200 })).toBe("Resolution overdue by 2 h");
    expect(describeSlaState({ phase: "none" })).toBe("No SLA running");
    expect(describeSlaState({ phase: "paused", target: "resolution", dueAt, secondsLeft: 600 })).toBe("SLA paused: waiting on customer");
  });

  it("shows targets in minutes and hours", () => {
    expect(formatTargetMinutes(45)).toBe("45 min");
    expect(formatTargetMinutes(90)).toBe("90 min (1 h 30 min)");
  });

  it("is the one description: the ticket page's sentence and the escalation card's line agree on the minutes (rounded down)", () => {
    const state = { phase: "breached", target: "first_response", dueAt: new Date(), secondsLeft: -(12 * 60 + 50) } as const;
    expect(describe_(state)).toEqual({ tone: "bad", text: "First response overdue by 12 min", withPhase: "Breached: first response overdue by 12 min" });
    expect(formatSlaDurationShort(state.secondsLeft)).toBe("12 min");
  });
});
