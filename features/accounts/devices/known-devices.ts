import "server-only";
import { recordAudit } from "@/platform/audit";
import { db, type Role } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { publicBaseUrl } from "@/platform/env";
import { isUuid } from "@/platform/ids";
import { enqueueEmail, enqueueSms, kickOutboxWorker } from "@/platform/outbox/outbox";
import { DomainError } from "@/platform/errors";
import { createDisputeToken, DISPUTE_LINK_LIFETIME_SECONDS } from "@/features/accounts/contact-change/contact-change";
import {
  browserSummary,
  cookieFromHeader,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  deviceCookieName,
  deviceIdHash,
  newDeviceId,
  placeOfIp,
  readDeviceCookie,
  signDeviceId,
} from "@/features/accounts/devices/device-cookie";
import { newDeviceSms, renderNewDeviceNotice } from "@/features/accounts/devices/new-device-emails";
import { SECURITY_ACTIONS } from "@/features/identity/security-actions";

/**
 * Known browsers (KnownDevice) and the new-device rule of sign-in. Server only.
 *
 * A password sign-in from a browser whose device cookie is not known for the account (no cookie,
 * a forged or foreign one, or a device the person signed out) does not complete at once: an
 * account without two-factor sign-in is asked for a code sent to its verified email (or verified
 * mobile), purpose new_device_sign_in, with every rule of the code engine; an account with
 * two-factor sign-in is asked for its second factor only (never twice). Once that step passes,
 * the browser becomes known (`finishSignInOnDevice`) and a notice with a "this wasn't me" link goes
 * to the verified channel. The next sign-in from the same browser needs only the password.
 */

export const NEW_DEVICE_SIGN_IN_ACTION = SECURITY_ACTIONS.newDeviceSignIn;

export function secureCookies(): boolean {
  return publicBaseUrl().startsWith("https://");
}

/** The Set-Cookie options of the device cookie (HttpOnly, SameSite=Lax, Secure over HTTPS, a year). */
export function deviceCookie(value: string) {
  const secure = secureCookies();
  return {
    name: deviceCookieName(secure),
    value,
    options: { httpOnly: true, secure, sameSite: "lax" as const, path: "/", maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS },
  };
}

/** The device id in a request's Cookie header when its signature is ours, else null. */
export function deviceIdFromCookieHeader(header: string | null | undefined): string | null {
  return readDeviceCookie(cookieFromHeader(header, deviceCookieName(secureCookies())));
}

/** The account's known device behind this device id, or null (a foreign or forgotten id is unknown). */
export async function knownDeviceOf(userId: string, deviceId: string | null): Promise<{ id: string } | null> {
  if (!deviceId) return null;
  return db.knownDevice.findUnique({ where: { userId_idHash: { userId, idHash: deviceIdHash(userId, deviceId) } }, select: { id: true } });
}

/** Marks a known device as just used by this session. */
export async function touchKnownDevice(knownDeviceId: string, input: { sessionId: string; ip: string | null; userAgent: string | null; now?: Date }) {
  const now = input.now ?? new Date();
  await db.knownDevice.update({
    where: { id: knownDeviceId },
    data: { lastSeenAt: now, lastIp: input.ip, browser: browserSummary(input.userAgent) },
  });
  await db.authSession.updateMany({ where: { id: input.sessionId }, data: { knownDeviceId } });
}

export interface FinishedOnDevice {
  /** The device cookie to (re)set on the browser. */
  cookieValue: string;
  /** True when this sign-in made the browser known: the notice went out. */
  newDevice: boolean;
}

/**
 * After a sign-in's last step (the new-device code or the second factor): a known browser is
 * touched; an unknown one is remembered, and the notice with the "this wasn't me" link is queued
 * to the verified email (or, without one, the verified mobile). Returns the cookie to set.
 */
export async function finishSignInOnDevice(input: {
  userId: string;
  sessionId: string;
  cookieDeviceId: string | null;
  ip: string | null;
  userAgent: string | null;
  now?: Date;
}): Promise<FinishedOnDevice> {
  const now = input.now ?? new Date();
  const known = await knownDeviceOf(input.userId, input.cookieDeviceId);
  if (known && input.cookieDeviceId) {
    await touchKnownDevice(known.id, { ...input, now });
    return { cookieValue: signDeviceId(input.cookieDeviceId), newDevice: false };
  }
  // A valid id of this browser (known to another account of the household) is kept; anything else gets a new one.
  const deviceId = input.cookieDeviceId ?? newDeviceId();
  const browser = browserSummary(input.userAgent);
  const place = placeOfIp(input.ip);
  const user = await db.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { role: true, email: true, emailVerifiedAt: true, phoneE164: true, phoneVerifiedAt: true },
  });
  try {
    await db.$transaction(async (tx) => {
      const device = await tx.knownDevice.create({
        data: { userId: input.userId, idHash: deviceIdHash(input.userId, deviceId), firstSeenAt: now, lastSeenAt: now, lastIp: input.ip, browser },
        select: { id: true },
      });
      await tx.authSession.updateMany({ where: { id: input.sessionId }, data: { knownDeviceId: device.id } });
      // The audit event is what the "this wasn't me" link names, and what an agent's panel reads as recent risk.
      const event = await tx.auditEvent.create({
        data: {
          action: NEW_DEVICE_SIGN_IN_ACTION,
          actorUserId: input.userId,
          actorRole: user.role,
          subjectType: "User",
          subjectId: input.userId,
          ip: input.ip,
          details: { knownDeviceId: device.id, browser },
          at: now,
        },
        select: { id: true },
      });
      const disputeLink = `${publicBaseUrl()}/security/dispute?token=${createDisputeToken(event.id.toString(), input.userId, now)}`;
      if (user.emailVerifiedAt || !(user.phoneE164 && user.phoneVerifiedAt)) {
        const notice = await renderNewDeviceNotice({
          browser,
          place,
          signedInAt: now,
          disputeLink,
          disputeLifetime: `${DISPUTE_LINK_LIFETIME_SECONDS / (24 * 60 * 60)} days`,
        });
        await enqueueEmail({ kind: "new-device-notice", to: user.email, subject: notice.subject, text: notice.text, html: notice.html, sensitive: true }, tx);
      } else {
        await enqueueSms({ kind: "new-device-notice", to: user.phoneE164!, text: newDeviceSms({ browser, disputeLink }), sensitive: true }, tx);
      }
    });
  } catch (error) {
    // The same browser finishing two sign-ins at once: the other one remembered it and sent the notice.
    if (!isUniqueViolation(error)) throw error;
    const again = await knownDeviceOf(input.userId, deviceId);
    if (again) await touchKnownDevice(again.id, { ...input, now });
    return { cookieValue: signDeviceId(deviceId), newDevice: false };
  }
  void kickOutboxWorker();
  return { cookieValue: signDeviceId(deviceId), newDevice: true };
}

// ───────────────────────────── The security page ─────────────────────────────

export interface DeviceRow {
  id: string;
  browser: string;
  place: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  current: boolean;
  activeSessions: number;
}

export interface SessionRow {
  id: string;
  browser: string;
  place: string;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
  deviceId: string | null;
}

/** The account's known browsers and live sessions, most recently used first. */
export async function devicesAndSessions(
  userId: string,
  currentSessionId: string,
  now: Date = new Date(),
): Promise<{ devices: DeviceRow[]; sessions: SessionRow[] }> {
  const [devices, sessions] = await Promise.all([
    db.knownDevice.findMany({ where: { userId }, orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }], take: 100 }),
    db.authSession.findMany({
      where: { userId, revokedAt: null, secondFactorDue: false, expiresAt: { gt: now } },
      orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
      take: 100,
    }),
  ]);
  const current = sessions.find((session) => session.id === currentSessionId);
  return {
    devices: devices.map((device) => ({
      id: device.id,
      browser: device.browser ?? "Unknown browser",
      place: placeOfIp(device.lastIp),
      firstSeenAt: device.firstSeenAt,
      lastSeenAt: device.lastSeenAt,
      current: current?.knownDeviceId === device.id,
      activeSessions: sessions.filter((session) => session.knownDeviceId === device.id).length,
    })),
    sessions: sessions.map((session) => ({
      id: session.id,
      browser: browserSummary(session.userAgent),
      place: placeOfIp(session.ip),
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      current: session.id === currentSessionId,
      deviceId: session.knownDeviceId,
    })),
  };
}

interface Who {
  userId: string;
  role: Role;
  sessionId: string;
  ip: string;
}

/** Ends one of the person's own sessions (not this one: that is "Sign out"). */
export async function signOutSession(who: Who, sessionId: string): Promise<{ message: string }> {
  if (!isUuid(sessionId)) throw new DomainError("There is no such session.", "not_found");
  if (sessionId === who.sessionId) throw new DomainError("That is this session: use Sign out at the top of the page to end it.", "invalid");
  const done = await db.authSession.updateMany({ where: { id: sessionId, userId: who.userId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (done.count !== 1) throw new DomainError("That session has already ended.", "not_found");
  await recordAudit({
    action: "auth.session_revoked",
    actor: { userId: who.userId, role: who.role },
    subjectType: "AuthSession",
    subjectId: sessionId,
    ip: who.ip,
  });
  return { message: "That session has ended." };
}

/**
 * Forgets one of the person's browsers and ends its sessions: the next sign-in from it asks for a
 * code again. Forgetting the browser in use signs this session out too.
 */
export async function forgetDevice(who: Who, knownDeviceId: string): Promise<{ message: string; signedOutHere: boolean }> {
  if (!isUuid(knownDeviceId)) throw new DomainError("There is no such device.", "not_found");
  return db.$transaction(async (tx) => {
    const device = await tx.knownDevice.findFirst({ where: { id: knownDeviceId, userId: who.userId }, select: { id: true, browser: true } });
    if (!device) throw new DomainError("That device is no longer on your account.", "not_found");
    const here = await tx.authSession.count({ where: { id: who.sessionId, knownDeviceId: device.id } });
    const ended = await tx.authSession.updateMany({
      where: { userId: who.userId, knownDeviceId: device.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await tx.knownDevice.delete({ where: { id: device.id } });
    await recordAudit(
      {
        action: "auth.device_forgotten",
        actor: { userId: who.userId, role: who.role },
        subjectType: "KnownDevice",
        subjectId: device.id,
        ip: who.ip,
        details: { sessionsEnded: ended.count },
      },
      tx,
    );
    return {
      message: `${device.browser ?? "That browser"} is forgotten and its sessions have ended: signing in from it asks for a code again.`,
      signedOutHere: here > 0,
    };
  });
}

/** Ends every other session of the person; their browsers stay known. */
export async function signOutEverywhereElse(who: Who): Promise<{ message: string; count: number }> {
  const result = await db.authSession.updateMany({
    where: { userId: who.userId, revokedAt: null, id: { not: who.sessionId } },
    data: { revokedAt: new Date() },
  });
  await recordAudit({
    action: "auth.other_sessions_revoked",
    actor: { userId: who.userId, role: who.role },
    subjectType: "User",
    subjectId: who.userId,
    ip: who.ip,
    details: { count: result.count },
  });
  return { message: result.count === 1 ? "1 other session has ended." : `${result.count} other sessions have ended.`, count: result.count };
}
