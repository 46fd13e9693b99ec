import "server-only";
import { db, type DeliveryChannel, type DevMailboxMessage } from "@/platform/db/client";
import { isDemoMode } from "@/platform/env";
import { isUuid } from "@/platform/ids";

/**
 * Reading the development mailbox (/dev/mailbox). It holds the plain text of every message,
 * codes included, so it exists only in demo mode: outside it these functions refuse.
 * Messages get here through the dev-mailbox transport (transports/dev-mailbox.ts).
 */

export class DevMailboxUnavailableError extends Error {
  constructor() {
    super("The development mailbox is only available in demo mode (VERIDESK_DEMO=1).");
    this.name = "DevMailboxUnavailableError";
  }
}

function assertDemoMode(): void {
  if (!isDemoMode()) throw new DevMailboxUnavailableError();
}

export interface DevMailboxFilter {
  /** Exact address or number, case-insensitive. */
  recipient?: string;
  channel?: DeliveryChannel;
  /** At most 200; default 50. */
  take?: number;
}

/** Newest first. */
export async function listDevMailbox(filter: DevMailboxFilter = {}): Promise<DevMailboxMessage[]> {
  assertDemoMode();
  const recipient = filter.recipient?.trim();
  return db.devMailboxMessage.findMany({
    where: {
      ...(recipient ? { recipient: { equals: recipient, mode: "insensitive" as const } } : {}),
      ...(filter.channel ? { channel: filter.channel } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(Math.floor(filter.take ?? 50), 1), 200),
  });
}

/** null when there is no such message (including ids that are not UUIDs, as from a typed URL). */
export async function getDevMailboxMessage(id: string): Promise<DevMailboxMessage | null> {
  assertDemoMode();
  if (!isUuid(id)) return null;
  return db.devMailboxMessage.findUnique({ where: { id } });
}
