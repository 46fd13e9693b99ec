import { Prisma, db, type Role, type TwoFactorMethod } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { isUuid } from "@/platform/ids";

/**
 * Server-side session records. The signed cookie only names a session; whether it is still
 * good (not signed out, not expired, user not disabled or frozen) is decided here on every
 * request, so any instance can revoke a session and every instance sees it at once.
 */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
const TOUCH_AFTER_MS = 5 * 60 * 1000;
/**
 * A session that passed the password but still owes its second factor lives this long: enough to
 * open an authenticator app or wait for a text, short enough that a half-finished sign-in on a
 * shared computer does not linger.
 */
export const SECOND_FACTOR_PENDING_MAX_AGE_SECONDS = 10 * 60;

export interface Actor {
  sessionId: string;
  userId: string;
  role: Role;
  name: string;
  email: string;
  customerId: string | null;
  /** Two-factor sign-in the account has turned on (null = none); read from the database. */
  twoFactorMethod?: TwoFactorMethod | null;
  /** IANA zone times are shown in (platform/time-zone.ts); null = not set yet. */
  timeZone?: string | null;
}

/** A session that passed the password step and still owes its second factor. */
export interface PendingSecondFactor {
  sessionId: string;
  userId: string;
  twoFactorMethod: TwoFactorMethod | null;
  /** When the pending session stops being accepted (SECOND_FACTOR_PENDING_MAX_AGE_SECONDS). */
  expiresAt: Date;
}

export async function createAuthSession(
  userId: string,
  context: { ip?: string | null; userAgent?: string | null; secondFactorDue?: boolean },
): Promise<string> {
  const session = await db.authSession.create({
    data: {
      userId,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      ip: context.ip ?? null,
      userAgent: context.userAgent?.slice(0, 300) ?? null,
      secondFactorDue: context.secondFactorDue ?? false,
    },
  });
  return session.id;
}

export async function revokeAuthSession(sessionId: string): Promise<void> {
  await db.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

export async function revokeAllSessionsOf(userId: string): Promise<void> {
  await db.authSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Signs a person out everywhere but here (after they change their password, say). */
export async function revokeOtherSessionsOf(userId: string, keepSessionId: string): Promise<number> {
  const result = await db.authSession.updateMany({ where: { userId, revokedAt: null, id: { not: keepSessionId } }, data: { revokedAt: new Date() } });
  return result.count;
}

/**
 * The pending second-factor session behind a session id, or null. Only a session that owes its
 * second factor qualifies: a complete one is an ordinary session (actorForSession), and a pending
 * one older than SECOND_FACTOR_PENDING_MAX_AGE_SECONDS, revoked, or of a disabled or frozen
 * account is nothing at all.
 */
export async function pendingSecondFactorSession(sessionId: string, now = new Date()): Promise<PendingSecondFactor | null> {
  if (!isUuid(sessionId)) return null;
  const session = await db.authSession.findUnique({
    where: { id: sessionId },
    select: {
      id: true,
      userId: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      secondFactorDue: true,
      user: { select: { disabledAt: true, frozenAt: true, twoFactorMethod: true } },
    },
  });
  if (!session || !session.secondFactorDue || session.revokedAt || session.expiresAt <= now) return null;
  if (session.user.disabledAt || session.user.frozenAt) return null;
  const pendingUntil = new Date(session.createdAt.getTime() + SECOND_FACTOR_PENDING_MAX_AGE_SECONDS * 1000);
  if (pendingUntil <= now) return null;
  return { sessionId: session.id, userId: session.userId, twoFactorMethod: session.user.twoFactorMethod, expiresAt: pendingUntil };
}

/**
 * Marks a pending session as having passed its second factor, so actorForSession accepts it from
 * now on; its lifetime starts again from this moment. One conditional UPDATE: false when the
 * session was not pending (already completed, revoked, expired or unknown).
 */
export async function completeSecondFactor(sessionId: string, now = new Date()): Promise<boolean> {
  const pendingSince = new Date(now.getTime() - SECOND_FACTOR_PENDING_MAX_AGE_SECONDS * 1000);
  const result = await db.authSession.updateMany({
    where: { id: sessionId, secondFactorDue: true, revokedAt: null, expiresAt: { gt: now }, createdAt: { gt: pendingSince } },
    data: { secondFactorDue: false, lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
  });
  return result.count === 1;
}

type SessionRow = {
  good: boolean;
  lastSeenMs: number;
  userId: string;
  role: Role;
  name: string;
  email: string;
  customerId: string | null;
  twoFactorMethod: TwoFactorMethod | null;
  timeZone: string | null;
};

/**
 * The person behind a session id, or null when the session is no longer good (signed out,
 * expired, second factor still owed, user disabled or frozen).
 *
 * Every signed-in request asks this, so it is one prepared statement (platform/db/prepared.ts)
 * rather than a Prisma query: Prisma 6 compiles each query in WASM on the request's thread
 * (~1.3 ms of CPU for this one, against ~0.1 ms prepared; issue 17). Instants are compared as
 * epoch milliseconds, since the columns are UTC timestamps without a zone.
 */
export async function actorForSession(sessionId: string, now = new Date()): Promise<Actor | null> {
  if (!isUuid(sessionId)) return null;
  const [row] = await queryPrepared<SessionRow>(Prisma.sql`
    SELECT (s."revokedAt" IS NULL AND NOT s."secondFactorDue" AND u."disabledAt" IS NULL AND u."frozenAt" IS NULL
            AND extract(epoch FROM s."expiresAt") * 1000 > CAST(${now.getTime()} AS float8)) AS "good",
           (extract(epoch FROM s."lastSeenAt") * 1000)::float8 AS "lastSeenMs",
           u."id"::text AS "userId", u."role"::text AS "role", u."name", u."email", u."customerId"::text AS "customerId",
           u."twoFactorMethod"::text AS "twoFactorMethod", u."timeZone"
      FROM "AuthSession" s JOIN "User" u ON u."id" = s."userId"
     WHERE s."id" = CAST(${sessionId} AS uuid)`);
  if (!row?.good) return null;
  if (now.getTime() - row.lastSeenMs > TOUCH_AFTER_MS) {
    await db.authSession.update({ where: { id: sessionId }, data: { lastSeenAt: now } });
  }
  return {
    sessionId,
    userId: row.userId,
    // Read from the database, not the cookie: a role change applies on the next request.
    role: row.role,
    name: row.name,
    email: row.email,
    customerId: row.customerId,
    twoFactorMethod: row.twoFactorMethod,
    timeZone: row.timeZone,
  };
}
