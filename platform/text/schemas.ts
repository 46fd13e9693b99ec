import { z } from "zod";

/**
 * Shared building blocks for every input that can reach PostgreSQL as text or as a date.
 * PostgreSQL refuses "\u0000" in text, and a lone UTF-16 surrogate cannot be encoded as UTF-8;
 * it also refuses dates JavaScript happily builds (year 0, 2026-02-30 in a cast, year 275760).
 * Each of those used to surface as a 500. Browser-safe: forms and server parse the same schemas.
 */

/** Earliest and latest year any date input may name (PostgreSQL and JavaScript agree on these). */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 9999;

export const NUL_MESSAGE = "Remove the NUL character (\\0): text cannot contain it.";
export const UNSTORABLE_MESSAGE = "This contains a character that cannot be stored (a NUL character, or half of an emoji): remove it and try again.";
export const CONTROL_MESSAGE = "Remove the invisible control characters (they can come with pasted text).";

const SINGLE_LINE_CONTROL = /[\u0001-\u001f\u007f]/;
const MULTI_LINE_CONTROL = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A UTF-16 surrogate without its other half (what String.prototype.isWellFormed looks for; written out for older browsers and TS libs). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** Whether a string is valid Unicode (no lone surrogate), so it can be stored as UTF-8. */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** The string with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export function toWellFormed(value: string): string {
  return LONE_SURROGATE.test(value) ? value.replace(LONE_SURROGATES, "\uFFFD") : value;
}

/** What is wrong with a value as stored text, in plain words, or null. */
export function textProblem(value: string, options: { multiline?: boolean } = {}): string | null {
  if (value.includes("\u0000")) return NUL_MESSAGE;
  if ((options.multiline ? MULTI_LINE_CONTROL : SINGLE_LINE_CONTROL).test(value)) return CONTROL_MESSAGE;
  if (!isWellFormed(value)) return "That text contains a broken character; type it again.";
  return null;
}

/**
 * Text from a source that must never be refused (an email): lone surrogates become U+FFFD,
 * NUL and control characters other than tab and line feed are dropped, line breaks become "\n".
 */
export function toStorableText(value: string): string {
  return toWellFormed(value)
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

/**
 * At most `max` UTF-16 units of `value`, ending with `ellipsis` when cut, and never split in the
 * middle of a surrogate pair (half an emoji is a lone surrogate PostgreSQL cannot store).
 */
export function truncateText(value: string, max: number, ellipsis = "…"): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - ellipsis.length);
  const last = value.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return toWellFormed(value.slice(0, end)) + ellipsis;
}

/**
 * A free-text string input: lone surrogates are replaced (U+FFFD), NUL and control characters are
 * refused with a clear message (tab and line breaks too unless `multiline`). Chain .trim(),
 * .min(), .max() as with z.string(): the result is still a ZodString.
 */
export function cleanText(options: { multiline?: boolean; error?: string } = {}) {
  return z
    .string(options.error ? { error: options.error } : undefined)
    .overwrite(toWellFormed)
    .superRefine((value, ctx) => {
      const problem = textProblem(value, options);
      if (problem) ctx.addIssue({ code: "custom", message: problem, abort: true });
    });
}

/**
 * A secret (a password): taken exactly as typed — no trimming, no replacing, since a changed
 * password would not match — but refusing NUL and broken characters, which no keyboard types.
 */
export function secretText(options: { error?: string } = {}) {
  return z.string(options.error ? { error: options.error } : undefined).superRefine((value, ctx) => {
    if (value.includes("\u0000") || !isWellFormed(value)) {
      ctx.addIssue({ code: "custom", message: "A password cannot contain the NUL character or broken characters.", abort: true });
    }
  });
}

/** Whether a Date is valid and within years MIN_YEAR..MAX_YEAR (what PostgreSQL and the app can both hold). */
export function dateInRange(date: Date): boolean {
  const time = date.getTime();
  if (Number.isNaN(time)) return false;
  const year = date.getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A real calendar day "YYYY-MM-DD" in range (2026-02-30 and 0000-01-01 are not). */
export function isIsoDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return dateInRange(parsed) && parsed.toISOString().slice(0, 10) === value;
}

/** A real instant written as toISOString() writes it ("2026-02-30T…" and "…T24:00:00.000Z" are not). */
export function isIsoInstant(value: string): boolean {
  if (!INSTANT.test(value)) return false;
  const parsed = new Date(value);
  return dateInRange(parsed) && parsed.toISOString() === value;
}

/** A calendar-day input (<input type="date">): trimmed, a real day in MIN_YEAR..MAX_YEAR. */
export function isoDate(message = "Enter a real date (YYYY-MM-DD).") {
  return z
    .string({ error: message })
    .trim()
    .refine((value) => isIsoDay(value), { message });
}

/**
 * Anything that is not a well-formed, NUL-free string somewhere in `value` (walked to a bounded
 * depth): the paths of the offending strings, or [] when all text can be stored.
 */
export function unstorableTextPaths(value: unknown, path: (string | number)[] = [], depth = 0, found: (string | number)[][] = []): (string | number)[][] {
  if (found.length >= 20 || depth > 20) return found;
  if (typeof value === "string") {
    if (value.includes("\u0000") || !isWellFormed(value)) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableTextPaths(item, [...path, index], depth + 1, found));
  } else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (!isWellFormed(key) || key.includes("\u0000")) found.push([...path, "(key)"]);
      unstorableTextPaths(item, [...path, key], depth + 1, found);
    }
  }
  return found;
}

/**
 * One text value of a URL search param for a page or route (the first of repeated ones), made
 * storable (platform/text toStorableText) and at most `max` characters: a hand-edited or hostile
 * link never reaches the database as text PostgreSQL refuses.
 */
export function searchParamText(raw: string | string[] | null | undefined, max: number): string {
  const first = Array.isArray(raw) ? raw[0] : raw;
  return typeof first === "string" ? truncateText(toStorableText(first), max, "") : "";
}

/**
 * A parsed JSON document (a signed webhook, an inbound email) with every string — keys too —
 * made storable (toStorableText): for sources that must be recorded, not refused.
 */
export function storableDeep<T>(value: T, depth = 0): T {
  if (typeof value === "string") return toStorableText(value) as T;
  if (depth > 40 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => storableDeep(item, depth + 1)) as T;
  // Only plain objects: bytes (Uint8Array), dates and class instances stay as they are.
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [toStorableText(key), storableDeep(item, depth + 1)])) as T;
}
