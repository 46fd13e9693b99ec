import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";

/** A customer's own tickets, and only theirs: the filter comes from the session, never from input. */
export async function listTicketsOfCustomerAccount(actor: Actor, take = 50) {
  return db.ticket.findMany({
    where: { requesterUserId: actor.userId },
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, number: true, subject: true, status: true, priority: true, lastActivityAt: true },
  });
}
