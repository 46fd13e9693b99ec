import { db, type Role } from "@/lib/db/client";

/**
 * Server-side session records. The signed cookie only names a session; whether it is still
 * good (not signed out, not expired, user not disabled or frozen) is decided here on every
 * request, so any instance can revoke a session and every instance sees it at once.
 */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
const TOUCH_AFTER_MS = 5 * 60 * 1000;

export interface Actor {
  sessionId: string;
  userId: string;
  role: Role;
  name: string;
  email: string;
  customerId: string | null;
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

/** The person behind a session id, or null when the session is no longer good. */
export async function actorForSession(sessionId: string, now = new Date()): Promise<Actor | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const session = await db.authSession.findUnique({ where: { id: sessionId }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt <= now || session.secondFactorDue) return null;
  const { user } = session;
  if (user.disabledAt || user.frozenAt) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.authSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return {
    sessionId: session.id,
    userId: user.id,
    // Read from the database, not the cookie: a role change applies on the next request.
    role: user.role,
    name: user.name,
    email: user.email,
    customerId: user.customerId,
  };
}
