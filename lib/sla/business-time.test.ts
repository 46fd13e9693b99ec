import { describe, expect, it } from "vitest";
import { addBusinessMinutes, instantOfLocal, isKnownTimeZone } from "./business-time";

const weekdays9to17 = (timeZone: string) => ({ startMinute: 540, endMinute: 1020, days: [1, 2, 3, 4, 5], timeZone });
const at = (iso: string) => new Date(iso);

describe("addBusinessMinutes", () => {
  it("counts straight through inside the working day", () => {
    // Monday 2026-03-02 10:00 UTC + 60 business minutes.
    expect(addBusinessMinutes(at("2026-03-02T10:00:00Z"), 60, weekdays9to17("UTC"))).toEqual(at("2026-03-02T11:00:00Z"));
  });

  it("carries an evening start to the next morning, and the day's remainder over the night", () => {
    // Monday 16:30: 30 minutes left today, 30 more from Tuesday 09:00.
    expect(addBusinessMinutes(at("2026-03-02T16:30:00Z"), 60, weekdays9to17("UTC"))).toEqual(at("2026-03-03T09:30:00Z"));
    // Monday 20:00 (after hours): the clock starts Tuesday 09:00.
    expect(addBusinessMinutes(at("2026-03-02T20:00:00Z"), 60, weekdays9to17("UTC"))).toEqual(at("2026-03-03T10:00:00Z"));
    // Before opening on the same day: starts at 09:00.
    expect(addBusinessMinutes(at("2026-03-02T06:00:00Z"), 15, weekdays9to17("UTC"))).toEqual(at("2026-03-02T09:15:00Z"));
  });

  it("skips the weekend", () => {
    // Friday 2026-03-06 16:00 + 120 business minutes: 60 on Friday, 60 on Monday.
    expect(addBusinessMinutes(at("2026-03-06T16:00:00Z"), 120, weekdays9to17("UTC"))).toEqual(at("2026-03-09T10:00:00Z"));
    // Saturday noon: nothing counts until Monday 09:00.
    expect(addBusinessMinutes(at("2026-03-07T12:00:00Z"), 30, weekdays9to17("UTC"))).toEqual(at("2026-03-09T09:30:00Z"));
  });

  it("spans several working days for a long target (8 h days)", () => {
    // 3 working days of 480 minutes from Monday 09:00 ends Wednesday 17:00.
    expect(addBusinessMinutes(at("2026-03-02T09:00:00Z"), 3 * 480, weekdays9to17("UTC"))).toEqual(at("2026-03-04T17:00:00Z"));
  });

  it("works in the policy's time zone, not UTC", () => {
    // New York is UTC-5 in early March (before DST): 09:00 local = 14:00 UTC.
    // Monday 2026-03-02 13:00 UTC is 08:00 in New York: the clock starts at 14:00 UTC.
    expect(addBusinessMinutes(at("2026-03-02T13:00:00Z"), 60, weekdays9to17("America/New_York"))).toEqual(at("2026-03-02T15:00:00Z"));
    // Tokyo (UTC+9): Friday 2026-03-06 07:30 UTC = 16:30 local; 60 minutes → 30 Friday, 30 Monday from 09:00 local (00:00 UTC).
    expect(addBusinessMinutes(at("2026-03-06T07:30:00Z"), 60, weekdays9to17("Asia/Tokyo"))).toEqual(at("2026-03-09T00:30:00Z"));
  });

  it("follows a daylight-saving change", () => {
    // London moves to BST on Sunday 2026-03-29: Friday 09:00 is 09:00 UTC, Monday 09:00 is 08:00 UTC.
    expect(addBusinessMinutes(at("2026-03-27T16:00:00Z"), 120, weekdays9to17("Europe/London"))).toEqual(at("2026-03-30T09:00:00Z"));
  });

  it("honours a weekend-only or custom window", () => {
    const weekend = { startMinute: 600, endMinute: 720, days: [6, 7], timeZone: "UTC" };
    // Monday: first window is Saturday 10:00-12:00; 150 minutes → 120 Saturday + 30 Sunday.
    expect(addBusinessMinutes(at("2026-03-02T10:00:00Z"), 150, weekend)).toEqual(at("2026-03-08T10:30:00Z"));
  });

  it("refuses business hours that never open", () => {
    expect(() => addBusinessMinutes(at("2026-03-02T10:00:00Z"), 10, { ...weekdays9to17("UTC"), days: [] })).toThrow();
  });
});

describe("time zones", () => {
  it("knows real IANA zones and refuses made-up ones", () => {
    expect(isKnownTimeZone("Europe/London")).toBe(true);
    expect(isKnownTimeZone("UTC")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
  });

  it("turns a local wall time into its instant", () => {
    expect(new Date(instantOfLocal(2026, 7, 1, 9 * 60, "Europe/Berlin"))).toEqual(at("2026-07-01T07:00:00Z"));
    expect(new Date(instantOfLocal(2026, 1, 15, 9 * 60, "America/Los_Angeles"))).toEqual(at("2026-01-15T17:00:00Z"));
  });
});
