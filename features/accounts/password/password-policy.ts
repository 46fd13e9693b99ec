import { z } from "zod";
import { secretText } from "@/platform/text/schemas";
import COMMON_PASSWORDS from "@/features/accounts/password/password-blocklist.json" with { type: "json" };

/**
 * Password rules, after NIST SP 800-63B: a minimum length, a generous maximum, no composition
 * rules (no "one capital, one digit, one symbol"), and a refusal of passwords that are common,
 * trivially patterned, or built around the person's own name, email or the product's name.
 *
 * Browser-safe on purpose (no Node built-ins imported, no native hashing): the sign-up and
 * password-change forms import this module for instant feedback, and the server runs the same
 * check.
 * Server code may import everything from "@/features/accounts/password/password", which re-exports this file.
 */

export const PASSWORD_MIN_LENGTH = 8;
/** NIST asks to allow at least 64; 128 still fits any passphrase and bounds hashing cost. */
export const PASSWORD_MAX_LENGTH = 128;

/** Words that are guessable in this service's context whoever the person is. */
const SERVICE_WORDS = ["veridesk"] as const;

/** Parts of a name or email shorter than this are too generic to count as "personal". */
const MIN_CONTEXT_WORD_LENGTH = 3;

/** What the person told us about themselves, so their password cannot just be that. */
export type PasswordContext = {
  email?: string | null;
  name?: string | null;
  /** Anything else that is guessable for this account, e.g. a company name or account number. */
  otherWords?: readonly (string | null | undefined)[];
};

export type PasswordProblem = "too_short" | "too_long" | "common" | "predictable" | "personal";

export type PasswordPolicyResult = { ok: true } | { ok: false; reason: PasswordProblem; message: string };

export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  common: "This password is one of the most common ones and easy to guess. Try a few unrelated words instead.",
  predictable: 'This password is a simple pattern (like "aaaaaaaa" or "12345678"). Try a few unrelated words instead.',
  personal: "Don't build your password around your name, your email address or the word Veridesk.",
};

/**
 * The form every password is compared and hashed in: Unicode NFKC, so that the same visible
 * password typed on different keyboards (composed or decomposed accents, full-width digits)
 * is the same password (NIST 800-63B §5.1.1.2).
 */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** Length in characters as a person counts them (code points), not UTF-16 units. */
function characterCount(text: string): number {
  return [...text].length;
}

/**
 * The common-password list: features/accounts/password/password-blocklist.json, the most common
 * passwords of 8–128 characters, NFKC-normalised and lower-cased, most common first: every such
 * entry of the frequency-ordered list in @zxcvbn-ts/language-common (src/passwords.json, MIT
 * licence, drawn from public breach corpora). password.test.ts checks it against the installed
 * package, so bumping the devDependency tells you when to regenerate it. A data file imported as a
 * JSON module: loaded once, the same in the browser, on the server, under vitest and tsx.
 */
export function loadCommonPasswords(): readonly string[] {
  return COMMON_PASSWORDS;
}

let commonPasswordSet: ReadonlySet<string> | undefined;
function isCommonPassword(lowerCased: string): boolean {
  commonPasswordSet ??= new Set(COMMON_PASSWORDS);
  return commonPasswordSet.has(lowerCased);
}

/**
 * Common passwords are often "decorated" with trailing digits or symbols ("football2024!"):
 * check the bare word as well as the whole.
 */
function isCommonOrDecoratedCommon(lowerCased: string): boolean {
  if (isCommonPassword(lowerCased)) return true;
  const undecorated = lowerCased.replace(/[\d\p{P}\p{S}\s]+$/u, "");
  return undecorated !== lowerCased && isCommonPassword(undecorated);
}

/** A short unit repeated ("aaaaaaaa", "abababab", "abcabcabc") or one straight run ("12345678", "zyxwvuts"). */
function isPredictablePattern(lowerCased: string): boolean {
  // A trailing "!" does not make "12345678!" less of a pattern.
  const undecorated = lowerCased.replace(/[\p{P}\p{S}\s]+$/u, "");
  const characters = [...(undecorated.length > 0 ? undecorated : lowerCased)];
  if (characters.length < 2) return true;
  for (let unit = 1; unit <= 4 && unit * 2 <= characters.length; unit++) {
    if (characters.every((character, index) => character === characters[index % unit])) return true;
  }
  const codes = characters.map((character) => character.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  return (step === 1 || step === -1) && codes.every((code, index) => index === 0 || code - (codes[index - 1] ?? 0) === step);
}

/** The words a password must not be built around: the product, the email local part, the name. */
export function contextWordsOf(context: PasswordContext): string[] {
  const words = new Set<string>(SERVICE_WORDS);
  const add = (value: string | null | undefined) => {
    if (!value) return;
    const lowered = normalizePassword(value).trim().toLowerCase();
    const whole = lowered.replace(/[\s._+\-']+/g, "");
    if (characterCount(whole) >= MIN_CONTEXT_WORD_LENGTH) words.add(whole);
    for (const part of lowered.split(/[\s._+\-'@]+/)) {
      if (characterCount(part) >= MIN_CONTEXT_WORD_LENGTH) words.add(part);
    }
  };
  add(context.email?.split("@")[0]);
  add(context.name);
  for (const word of context.otherWords ?? []) add(word);
  // Longest first, so "mayapatel" is removed before "maya" can split it.
  return [...words].sort((a, b) => characterCount(b) - characterCount(a));
}

/**
 * A password may contain a context word ("correct horse veridesk battery" is fine) as long as
 * what is left without it would be an acceptable password on its own.
 */
function isBuiltAroundContext(lowerCased: string, context: PasswordContext): boolean {
  let remainder = lowerCased;
  for (const word of contextWordsOf(context)) remainder = remainder.split(word).join("");
  if (remainder === lowerCased) return false;
  const trimmed = remainder.replace(/^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu, "");
  return (
    characterCount(remainder) < PASSWORD_MIN_LENGTH ||
    characterCount(trimmed) < MIN_CONTEXT_WORD_LENGTH ||
    isCommonOrDecoratedCommon(remainder) ||
    isPredictablePattern(remainder)
  );
}

/** Checks one password against the policy; the first problem found is returned with a plain-words message. */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): PasswordPolicyResult {
  const normalized = normalizePassword(password);
  const length = characterCount(normalized);
  const fail = (reason: PasswordProblem): PasswordPolicyResult => ({ ok: false, reason, message: PASSWORD_PROBLEM_MESSAGES[reason] });

  if (length < PASSWORD_MIN_LENGTH) return fail("too_short");
  if (length > PASSWORD_MAX_LENGTH) return fail("too_long");
  const lowerCased = normalized.toLowerCase();
  if (isCommonOrDecoratedCommon(lowerCased)) return fail("common");
  if (isPredictablePattern(lowerCased)) return fail("predictable");
  if (isBuiltAroundContext(lowerCased, context)) return fail("personal");
  return { ok: true };
}

/** Adds the policy's problem, if any, to a zod refinement context. */
function refineWithPolicy(password: string, ctx: z.RefinementCtx, context: PasswordContext, path: PropertyKey[] = []) {
  const result = checkPasswordPolicy(password, context);
  if (!result.ok) ctx.addIssue({ code: "custom", path, message: result.message, params: { reason: result.reason } });
}

/**
 * A new password, for any form that sets one. Never trimmed: spaces are part of a password.
 * The reason code is in `issue.params.reason` for callers that want it.
 */
export const passwordSchema = secretText({ error: "Enter a password." }).superRefine((password, ctx) => refineWithPolicy(password, ctx, {}));

/** `passwordSchema` that also refuses passwords built around this person's name or email. */
export function passwordSchemaFor(context: PasswordContext) {
  return secretText({ error: "Enter a password." }).superRefine((password, ctx) => refineWithPolicy(password, ctx, context));
}

/**
 * For forms that collect the email and name alongside the password (sign-up): use it as
 * `z.object({...}).superRefine(refinePasswordField)`; the issue lands on the `password` field.
 */
export function refinePasswordField(values: { password: string; email?: string | null; name?: string | null }, ctx: z.RefinementCtx) {
  refineWithPolicy(values.password, ctx, { email: values.email, name: values.name }, ["password"]);
}
