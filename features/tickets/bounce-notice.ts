import "server-only";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";

/**
 * What the ticket view needs to say "Your reply did not reach the customer: the address
 * bounced" and to offer the customer's other addresses.
 *
 * Shown while the most recent reply with a known outcome (delivered or bounced) bounced; a later
 * delivered reply ends it. Alternatives are the customer's other addresses that are not bouncing
 * or complained themselves — verified ones first, the primary first among equals — each marked
 * with whether it was verified, since an unverified alias may not be the customer's at all.
 */

export interface BounceAlternative {
  address: string;
  isPrimary: boolean;
  verified: boolean;
}

export interface BounceNotice {
  /** The reply that bounced. */
  ticketMessageId: string;
  bouncedAddress: string;
  /** The provider's reason ("550 5.1.1 mailbox unavailable (Permanent, General)"), when it gave one. */
  detail: string | null;
  alternatives: BounceAlternative[];
}

export async function bounceNoticeForTicket(ticketId: string): Promise<BounceNotice | null> {
  // Most tickets never bounced: a prepared probe answers that on the ticket page's every open, without
  // compiling the Prisma queries below (ARCHITECTURE.md, "Hot paths").
  const [probe] = await queryPrepared<{ deliveryStatus: string }>(Prisma.sql`
    SELECT "deliveryStatus" FROM "TicketMessage"
     WHERE "ticketId" = ${ticketId}::uuid AND "kind" = 'public_reply' AND "outboxMessageId" IS NOT NULL AND "deliveryStatus" IN ('delivered', 'bounced')
     ORDER BY "createdAt" DESC, "id" DESC LIMIT 1`);
  if (probe?.deliveryStatus !== "bounced") return null;
  const latest = await db.ticketMessage.findFirst({
    where: { ticketId, kind: "public_reply", outboxMessageId: { not: null }, deliveryStatus: { in: ["delivered", "bounced"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, deliveryStatus: true, deliveryDetail: true, outbox: { select: { recipient: true } }, ticket: { select: { customerId: true } } },
  });
  if (!latest || latest.deliveryStatus !== "bounced" || !latest.outbox) return null;

  const bouncedAddress = latest.outbox.recipient;
  const bounced = normalizeEmail(bouncedAddress);
  const customerId =
    latest.ticket.customerId ?? (await db.customerEmail.findUnique({ where: { normalized: bounced }, select: { customerId: true } }))?.customerId ?? null;

  const others = customerId
    ? await db.customerEmail.findMany({
        where: { customerId, normalized: { not: bounced }, deliverability: { notIn: ["bouncing", "complained"] } },
        select: { address: true, isPrimary: true, verifiedAt: true },
      })
    : [];
  const alternatives = others
    .map((email) => ({ address: email.address, isPrimary: email.isPrimary, verified: email.verifiedAt !== null }))
    .sort((a, b) => Number(b.verified) - Number(a.verified) || Number(b.isPrimary) - Number(a.isPrimary) || a.address.localeCompare(b.address));

  return { ticketMessageId: latest.id, bouncedAddress, detail: latest.deliveryDetail, alternatives };
}
