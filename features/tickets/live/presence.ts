import "server-only";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import type { PresenceHeartbeat } from "@/features/tickets/live/schemas";

/**
 * Who else has a ticket open. Each open agent ticket page sends a heartbeat every
 * PRESENCE_HEARTBEAT_SECONDS; a row lives PRESENCE_TTL_SECONDS past the last one, so a closed
 * laptop or a crashed tab disappears within a minute without anyone cleaning up. Rows are in
 * PostgreSQL so every instance sees them; a trigger announces each change (ticket events, kind
 * "presence") and the pages re-read the list.
 */
export const PRESENCE_HEARTBEAT_SECONDS = 20;
export const PRESENCE_TTL_SECONDS = 45;

export type PresenceEntry = { userId: string; name: string; state: "viewing" | "replying"; expiresAt: Date };

/** Records (or, for "gone", removes) this person's presence on the ticket. Throws not_found for an unknown ticket. */
export async function recordPresence(userId: string, ticketId: string, { state }: PresenceHeartbeat, now: Date = new Date()): Promise<void> {
  if (state === "gone") {
    await db.ticketPresence.deleteMany({ where: { ticketId, userId } });
    return;
  }
  const expiresAt = new Date(now.getTime() + PRESENCE_TTL_SECONDS * 1000);
  // One statement: no row is written for a ticket that does not exist (and no foreign-key error to catch).
  const written = await db.$executeRaw`
    INSERT INTO "TicketPresence" ("ticketId", "userId", "state", "expiresAt")
    SELECT t."id", ${userId}::uuid, ${state}::"TicketPresenceState", ${expiresAt}
    FROM "Ticket" t WHERE t."id" = ${ticketId}::uuid
    ON CONFLICT ("ticketId", "userId") DO UPDATE SET "state" = EXCLUDED."state", "expiresAt" = EXCLUDED."expiresAt"`;
  if (written === 0) throw new DomainError("This ticket does not exist.", "not_found");
  // Long-expired rows of anyone (left without saying so) are swept by whoever writes next.
  await db.ticketPresence.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - PRESENCE_TTL_SECONDS * 1000) } } });
}

/** The people currently on the ticket, oldest arrival order not kept: by name. */
export async function presenceOnTicket(ticketId: string, now: Date = new Date()): Promise<PresenceEntry[]> {
  const rows = await db.ticketPresence.findMany({
    where: { ticketId, expiresAt: { gt: now } },
    select: { userId: true, state: true, expiresAt: true, user: { select: { name: true } } },
    orderBy: { user: { name: "asc" } },
  });
  return rows.map((row) => ({ userId: row.userId, name: row.user.name, state: row.state, expiresAt: row.expiresAt }));
}
