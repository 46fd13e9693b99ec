import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { openSealedText, sealText, SealedTextError } from "@/platform/outbox/sealed";

/**
 * The registration in progress, carried from the sign-up form to the verification page (and
 * between the page's requests) in one httpOnly, SameSite=Lax cookie, sealed with AES-256-GCM
 * (platform/outbox/sealed.ts), so the browser can neither read nor alter it. Server only.
 *
 * No account enumeration: registering with an address that already has an account gives a
 * *decoy*, which has exactly the same fields, filled the same way — only its ids name nothing in
 * the database (random UUIDs). The cookie therefore looks the same, is the same length, and the
 * page behaves the same; every code entered for a decoy is simply "not right". Whether a state is
 * real is found out on the server by looking its ids up (features/accounts/registration/registration.ts).
 *
 * The draft (name, password hash, mobile, hint) is what "Wrong address?" needs to create the
 * account at the corrected address when the first one turned out to belong to someone else.
 * It holds a password *hash* only (argon2id), sealed, and only until the address is verified.
 */

export const PENDING_REGISTRATION_COOKIE = "veridesk_registration";
/** As long as the emailed link lives: after that there is nothing left to verify with it anyway. */
export const PENDING_REGISTRATION_MAX_AGE_SECONDS = 24 * 60 * 60;
/** Only the verification page and its actions need the cookie. */
export const PENDING_REGISTRATION_COOKIE_PATH = "/verify";

const draftSchema = z.object({
  name: z.string().max(200),
  passwordHash: z.string().max(256),
  phoneE164: z.string().max(20).nullable(),
  accountHint: z.string().max(200).nullable(),
});

const pendingSchema = z.object({
  v: z.literal(1),
  /** The unverified account; for a decoy, a random id that names no account. */
  userId: z.uuid(),
  /** The latest challenge sent; for a decoy, a random id that names none. */
  challengeId: z.uuid(),
  /** Normalised address the code went to. */
  email: z.string().max(320),
  draft: draftSchema,
  /** Epoch milliseconds of the latest code. */
  issuedAt: z.number().int(),
  resendAvailableAt: z.number().int(),
  /** Sends to this address within the last hour (epoch ms), for the decoy's hourly cap; at most a handful. */
  sends: z.array(z.number().int()).max(10),
  /** Wrong codes entered for the latest code. */
  attempts: z.number().int().min(0).max(100),
  /** Times "Wrong address?" was used. */
  corrections: z.number().int().min(0).max(100),
});

export type PendingRegistration = z.infer<typeof pendingSchema>;
export type PendingDraft = z.infer<typeof draftSchema>;

/** A random id shaped like the real ones, for decoys. */
export function decoyId(): string {
  return randomUUID();
}

export function sealPendingRegistration(state: PendingRegistration): string {
  return sealText(JSON.stringify(pendingSchema.parse(state)));
}

/** The state in the cookie, or null when there is none, it was altered, or it is too old. */
export function openPendingRegistration(sealed: string | null | undefined, now: Date = new Date()): PendingRegistration | null {
  if (!sealed) return null;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(openSealedText(sealed)));
    if (!parsed.success) return null;
    if (now.getTime() - parsed.data.issuedAt > PENDING_REGISTRATION_MAX_AGE_SECONDS * 1000) return null;
    return parsed.data;
  } catch (error) {
    if (error instanceof SealedTextError || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Cookie attributes: httpOnly (scripts cannot read it), Lax (sent on the emailed link's navigation), Secure on https. */
export function pendingCookieOptions(secure: boolean) {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    secure,
    path: PENDING_REGISTRATION_COOKIE_PATH,
    maxAge: PENDING_REGISTRATION_MAX_AGE_SECONDS,
  };
}
