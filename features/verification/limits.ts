/**
 * Every number the one-time code engine (features/verification/challenges.ts) enforces, in one place.
 * Pure constants with no server imports, so a page may import them too (e.g. for a countdown).
 * The tests in challenges.test.ts exercise each of them; change a value here, not at a call site.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Digits in a code (platform/one-time-code.ts). 6 digits = 1,000,000 possibilities, safe only together with the try limits below. */
export { CODE_DIGITS } from "@/platform/one-time-code";

// ── Lifetimes ──────────────────────────────────────────────────────────────────────────────────

/** A code sent by email. Short: an inbox is often open on shared or unlocked screens. */
export const EMAIL_CODE_LIFETIME_SECONDS = 10 * MINUTE;

/**
 * A link sent by email (registration). Longer than the code because people open sign-up emails
 * later; the link carries a 256-bit token, so its lifetime does not weaken it against guessing.
 */
export const EMAIL_LINK_LIFETIME_SECONDS = 24 * HOUR;

/** A code sent by SMS. */
export const SMS_CODE_LIFETIME_SECONDS = 10 * MINUTE;

// ── Guessing ───────────────────────────────────────────────────────────────────────────────────

/**
 * Wrong entries one code survives: the 5th wrong entry kills it. With 1,000,000 codes, 5 tries
 * give an attacker a 1 in 200,000 chance per code sent…
 */
export const MAX_WRONG_TRIES_PER_CODE = 5;

/**
 * …and because an attacker can simply ask for a new code, failures are also counted per account,
 * across all of its codes and purposes. A success resets the count; sending a new code does NOT.
 * At this many consecutive failures the account is locked for code verification until staff
 * unlock it (100 tries ≈ 1 in 10,000 chance of a lucky guess in total).
 */
export const MAX_CONSECUTIVE_CODE_FAILURES_PER_ACCOUNT = 100;

// ── Sending ────────────────────────────────────────────────────────────────────────────────────

/**
 * Wait between two sends for the same (user or target, purpose, target): stops double clicks and
 * loops. Never shared between purposes: set-up's code must not delay the first sign-in code.
 */
export const RESEND_COOLDOWN_SECONDS = 60;

/** Codes sent to one address or number in any hour, all purposes together: stops inbox flooding. */
export const MAX_SENDS_PER_TARGET_PER_HOUR = 5;
export const SENDS_PER_TARGET_WINDOW_SECONDS = HOUR;

/**
 * Codes one signed-in account may send for address and number changes in an hour, whatever the
 * targets: the cooldown is per target, so without this an account could mail a code to address
 * after address. Registration (its own decoy mirrors its limits), sign-in and caller checks have
 * limits of their own and are not counted.
 */
export const MAX_CHANGE_SENDS_PER_ACCOUNT_PER_HOUR = 10;
export const ACCOUNT_CHANGE_PURPOSES = ["email_change", "phone_change", "phone_verification", "change_confirmation"] as const;

/**
 * SMS pumping ("toll fraud": bots requesting texts to premium numbers the attacker is paid for).
 * Counted from VerificationChallenge rows in PostgreSQL, so every app instance shares the count.
 */
export const MAX_SMS_PER_NUMBER_PER_DAY = 5;
/** Self-service SMS codes requested from one IP address, all numbers together. */
export const MAX_SMS_PER_IP_PER_DAY = 10;
export const SMS_DAILY_WINDOW_SECONDS = DAY;
