import type { Actor } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";

const OPEN_STATUSES = ["new", "open", "pending", "on_hold"] as const;

/** The console's first view: open work, most recently active first. */
export async function listOpenTickets(take = 50) {
  return db.ticket.findMany({
    where: { status: { in: [...OPEN_STATUSES] } },
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      number: true,
      subject: true,
      channel: true,
      status: true,
      priority: true,
      requesterName: true,
      requesterAddress: true,
      lastActivityAt: true,
      assignee: { select: { name: true } },
      customer: { select: { name: true, company: true } },
    },
  });
}

/** A customer's own tickets, and only theirs: the filter comes from the session, never from input. */
export async function listTicketsOfCustomerAccount(actor: Actor, take = 50) {
  return db.ticket.findMany({
    where: { requesterUserId: actor.userId },
    orderBy: [{ lastActivityAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, number: true, subject: true, status: true, priority: true, lastActivityAt: true },
  });
}
