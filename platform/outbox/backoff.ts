/**
 * Retry schedule for outgoing messages: exponential (×4 per failed attempt, starting at 15 s,
 * so roughly 15 s, 1 min, 4 min, 16 min, then the 1 h cap) with ±20 % jitter, so that messages
 * that failed together during one provider outage do not all retry in the same instant.
 */

export const FIRST_RETRY_DELAY_MS = 15_000;
export const RETRY_DELAY_GROWTH = 4;
export const MAX_RETRY_DELAY_MS = 60 * 60_000;
/** Each delay is scaled by a factor drawn from [1 - JITTER, 1 + JITTER). */
export const RETRY_JITTER = 0.2;

/** A provider outage over a weekend must not lose a message: retry for at least this long. */
export const MIN_RETRY_SPAN_MS = 3 * 24 * 60 * 60_000;

/**
 * Tries before a message is given up. 95 tries = 94 waits: 15 s + 1 + 4 + 16 min (21¼ min), then 90
 * waits at the 1 h cap. Even with every wait drawn at the low end of the jitter (×0.8, 48 min at
 * the cap) that is 72.3 h, so at least 3 days; typically about 86 h (3.6 days), at most 90.4 h.
 * (It was 8 tries, about 3.4 h: a weekend outage lost every message.)
 */
export const DEFAULT_MAX_ATTEMPTS = 95;

/**
 * How long to wait before the next try, after `failedAttempts` tries have failed (1 = the first
 * try failed). `random` returns a number in [0, 1); pass a fixed one for a deterministic result.
 */
export function nextAttemptDelay(failedAttempts: number, random: () => number = Math.random): number {
  const exponent = Number.isNaN(failedAttempts) ? 0 : Math.max(0, Math.floor(failedAttempts) - 1);
  // Capping the exponent keeps the intermediate value finite for absurd attempt counts.
  const base = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * RETRY_DELAY_GROWTH ** Math.min(exponent, 20));
  const unit = Math.min(Math.max(random(), 0), 1);
  const jittered = base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * unit);
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, jittered));
}

/**
 * From the first try to the last one, for a message that fails every time: the sum of the waits
 * between `maxAttempts` tries. With `random` fixed at 0 it is the shortest the schedule can be.
 */
export function retrySpanMs(maxAttempts: number, random: () => number = () => 0.5): number {
  let total = 0;
  for (let failed = 1; failed < maxAttempts; failed++) total += nextAttemptDelay(failed, random);
  return total;
}

/**
 * Outgoing webhooks follow the Standard Webhooks schedule instead: after the first try, 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (about 28 h in all), each ±10 %. The receiver is the
 * one that is down, and it will be told again by the next event; an endpoint failing for days is
 * disabled (features/webhooks/delivery.ts).
 */
export const WEBHOOK_RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000] as const;
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;
const WEBHOOK_JITTER = 0.1;

export function nextWebhookAttemptDelay(failedAttempts: number, random: () => number = Math.random): number {
  const index = Math.min(WEBHOOK_RETRY_DELAYS_MS.length - 1, Math.max(0, Number.isNaN(failedAttempts) ? 0 : Math.floor(failedAttempts) - 1));
  const base = WEBHOOK_RETRY_DELAYS_MS[index] as number;
  const unit = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - WEBHOOK_JITTER + 2 * WEBHOOK_JITTER * unit));
}
