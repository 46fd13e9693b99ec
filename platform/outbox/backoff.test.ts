import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, MIN_RETRY_SPAN_MS, nextAttemptDelay, retrySpanMs } from "@/platform/outbox/backoff";

const middle = () => 0.5; // no jitter: factor exactly 1
const lowest = () => 0;
const highest = () => 0.999999;

describe("nextAttemptDelay", () => {
  it("grows exponentially from 15 seconds", () => {
    expect([1, 2, 3, 4].map((attempt) => nextAttemptDelay(attempt, middle))).toEqual([15_000, 60_000, 240_000, 960_000]);
  });

  it("never exceeds one hour, even with jitter and huge attempt counts", () => {
    expect(nextAttemptDelay(5, middle)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextAttemptDelay(5, highest)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextAttemptDelay(1_000, highest)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextAttemptDelay(Number.POSITIVE_INFINITY, middle)).toBe(MAX_RETRY_DELAY_MS);
  });

  it("spreads retries by ±20 % and is deterministic for a given random source", () => {
    expect(nextAttemptDelay(2, lowest)).toBe(48_000);
    expect(nextAttemptDelay(2, highest)).toBe(72_000);
    expect(nextAttemptDelay(3, () => 0.25)).toBe(nextAttemptDelay(3, () => 0.25));
    // Even at the cap, the low side of the jitter still spreads retries below one hour.
    expect(nextAttemptDelay(10, lowest)).toBe(0.8 * MAX_RETRY_DELAY_MS);
  });

  it("treats a zero or negative count like the first failure", () => {
    expect(nextAttemptDelay(0, middle)).toBe(15_000);
    expect(nextAttemptDelay(-3, middle)).toBe(15_000);
    expect(nextAttemptDelay(Number.NaN, middle)).toBe(15_000);
  });

  it("uses Math.random by default and stays within the jitter band", () => {
    for (let i = 0; i < 50; i += 1) {
      const delay = nextAttemptDelay(2);
      expect(delay).toBeGreaterThanOrEqual(48_000);
      expect(delay).toBeLessThanOrEqual(72_000);
    }
  });
});

describe("the default retry budget", () => {
  const HOUR = 60 * 60_000;

  it("keeps trying for at least 3 days, even with every wait at the low end of the jitter (a weekend outage)", () => {
    expect(retrySpanMs(DEFAULT_MAX_ATTEMPTS, lowest)).toBeGreaterThanOrEqual(MIN_RETRY_SPAN_MS);
    expect(MIN_RETRY_SPAN_MS).toBe(72 * HOUR);
  });

  it("is 95 tries: 72.3 h at the shortest, about 86 h typically, 90.4 h at the longest", () => {
    expect(DEFAULT_MAX_ATTEMPTS).toBe(95);
    expect(retrySpanMs(DEFAULT_MAX_ATTEMPTS, lowest) / HOUR).toBeCloseTo(72.28, 1);
    expect(retrySpanMs(DEFAULT_MAX_ATTEMPTS, highest) / HOUR).toBeCloseTo(90.43, 1);
    // One try fewer could fall short of 3 days: the budget is the smallest that cannot.
    expect(retrySpanMs(DEFAULT_MAX_ATTEMPTS - 1, lowest)).toBeLessThan(MIN_RETRY_SPAN_MS);
  });
});
