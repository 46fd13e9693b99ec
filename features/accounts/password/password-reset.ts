import "server-only";
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { derivedKey } from "@/platform/secret-keys";
import { clearSignInLock } from "@/features/accounts/sign-in/sign-in-limits";
import { setTimeout as sleep } from "node:timers/promises";
import { recordAudit } from "@/platform/audit";
import { revokeAllSessionsOf, revokeOtherSessionsOf } from "@/platform/auth/sessions";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db } from "@/platform/db/client";
import { enqueueEmail, kickOutboxWorker } from "@/platform/outbox/outbox";
import { publicBaseUrl, serverEnv } from "@/platform/env";
import { formatDuration } from "@/platform/text/durations";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "@/features/accounts/password/password";
import { PASSWORD_RESET_SUBJECT, renderPasswordChangedNotice, renderPasswordResetEmail } from "@/features/accounts/password/password-reset-emails";
import { consumeRateLimit } from "@/platform/rate-limit";

/**
 * Password reset by emailed link, password change from the security page, and the notice both
 * send. Server only.
 *
 * ── The link ──
 * `/reset-password?token=<user id>.<expiry>.<HMAC>`: the HMAC (key derived from NEXTAUTH_SECRET
 * under its own HKDF label) covers the user id, the expiry, the account's email address and its
 * CURRENT password hash. So the link
 *   - cannot be forged or extended (HMAC over id and expiry);
 *   - works once: setting the new password changes the hash, and every link sent before it (this
 *     one included) stops matching; a changed email address kills it too;
 *   - expires after PASSWORD_RESET_LINK_LIFETIME_SECONDS;
 *   - is stored nowhere: the outbox keeps the email sealed and wipes it once delivered.
 * (The code engine in ./challenges.ts sends links only for email verification; see the report.)
 *
 * ── No enumeration ──
 * requestPasswordReset answers the same for every address, known or not, rate-limited or not, and
 * takes about as long either way: when nothing is sent it waits as long as a recent real send took.
 */

export const PASSWORD_RESET_LINK_LIFETIME_SECONDS = 60 * 60;
/** Reset emails per address: one a minute, three an hour (counted whether or not the address has an account). */
const RESET_COOLDOWN = { limit: 1, windowSeconds: 60 };
const RESET_PER_ADDRESS = { limit: 3, windowSeconds: 60 * 60 };
const RESET_PER_IP = { limit: 20, windowSeconds: 60 * 60 };
/** Current-password checks by a signed-in person (change password, turn off two-factor…). */
const PASSWORD_CHECKS_PER_ACCOUNT = { limit: 10, windowSeconds: 15 * 60 };

const HKDF_INFO = "veridesk/password-reset-link/v1";

function linkKey(secret: string = serverEnv().NEXTAUTH_SECRET): Buffer {
  return derivedKey(HKDF_INFO, secret);
}

interface TokenSubject {
  id: string;
  email: string;
  passwordHash: string | null;
}

function signature(user: TokenSubject, expiresAtSeconds: number): Buffer {
  const message = ["v1", user.id, String(expiresAtSeconds), user.email, user.passwordHash ?? ""].map((part) => `${Buffer.byteLength(part)}:${part}`).join("|");
  return createHmac("sha256", linkKey()).update(message).digest();
}

const TOKEN_PATTERN = /^([0-9a-f]{32})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

export function createPasswordResetToken(user: TokenSubject, now: Date = new Date()): string {
  const expiresAtSeconds = Math.floor(now.getTime() / 1000) + PASSWORD_RESET_LINK_LIFETIME_SECONDS;
  return `${user.id.replace(/-/g, "")}.${expiresAtSeconds.toString(36)}.${signature(user, expiresAtSeconds).toString("base64url")}`;
}

export function passwordResetLink(token: string): string {
  return `${publicBaseUrl()}/reset-password?token=${token}`;
}

export type ResetTokenCheck =
  | { ok: true; user: { id: string; email: string; name: string; passwordHash: string | null } }
  | { ok: false; reason: "invalid" | "expired"; message: string };

const INVALID_LINK = "This link is not valid any more: it was already used, or a newer one replaced it. Ask for a new link.";
const EXPIRED_LINK = "This link has expired. Ask for a new one.";

/** Checks a reset link without using it (the page's GET and the action both call it). */
export async function checkPasswordResetToken(token: string, now: Date = new Date()): Promise<ResetTokenCheck> {
  const match = TOKEN_PATTERN.exec(typeof token === "string" ? token : "");
  if (!match) return { ok: false, reason: "invalid", message: INVALID_LINK };
  const [, compactId, expiry, mac] = match as unknown as [string, string, string, string];
  const id = `${compactId.slice(0, 8)}-${compactId.slice(8, 12)}-${compactId.slice(12, 16)}-${compactId.slice(16, 20)}-${compactId.slice(20)}`;
  const expiresAtSeconds = Number.parseInt(expiry, 36);
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true } });
  if (!user || user.disabledAt) return { ok: false, reason: "invalid", message: INVALID_LINK };
  const expected = signature(user, expiresAtSeconds);
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid", message: INVALID_LINK };
  if (expiresAtSeconds * 1000 <= now.getTime()) return { ok: false, reason: "expired", message: EXPIRED_LINK };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, passwordHash: user.passwordHash } };
}

// ───────────────────────────── Asking for a link ─────────────────────────────

const recentSendMillis: number[] = [];
const DEFAULT_SEND_MILLIS = 80;

/** Waits until about as long as a recent real send has passed since `startedAt`. */
async function padToTypicalSend(startedAt: number): Promise<void> {
  const sample = recentSendMillis.length > 0 ? recentSendMillis[randomInt(recentSendMillis.length)]! : DEFAULT_SEND_MILLIS;
  const target = sample * (0.9 + randomInt(201) / 1000);
  await sleep(Math.max(0, target - (performance.now() - startedAt)));
}

export type ResetRequestOutcome = "sent" | "no_account" | "rate_limited";

/**
 * Sends a reset link when the address belongs to an account that may sign in. The outcome is for
 * tests and logs only: show every caller the same words (RESET_REQUESTED_MESSAGE).
 */
export async function requestPasswordReset(input: { email: string; ip: string; now?: Date }): Promise<ResetRequestOutcome> {
  const startedAt = performance.now();
  const email = normalizeEmail(input.email);
  const [cooldown, perAddress, perIp] = await Promise.all([
    consumeRateLimit(`password-reset:cooldown:${email}`, RESET_COOLDOWN.limit, RESET_COOLDOWN.windowSeconds),
    consumeRateLimit(`password-reset:address:${email}`, RESET_PER_ADDRESS.limit, RESET_PER_ADDRESS.windowSeconds),
    consumeRateLimit(`password-reset:ip:${input.ip}`, RESET_PER_IP.limit, RESET_PER_IP.windowSeconds),
  ]);
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, role: true, passwordHash: true, disabledAt: true } });

  if (!cooldown.allowed || !perAddress.allowed || !perIp.allowed) {
    if (user)
      await recordAudit({
        action: "identity.password_reset_refused",
        subjectType: "User",
        subjectId: user.id,
        ip: input.ip,
        details: { reason: perIp.allowed ? "address_limit" : "ip_limit" },
      });
    await padToTypicalSend(startedAt);
    return "rate_limited";
  }
  if (!user || user.disabledAt) {
    await padToTypicalSend(startedAt);
    return "no_account";
  }

  const token = createPasswordResetToken(user, input.now);
  const email_ = await renderPasswordResetEmail({
    link: passwordResetLink(token),
    lifetime: formatDuration(PASSWORD_RESET_LINK_LIFETIME_SECONDS, { style: "words" }),
  });
  await db.$transaction(async (tx) => {
    await enqueueEmail(
      {
        kind: "password-reset-link",
        to: user.email,
        subject: PASSWORD_RESET_SUBJECT,
        text: email_.text,
        html: email_.html,
        sensitive: true,
        expiresAt: new Date((input.now ?? new Date()).getTime() + PASSWORD_RESET_LINK_LIFETIME_SECONDS * 1000),
      },
      tx,
    );
    await recordAudit({ action: "identity.password_reset_requested", subjectType: "User", subjectId: user.id, ip: input.ip, details: {} }, tx);
  });
  void kickOutboxWorker();
  recentSendMillis.push(performance.now() - startedAt);
  if (recentSendMillis.length > 50) recentSendMillis.shift();
  return "sent";
}

export const RESET_REQUESTED_MESSAGE = `If an account uses that address, we have sent it a link to choose a new password. The link works for ${formatDuration(PASSWORD_RESET_LINK_LIFETIME_SECONDS, { style: "words" })}. Check your spam folder if it does not arrive in a few minutes.`;

// ───────────────────────────── Setting the password ─────────────────────────────

export type SetPasswordResult =
  | { ok: true }
  | { ok: false; reason: "invalid_link" | "weak_password" | "wrong_password" | "rate_limited"; message: string; field?: string };

async function queuePasswordChangedNotice(
  tx: Parameters<Parameters<typeof db.$transaction>[0]>[0],
  user: { id: string; email: string },
  how: "reset" | "changed",
  now: Date,
) {
  const notice = await renderPasswordChangedNotice({ how, changedAt: now, forgotPasswordLink: `${publicBaseUrl()}/forgot-password` });
  await enqueueEmail({ kind: "password-changed-notice", to: user.email, subject: notice.subject, text: notice.text, html: notice.html }, tx);
}

/**
 * Uses a reset link: sets the new password (policy checked with the person's name and email),
 * signs the account out everywhere, and emails a "your password was changed" notice. The update
 * is conditional on the password hash the link was made for, so a link works once even when it
 * is submitted twice at the same moment.
 */
export async function resetPasswordWithToken(input: { token: string; password: string; ip: string; now?: Date }): Promise<SetPasswordResult> {
  const now = input.now ?? new Date();
  const check = await checkPasswordResetToken(input.token, now);
  if (!check.ok) return { ok: false, reason: "invalid_link", message: check.message };
  const { user } = check;
  const policy = checkPasswordPolicy(input.password, { email: user.email, name: user.name });
  if (!policy.ok) return { ok: false, reason: "weak_password", message: policy.message, field: "password" };
  const newHash = await hashPassword(input.password);

  const rendered = await renderPasswordChangedNotice({ how: "reset", changedAt: now, forgotPasswordLink: `${publicBaseUrl()}/forgot-password` });
  const changed = await db.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: newHash } });
    if (updated.count !== 1) return false;
    await recordAudit({ action: "identity.password_reset", subjectType: "User", subjectId: user.id, ip: input.ip }, tx);
    await enqueueEmail({ kind: "password-changed-notice", to: user.email, subject: rendered.subject, text: rendered.text, html: rendered.html }, tx);
    return true;
  });
  if (!changed) return { ok: false, reason: "invalid_link", message: INVALID_LINK };
  // Whoever may have been signed in (perhaps the reason for the reset) is signed out everywhere.
  await revokeAllSessionsOf(user.id);
  // The emailed link proved the mailbox: it lifts a sign-in lock after 100 failed attempts.
  await clearSignInLock(user.email);
  void kickOutboxWorker();
  return { ok: true };
}

/**
 * Checks the current password of a signed-in person before a sensitive change. Limited per
 * account, so a session left open is not a way to guess the password.
 */
export async function checkCurrentPassword(
  userId: string,
  password: string,
): Promise<{ ok: true } | { ok: false; reason: "wrong_password" | "rate_limited"; message: string }> {
  const limit = await consumeRateLimit(`password-check:${userId}`, PASSWORD_CHECKS_PER_ACCOUNT.limit, PASSWORD_CHECKS_PER_ACCOUNT.windowSeconds);
  if (!limit.allowed)
    return {
      ok: false,
      reason: "rate_limited",
      message: `Too many password attempts. Try again in ${formatDuration(Math.max(60, Math.ceil(limit.retryAfterSeconds / 60) * 60), { style: "words" })}.`,
    };
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  const matches = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : false;
  return matches ? { ok: true } : { ok: false, reason: "wrong_password", message: "That is not your current password." };
}

/** Changes the password of a signed-in person: other sessions end, this one stays, a notice goes out. */
export async function changePassword(input: {
  userId: string;
  sessionId: string;
  currentPassword: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<SetPasswordResult> {
  const now = input.now ?? new Date();
  const current = await checkCurrentPassword(input.userId, input.currentPassword);
  if (!current.ok) return { ok: false, reason: current.reason, message: current.message, field: "currentPassword" };
  const user = await db.user.findUniqueOrThrow({ where: { id: input.userId }, select: { id: true, email: true, name: true, role: true } });
  const policy = checkPasswordPolicy(input.password, { email: user.email, name: user.name });
  if (!policy.ok) return { ok: false, reason: "weak_password", message: policy.message, field: "password" };
  const newHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash: newHash } });
    await recordAudit(
      { action: "identity.password_changed", actor: { userId: user.id, role: user.role }, subjectType: "User", subjectId: user.id, ip: input.ip },
      tx,
    );
    await queuePasswordChangedNotice(tx, user, "changed", now);
  });
  await revokeOtherSessionsOf(user.id, input.sessionId);
  void kickOutboxWorker();
  return { ok: true };
}
