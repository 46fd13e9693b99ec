import { db, Prisma } from "@/lib/db/client";
import type { AgreementTier } from "@/lib/generated/prisma/enums";
import type { EscalationQueueFilter } from "@/lib/escalations/schemas";
import { type SlaState, slaStateOf } from "@/lib/sla/state";
import { entitlementJoinSql } from "@/lib/tickets/identity-sql";

const ACTIVE = ["open", "claimed"] as const;

function queueWhere(filter: EscalationQueueFilter, viewerId: string): Prisma.EscalationWhereInput {
  if (filter === "unclaimed") return { status: "open" };
  if (filter === "mine") return { status: "claimed", assigneeId: viewerId };
  return { status: { in: [...ACTIVE] } };
}

export interface EscalationQueueRow {
  id: string;
  reason: "identity_unverified" | "customer_request" | "sla_at_risk" | "sla_breached" | "technical";
  note: string;
  status: "open" | "claimed";
  automatic: boolean;
  slaEvent: string | null;
  raisedAt: Date;
  ageSeconds: number;
  raisedBy: string | null;
  claimedBy: { id: string; name: string } | null;
  claimedAt: Date | null;
  ticket: { id: string; number: number; subject: string; status: string; priority: string; assignee: string | null };
  customer: { name: string; tier: AgreementTier | null } | null;
  sla: SlaState;
}

/**
 * The supervisors' escalation queue, oldest first (the longest wait is the most urgent), with the
 * counts of each filter. SLA state is computed from the ticket's due times with its policy's
 * warn-before; the tier is the customer's best agreement valid today.
 */
export async function escalationQueue(filter: EscalationQueueFilter, viewerId: string, now: Date, take = 100) {
  const [rows, unclaimed, mine, open] = await Promise.all([
    db.escalation.findMany({
      where: queueWhere(filter, viewerId),
      orderBy: [{ raisedAt: "asc" }, { id: "asc" }],
      take,
      select: {
        id: true,
        reason: true,
        note: true,
        status: true,
        automatic: true,
        slaEvent: true,
        raisedAt: true,
        claimedAt: true,
        raisedBy: { select: { name: true } },
        assignee: { select: { id: true, name: true } },
        ticket: {
          select: {
            id: true,
            number: true,
            subject: true,
            status: true,
            priority: true,
            slaScope: true,
            firstResponseAt: true,
            firstResponseDueAt: true,
            resolutionDueAt: true,
            solvedAt: true,
            assignee: { select: { name: true } },
            customer: { select: { name: true } },
          },
        },
      },
    }),
    db.escalation.count({ where: queueWhere("unclaimed", viewerId) }),
    db.escalation.count({ where: queueWhere("mine", viewerId) }),
    db.escalation.count({ where: queueWhere("open", viewerId) }),
  ]);

  const ticketIds = [...new Set(rows.map((row) => row.ticket.id))];
  const scopes = [...new Set(rows.map((row) => row.ticket.slaScope).filter((scope): scope is string => Boolean(scope)))];
  const [tiers, policies] = await Promise.all([
    ticketIds.length
      ? db.$queryRaw<{ id: string; tier: AgreementTier | null }[]>`
          SELECT c."id", CAST(ent."tier" AS text) AS "tier"
            FROM "Ticket" c ${entitlementJoinSql(now)}
           WHERE c."id" IN (${Prisma.join(ticketIds.map((id) => Prisma.sql`CAST(${id} AS uuid)`))})`
      : Promise.resolve([]),
    scopes.length ? db.slaPolicy.findMany({ where: { scope: { in: scopes } }, select: { scope: true, warnBeforeMinutes: true } }) : Promise.resolve([]),
  ]);
  const tierOf = new Map(tiers.map((row) => [row.id, row.tier]));
  const warnOf = new Map(policies.map((policy) => [policy.scope, policy.warnBeforeMinutes * 60]));

  const items: EscalationQueueRow[] = rows.map((row) => ({
    id: row.id,
    reason: row.reason,
    note: row.note,
    status: row.status as "open" | "claimed",
    automatic: row.automatic,
    slaEvent: row.slaEvent,
    raisedAt: row.raisedAt,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - row.raisedAt.getTime()) / 1000)),
    raisedBy: row.raisedBy?.name ?? null,
    claimedBy: row.assignee,
    claimedAt: row.claimedAt,
    ticket: {
      id: row.ticket.id,
      number: row.ticket.number,
      subject: row.ticket.subject,
      status: row.ticket.status,
      priority: row.ticket.priority,
      assignee: row.ticket.assignee?.name ?? null,
    },
    customer: row.ticket.customer ? { name: row.ticket.customer.name, tier: tierOf.get(row.ticket.id) ?? null } : null,
    sla: slaStateOf(row.ticket, now, row.ticket.slaScope ? (warnOf.get(row.ticket.slaScope) ?? 0) : 0),
  }));
  return { items, counts: { unclaimed, mine, open } };
}

/** The ticket's escalations still waiting for (or held by) a supervisor, for the ticket page's banner. */
export async function activeEscalationsForTicket(ticketId: string) {
  return db.escalation.findMany({
    where: { ticketId, status: { in: [...ACTIVE] } },
    orderBy: { raisedAt: "asc" },
    select: {
      id: true,
      reason: true,
      note: true,
      status: true,
      automatic: true,
      slaEvent: true,
      raisedAt: true,
      claimedAt: true,
      raisedBy: { select: { name: true } },
      assignee: { select: { id: true, name: true } },
    },
  });
}
export type ActiveEscalation = Awaited<ReturnType<typeof activeEscalationsForTicket>>[number];

/** Staff a supervisor can hand an escalated ticket to (active agents first, then supervisors). */
export async function reassignableStaff() {
  const people = await db.user.findMany({
    where: { role: { in: ["agent", "supervisor", "admin"] }, disabledAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, role: true },
  });
  const rank = { agent: 0, supervisor: 1, admin: 2 } as Record<string, number>;
  return people.sort((a, b) => (rank[a.role] ?? 3) - (rank[b.role] ?? 3) || a.name.localeCompare(b.name));
}
