import { describe, expect, it } from "vitest";
import { canonicalTimeZone, formatAbsolute, formatAge, formatInstant, supportedTimeZones, timeZoneSchema } from "@/platform/time-zone";

describe("timeZoneSchema", () => {
  it("accepts IANA names the runtime lists, UTC included, trimmed", () => {
    expect(timeZoneSchema.parse("Europe/Berlin")).toBe("Europe/Berlin");
    expect(timeZoneSchema.parse(" America/New_York ")).toBe("America/New_York");
    expect(timeZoneSchema.parse("UTC")).toBe("UTC");
    expect(supportedTimeZones()[0]).toBe("UTC");
  });

  it("stores the runtime's spelling of an alias a browser may report", () => {
    expect(timeZoneSchema.parse("Etc/UTC")).toBe("UTC");
    // Whichever of Asia/Calcutta and Asia/Kolkata this ICU lists, the alias resolves to it.
    const india = timeZoneSchema.parse("Asia/Calcutta");
    expect(supportedTimeZones()).toContain(india);
  });

  it.each(["", "Mars/Olympus", "Europe/Berlin\u0000", "+01:00", "GMT+1 ", "a".repeat(65), "../../etc/passwd", "Europe/\ud800"])(
    "refuses %j with one clear message",
    (value) => {
      const parsed = timeZoneSchema.safeParse(value);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe("Choose a time zone from the list (e.g. Europe/London).");
    },
  );

  it("refuses what is not a string", () => {
    expect(timeZoneSchema.safeParse(42).success).toBe(false);
    expect(timeZoneSchema.safeParse(null).success).toBe(false);
  });

  it("canonicalTimeZone is null for an offset", () => {
    expect(canonicalTimeZone("-05:00")).toBeNull();
  });
});

describe("formatInstant / formatAbsolute", () => {
  const at = new Date("2026-12-03T14:05:09Z");

  it("writes the instant in the viewer's zone", () => {
    expect(formatInstant(at, "Europe/Berlin")).toBe("3 Dec 2026, 15:05");
    expect(formatInstant(at, "America/New_York")).toBe("3 Dec 2026, 09:05");
    expect(formatInstant(at, "Asia/Kathmandu", "time")).toBe("19:50");
    expect(formatInstant(at, "Europe/Berlin", "seconds")).toBe("3 Dec 2026, 15:05:09");
  });

  it("crosses the date line in the viewer's zone", () => {
    expect(formatInstant(new Date("2026-12-03T23:30:00Z"), "Pacific/Auckland", "date")).toBe("4 Dec 2026");
  });

  it("falls back to UTC, named, when the zone is unknown or not set", () => {
    expect(formatInstant(at, null)).toBe("3 Dec 2026, 14:05 UTC");
    expect(formatInstant(at, "Nowhere/Else")).toBe("3 Dec 2026, 14:05 UTC");
    expect(formatAbsolute(at, null)).toContain("(UTC)");
  });

  it("follows daylight saving time: the spring gap and the autumn repeat (Europe/Berlin)", () => {
    // 29 Mar 2026: 02:00 CET jumps to 03:00 CEST.
    expect(formatInstant(new Date("2026-03-29T00:59:00Z"), "Europe/Berlin")).toBe("29 Mar 2026, 01:59");
    expect(formatInstant(new Date("2026-03-29T01:00:00Z"), "Europe/Berlin")).toBe("29 Mar 2026, 03:00");
    // 25 Oct 2026: 02:30 happens twice; the title tells them apart by the zone's abbreviation.
    const first = new Date("2026-10-25T00:30:00Z");
    const second = new Date("2026-10-25T01:30:00Z");
    expect(formatInstant(first, "Europe/Berlin")).toBe("25 Oct 2026, 02:30");
    expect(formatInstant(second, "Europe/Berlin")).toBe("25 Oct 2026, 02:30");
    expect(formatAbsolute(first, "Europe/Berlin")).toBe("Sun, 25 Oct 2026, 02:30:00 CEST (Europe/Berlin)");
    expect(formatAbsolute(second, "Europe/Berlin")).toBe("Sun, 25 Oct 2026, 02:30:00 CET (Europe/Berlin)");
  });
});

describe("formatAge", () => {
  const now = new Date("2026-12-03T14:00:00Z");
  it("is relative within 30 days, then the date in the viewer's zone", () => {
    expect(formatAge(new Date("2026-12-03T11:00:00Z"), now, "Europe/Berlin")).toBe("3 h ago");
    expect(formatAge(new Date("2026-11-01T23:30:00Z"), now, "Europe/Berlin")).toBe("2 Nov 2026");
    expect(formatAge(new Date("2026-11-01T23:30:00Z"), now, null)).toBe("1 Nov 2026");
  });
});
