import { db } from "@/platform/db/client";
import { type ServerEnv, serverEnv } from "@/platform/env";

/**
 * The app's idea of "now" for time-driven rules (the SLA job, time left on a ticket).
 *
 * In production it is simply the real time. With VERIDESK_TEST_CLOCK on (end-to-end tests, demo
 * mode only) an offset kept in AppSetting moves it, so a test can make an SLA pass without waiting
 * an hour, and every app instance sees the same moved clock. The e2e fixture writes that row
 * directly (e2e/fixtures/clock.ts): there is deliberately no HTTP route that moves the clock.
 */

export const TEST_CLOCK_OFFSET_KEY = "test_clock_offset_ms";

/** Short enough that both instances follow a move within a second, long enough to cost nothing. */
const OFFSET_CACHE_MS = 1_000;

/**
 * The test clock is honoured only outside production, or in demo mode (the e2e suite runs the
 * production build in demo mode). A production deployment that sets it is refused at start-up
 * (testClockRefusal) and, should that check be skipped, the offset is still ignored here.
 */
export function testClockAllowed(env: ServerEnv): boolean {
  return env.VERIDESK_TEST_CLOCK && (env.NODE_ENV !== "production" || env.VERIDESK_DEMO);
}

/** One sentence for start-up when the test clock is switched on where it must not be, else null. */
export function testClockRefusal(env: ServerEnv): string | null {
  if (env.VERIDESK_TEST_CLOCK && !testClockAllowed(env)) {
    return "VERIDESK_TEST_CLOCK is for automated tests only and is refused in production outside demo mode; unset it";
  }
  return null;
}

const globalForClock = globalThis as unknown as { veridesk_testClock?: { offsetMs: number; readAt: number } };

async function testClockOffsetMs(): Promise<number> {
  const cached = globalForClock.veridesk_testClock;
  if (cached && Date.now() - cached.readAt < OFFSET_CACHE_MS) return cached.offsetMs;
  const row = await db.appSetting.findUnique({ where: { key: TEST_CLOCK_OFFSET_KEY }, select: { value: true } });
  const offsetMs = typeof row?.value === "number" && Number.isFinite(row.value) ? row.value : 0;
  globalForClock.veridesk_testClock = { offsetMs, readAt: Date.now() };
  return offsetMs;
}

/** Now, as the app's time-driven rules see it (real time unless the test clock is allowed and moved). */
export async function appNow(env: ServerEnv = serverEnv()): Promise<Date> {
  if (!testClockAllowed(env)) return new Date();
  return new Date(Date.now() + (await testClockOffsetMs()));
}

/** Forget the cached offset (tests that move the clock and read it back at once). */
export function forgetTestClockOffset(): void {
  globalForClock.veridesk_testClock = undefined;
}
