import "server-only";
import type { Prisma, Role } from "@/platform/db/client";

export type LockedUser = { id: string; role: Role; name: string; disabledAt: Date | null };

/**
 * Locks, in one statement and in id order (two transactions never wait on each other crosswise),
 * every active administrator plus the person changed and the person changing. Every change that
 * could leave Veridesk without an active administrator (a role change, a deactivation) takes this
 * lock before counting, so two administrators acting on each other at once are serialised and the
 * second one counts what the first one did.
 */
export function lockAdminsAnd(tx: Prisma.TransactionClient, targetId: string, actorId: string): Promise<LockedUser[]> {
  return tx.$queryRaw<LockedUser[]>`
    SELECT id, role::text AS role, name, "disabledAt"
    FROM "User"
    WHERE (role = 'admin' AND "disabledAt" IS NULL) OR id = ${targetId}::uuid OR id = ${actorId}::uuid
    ORDER BY id
    FOR UPDATE`;
}

export const countActiveAdmins = (locked: LockedUser[]) => locked.filter((user) => user.role === "admin" && !user.disabledAt).length;
