import "server-only";
import { VALIDATION_JOB_KIND } from "@/features/data-quality/validation/run";
import { serverEnv } from "@/platform/env";
import { enqueueJob } from "@/platform/jobs/queue";

/**
 * The nightly validation of every contact: each instance's timer enqueues the next night's run
 * (VALIDATION_NIGHTLY_HOUR_UTC, default 02:00 UTC) ahead of time, with `runAfter` at that hour and
 * the dedupe key `contact-validation.nightly:<date>`, so however many instances ask, and however
 * often, there is one job per night; the shared queue runs it when it is due.
 */

export const NIGHTLY_CHECK_MS = 10 * 60_000;

/** The next occurrence of `hourUtc`:00 UTC at or after `now`. */
export function nextNightlyRunAt(now: Date, hourUtc: number): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc));
  if (at < now) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}

export const nightlyDedupeKey = (at: Date) => `contact-validation.nightly:${at.toISOString().slice(0, 10)}`;

/** Enqueues the next nightly run if no instance has yet (returns that night's job either way). */
export async function scheduleNightlyValidation(now: Date = new Date(), hourUtc: number = nightlyHour() ?? 2) {
  const at = nextNightlyRunAt(now, hourUtc);
  return enqueueJob(VALIDATION_JOB_KIND, { trigger: "nightly" }, { dedupeKey: nightlyDedupeKey(at), runAfter: at });
}

function nightlyHour(): number | null {
  const hour = serverEnv().VALIDATION_NIGHTLY_HOUR_UTC;
  return hour === "off" ? null : hour;
}

let timer: NodeJS.Timeout | null = null;

/** Starts this instance's timer (with the background jobs); nothing when VALIDATION_NIGHTLY_HOUR_UTC=off. */
export function startNightlyValidation(): void {
  const hour = nightlyHour();
  if (hour === null || timer) return;
  const tick = () => {
    scheduleNightlyValidation(new Date(), hour).catch((error: unknown) => {
      console.warn(`[validation] cannot schedule the nightly run: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  timer = setInterval(tick, NIGHTLY_CHECK_MS);
  timer.unref();
  tick();
}
