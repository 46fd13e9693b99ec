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
