import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { parseServerEnv } from "@/platform/env";
import { TEST_CLOCK_OFFSET_KEY, appNow, forgetTestClockOffset, testClockAllowed, testClockRefusal } from "./clock";

const base = { NEXTAUTH_SECRET: "unit-test-secret-unit-test-secret-0123456789", VERIDESK_DEMO: "1", NODE_ENV: "test" };
const env = (overrides: Record<string, string | undefined>) => parseServerEnv({ ...base, ...overrides });
const HOUR = 3_600_000;

async function moveClock(offsetMs: number) {
  await db.appSetting.upsert({
    where: { key: TEST_CLOCK_OFFSET_KEY },
    create: { key: TEST_CLOCK_OFFSET_KEY, value: offsetMs },
    update: { value: offsetMs },
  });
  forgetTestClockOffset();
}

afterEach(async () => {
  await db.appSetting.deleteMany({ where: { key: TEST_CLOCK_OFFSET_KEY } });
  forgetTestClockOffset();
});

describe("appNow", () => {
  it("adds the stored offset when the test clock is on", async () => {
    await moveClock(2 * HOUR);
    const before = Date.now();
    const now = (await appNow(env({ VERIDESK_TEST_CLOCK: "1" }))).getTime();
    expect(now - before).toBeGreaterThanOrEqual(2 * HOUR);
    expect(now - Date.now()).toBeLessThanOrEqual(2 * HOUR);
  });

  it("ignores the stored offset when the test clock is off", async () => {
    await moveClock(2 * HOUR);
    const now = (await appNow(env({}))).getTime();
    expect(Math.abs(now - Date.now())).toBeLessThan(HOUR);
  });

  it("ignores the stored offset in production outside demo mode, even with the flag set", async () => {
    await moveClock(2 * HOUR);
    const production = { ...env({ VERIDESK_TEST_CLOCK: "1" }), NODE_ENV: "production" as const, VERIDESK_DEMO: false };
    const now = (await appNow(production)).getTime();
    expect(Math.abs(now - Date.now())).toBeLessThan(HOUR);
  });

  it("is real time when no offset was ever stored", async () => {
    const now = (await appNow(env({ VERIDESK_TEST_CLOCK: "1" }))).getTime();
    expect(Math.abs(now - Date.now())).toBeLessThan(HOUR);
  });
});

describe("test clock start-up rule", () => {
  it("is refused in production outside demo mode and allowed for tests and demo", () => {
    const production = { ...env({ VERIDESK_TEST_CLOCK: "1" }), NODE_ENV: "production" as const };
    expect(testClockRefusal({ ...production, VERIDESK_DEMO: false })).toMatch(/VERIDESK_TEST_CLOCK .* refused in production/);
    expect(testClockRefusal({ ...production, VERIDESK_DEMO: true })).toBeNull();
    expect(testClockAllowed({ ...production, VERIDESK_DEMO: true })).toBe(true);
    expect(testClockRefusal(env({ VERIDESK_TEST_CLOCK: "1" }))).toBeNull();
    expect(testClockRefusal({ ...env({}), NODE_ENV: "production", VERIDESK_DEMO: false })).toBeNull();
  });
});
