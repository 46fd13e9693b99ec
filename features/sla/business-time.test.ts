import { describe, expect, it } from "vitest";
import { addBusinessMinutes, businessMinutesBetween, instantOfLocal, isKnownTimeZone } from "./business-time";

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

describe("businessMinutesBetween", () => {
  it("counts the working minutes inside one day, and nothing outside the window", () => {
    expect(businessMinutesBetween(at("2026-03-02T10:00:00Z"), at("2026-03-02T11:30:00Z"), weekdays9to17("UTC"))).toBe(90);
    // Monday 06:00 to 20:00: only 09:00–17:00 counts.
    expect(businessMinutesBetween(at("2026-03-02T06:00:00Z"), at("2026-03-02T20:00:00Z"), weekdays9to17("UTC"))).toBe(480);
    // Evening to next morning before opening: nothing.
    expect(businessMinutesBetween(at("2026-03-02T18:00:00Z"), at("2026-03-03T08:59:00Z"), weekdays9to17("UTC"))).toBe(0);
  });

  it("is zero when the end is not after the start, and keeps seconds", () => {
    expect(businessMinutesBetween(at("2026-03-02T11:00:00Z"), at("2026-03-02T10:00:00Z"), weekdays9to17("UTC"))).toBe(0);
    expect(businessMinutesBetween(at("2026-03-02T10:00:00Z"), at("2026-03-02T10:00:30Z"), weekdays9to17("UTC"))).toBe(0.5);
  });

  it("skips the weekend", () => {
    // Friday 16:00 to Monday 10:00: 60 on Friday, 60 on Monday.
    expect(businessMinutesBetween(at("2026-03-06T16:00:00Z"), at("2026-03-09T10:00:00Z"), weekdays9to17("UTC"))).toBe(120);
    // Saturday to Sunday: nothing.
    expect(businessMinutesBetween(at("2026-03-07T09:00:00Z"), at("2026-03-08T17:00:00Z"), weekdays9to17("UTC"))).toBe(0);
  });

  it("counts real minutes across a DST change (Europe/London, spring forward 29 Mar 2026)", () => {
    const everyDay = { startMinute: 540, endMinute: 1020, days: [1, 2, 3, 4, 5, 6, 7], timeZone: "Europe/London" };
    // Saturday 09:00 GMT to Monday 09:00 BST (08:00 UTC): two 8-hour local days.
    expect(businessMinutesBetween(at("2026-03-28T09:00:00Z"), at("2026-03-30T08:00:00Z"), everyDay)).toBe(960);
    // A round-the-clock window: the Sunday of the change has only 23 hours.
    const allDay = { startMinute: 0, endMinute: 1440, days: [1, 2, 3, 4, 5, 6, 7], timeZone: "Europe/London" };
    expect(businessMinutesBetween(at("2026-03-29T00:00:00Z"), at("2026-03-29T23:00:00Z"), allDay)).toBe(23 * 60);
  });

  it("counts real minutes when the clocks go back (America/New_York, 1 Nov 2026)", () => {
    const allDay = { startMinute: 0, endMinute: 1440, days: [1, 2, 3, 4, 5, 6, 7], timeZone: "America/New_York" };
    // Local midnight EDT (04:00 UTC) to the next local midnight EST (05:00 UTC): 25 hours.
    expect(businessMinutesBetween(at("2026-11-01T04:00:00Z"), at("2026-11-02T05:00:00Z"), allDay)).toBe(25 * 60);
  });

  it("undoes addBusinessMinutes for an end inside the window", () => {
    const hours = { startMinute: 540, endMinute: 1020, days: [1, 2, 3, 4, 5], timeZone: "Europe/Berlin" };
    const start = at("2026-03-26T15:10:00Z");
    const end = addBusinessMinutes(start, 1234, hours);
    expect(businessMinutesBetween(start, end, hours)).toBe(1234);
  });
});
