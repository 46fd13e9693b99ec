import "server-only";
import { db } from "@/platform/db/client";
import { consumeRateLimit, isRateLimited } from "@/platform/rate-limit";

/**
 * The failed-sign-in limits (shared by every instance through PostgreSQL's RateLimitCounter).
 *
 *  - per client address: 50 failures in 15 min, whatever the accounts;
 *  - per (account, client) pair: 10 failures in 15 min — the tight one, so brute force from one
 *    client stops quickly without touching the owner's own sign-ins from elsewhere;
 *  - per account, all clients together: 30 failures in 15 min — the slower throttle against many
 *    clients. Once it is reached, strangers are refused, but the right password from a client with
 *    no recent failures on this account (the owner, from their usual device) still gets in;
 *  - consecutive failures per account: after 100 in a row without a successful sign-in (NIST SP
 *    800-63B-4's ceiling) the account is locked for everyone until a password reset by emailed link
 *    (the one-time token proves the mailbox) clears it. A successful sign-in resets the count.
 */
export const SIGN_IN_FAILURES_PER_IP = { limit: 50, windowSeconds: 15 * 60 };
export const SIGN_IN_FAILURES_PER_PAIR = { limit: 10, windowSeconds: 15 * 60 };
export const SIGN_IN_FAILURES_PER_ACCOUNT = { limit: 30, windowSeconds: 15 * 60 };
/** Consecutive failures before the hard lock; the window only bounds how long an unused row lives. */
export const SIGN_IN_CONSECUTIVE_FAILURES = { limit: 100, windowSeconds: 90 * 24 * 60 * 60 };

const keys = (email: string, ip: string) => ({
  ip: `sign-in-failures:ip:${ip}`,
  pair: `sign-in-failures:pair:${email}|${ip}`,
  account: `sign-in-failures:account:${email}`,
  consecutive: `sign-in-failures:consecutive:${email}`,
});

export interface SignInLimitState {
  /** Refuse before looking at the password: this client is over its own limits. */
  clientLimited: "ip" | "pair" | null;
  /** Many clients together failed on this account: only a clean client with the right password passes. */
  accountThrottled: boolean;
  /** This client has failed on this account in the current window. */
  pairHasFailures: boolean;
  /** 100 consecutive failures: locked for everyone until a password reset. */
  hardLocked: boolean;
}

export async function signInLimitState(email: string, ip: string): Promise<SignInLimitState> {
  const key = keys(email, ip);
  const [byIp, byPair, pairOnce, byAccount, consecutive] = await Promise.all([
    isRateLimited(key.ip, SIGN_IN_FAILURES_PER_IP.limit),
    isRateLimited(key.pair, SIGN_IN_FAILURES_PER_PAIR.limit),
    isRateLimited(key.pair, 1),
    isRateLimited(key.account, SIGN_IN_FAILURES_PER_ACCOUNT.limit),
    isRateLimited(key.consecutive, SIGN_IN_CONSECUTIVE_FAILURES.limit),
  ]);
  return {
    clientLimited: byIp.limited ? "ip" : byPair.limited ? "pair" : null,
    accountThrottled: byAccount.limited,
    pairHasFailures: pairOnce.limited,
    hardLocked: consecutive.limited,
  };
}

export async function countSignInFailure(email: string, ip: string): Promise<void> {
  const key = keys(email, ip);
  await Promise.all([
    consumeRateLimit(key.ip, SIGN_IN_FAILURES_PER_IP.limit, SIGN_IN_FAILURES_PER_IP.windowSeconds),
    consumeRateLimit(key.pair, SIGN_IN_FAILURES_PER_PAIR.limit, SIGN_IN_FAILURES_PER_PAIR.windowSeconds),
    consumeRateLimit(key.account, SIGN_IN_FAILURES_PER_ACCOUNT.limit, SIGN_IN_FAILURES_PER_ACCOUNT.windowSeconds),
    consumeRateLimit(key.consecutive, SIGN_IN_CONSECUTIVE_FAILURES.limit, SIGN_IN_CONSECUTIVE_FAILURES.windowSeconds),
  ]);
}

/** A successful sign-in ends the run of consecutive failures (the windowed throttles keep counting). */
export async function resetConsecutiveSignInFailures(email: string): Promise<void> {
  await db.rateLimitCounter.deleteMany({ where: { key: keys(email, "").consecutive } });
}

/** A completed password reset (the emailed one-time link) lifts the hard lock and the account throttle. */
export async function clearSignInLock(email: string): Promise<void> {
  const key = keys(email, "");
  await db.rateLimitCounter.deleteMany({ where: { key: { in: [key.consecutive, key.account] } } });
}
