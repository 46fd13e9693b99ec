import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { Prisma, db, type NotificationKind } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { DomainError } from "@/platform/errors";
import { kindsFor } from "@/features/notifications/kinds";

/**
 * A person's own notifications: the bell's count, the list, marking read, and which kinds they
 * want by email. Every query is scoped to the actor's user id from the session; a notification
 * of someone else is "not found", never touched.
 */

export const RECENT_NOTIFICATIONS = 50;

/** The bell's number, on every staff page: a prepared statement, not a Prisma query (see actorForSession). */
export async function unreadNotificationCount(actor: Pick<Actor, "userId">): Promise<number> {
  const [row] = await queryPrepared<{ unread: number }>(
    Prisma.sql`SELECT count(*)::int AS "unread" FROM "Notification" WHERE "recipientId" = CAST(${actor.userId} AS uuid) AND "readAt" IS NULL`,
  );
  return row?.unread ?? 0;
}

export async function recentNotifications(actor: Pick<Actor, "userId">, take = RECENT_NOTIFICATIONS) {
  return db.notification.findMany({
    where: { recipientId: actor.userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(take, 1), 200),
    select: { id: true, kind: true, summary: true, createdAt: true, readAt: true, ticket: { select: { id: true, number: true } } },
  });
}

export async function markNotificationRead(actor: Pick<Actor, "userId">, notificationId: string, now = new Date()): Promise<void> {
  const { count } = await db.notification.updateMany({ where: { id: notificationId, recipientId: actor.userId, readAt: null }, data: { readAt: now } });
  if (count > 0) return;
  const exists = await db.notification.count({ where: { id: notificationId, recipientId: actor.userId } });
  if (!exists) throw new DomainError("That notification does not exist.", "not_found");
}

export async function markAllNotificationsRead(actor: Pick<Actor, "userId">, now = new Date()): Promise<number> {
  const { count } = await db.notification.updateMany({ where: { recipientId: actor.userId, readAt: null }, data: { readAt: now } });
  return count;
}

/** The kinds this person can receive, each with whether its email is on (no row = on). */
export async function notificationPreferences(actor: Pick<Actor, "userId" | "role">): Promise<{ kind: NotificationKind; email: boolean }[]> {
  const rows = await db.notificationPreference.findMany({ where: { userId: actor.userId }, select: { kind: true, email: true } });
  const chosen = new Map(rows.map((row) => [row.kind, row.email]));
  return kindsFor(actor.role).map((kind) => ({ kind, email: chosen.get(kind) ?? true }));
}

/** Email on for `emailKinds`, off for every other kind the person can receive; the bell is always on. */
export async function saveNotificationPreferences(actor: Pick<Actor, "userId" | "role">, emailKinds: readonly NotificationKind[]) {
  const kinds = kindsFor(actor.role);
  if (kinds.length === 0) throw new DomainError("Your account has no staff notifications to set.", "forbidden");
  const wanted = new Set(emailKinds);
  await db.$transaction(
    kinds.map((kind) =>
      db.notificationPreference.upsert({
        where: { userId_kind: { userId: actor.userId, kind } },
        create: { userId: actor.userId, kind, email: wanted.has(kind) },
        update: { email: wanted.has(kind) },
      }),
    ),
  );
  return notificationPreferences(actor);
}
