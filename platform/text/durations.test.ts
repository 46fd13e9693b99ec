import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative } from "@/platform/text/durations";

describe("formatDuration", () => {
  it("long: the two largest units, hours up to 47 h", () => {
    expect(formatDuration(42 * 60)).toBe("42 min");
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe("3 h 5 min");
    expect(formatDuration(29 * 3600)).toBe("29 h");
    expect(formatDuration(50 * 3600)).toBe("2 d 2 h");
    expect(formatDuration(72 * 3600)).toBe("3 d");
    expect(formatDuration(null)).toBe("—");
  });

  it("short: the largest unit only", () => {
    expect(formatDuration(42 * 60 + 50, { style: "short" })).toBe("42 min");
    expect(formatDuration(21 * 3600 + 50 * 60, { style: "short" })).toBe("21 h");
    expect(formatDuration(63 * 3600, { style: "short" })).toBe("2 d");
  });

  it("rounds down in every style, so the queue and the ticket page agree (12 min 50 s is 12 min, left or overdue)", () => {
    const seconds = 12 * 60 + 50;
    expect(formatDuration(seconds)).toBe("12 min");
    expect(formatDuration(seconds, { style: "short" })).toBe("12 min");
    expect(formatDuration(-seconds)).toBe("12 min");
    expect(formatDuration(2 * 3600 + 59 * 60 + 59)).toBe("2 h 59 min");
    expect(formatDuration(2 * 3600 + 59 * 60 + 59, { style: "short" })).toBe("2 h");
  });

  it("shows under a minute as 1 min, or in seconds when asked", () => {
    expect(formatDuration(20)).toBe("1 min");
    expect(formatDuration(20, { seconds: true })).toBe("20 s");
    expect(formatDuration(0, { seconds: true })).toBe("0 s");
    expect(formatDuration(60, { seconds: true })).toBe("1 min");
  });

  it("words: one spelled-out unit; a wait rounds up", () => {
    expect(formatDuration(45, { style: "words" })).toBe("45 seconds");
    expect(formatDuration(1, { style: "words" })).toBe("1 second");
    expect(formatDuration(60, { style: "words" })).toBe("1 minute");
    expect(formatDuration(600, { style: "words" })).toBe("10 minutes");
    expect(formatDuration(3600, { style: "words" })).toBe("1 hour");
    expect(formatDuration(86_400, { style: "words" })).toBe("24 hours");
    expect(formatDuration(5400, { style: "words" })).toBe("90 minutes");
    expect(formatDuration(91, { style: "words" })).toBe("1 minute");
    expect(formatDuration(91, { style: "words", round: "up" })).toBe("2 minutes");
  });
});

describe("formatRelative", () => {
  const now = new Date("2026-12-03T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  it("says a moment ago under a minute, then the duration and ago", () => {
    expect(formatRelative(ago(59), now)).toBe("a moment ago");
    expect(formatRelative(ago(-5), now)).toBe("a moment ago");
    expect(formatRelative(ago(12 * 60 + 59), now)).toBe("12 min ago");
    expect(formatRelative(ago(2 * 3600 + 5 * 60), now)).toBe("2 h 5 min ago");
    expect(formatRelative(ago(2 * 3600 + 5 * 60), now, { style: "short" })).toBe("2 h ago");
    expect(formatRelative(ago(3 * 86400), now, { style: "short" })).toBe("3 d ago");
  });
});
