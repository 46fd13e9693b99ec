import "server-only";
import { db, Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import type { AgreementTier } from "@/platform/db/generated/prisma/enums";
import type { EscalationQueueCursor, EscalationQueueFilter } from "@/features/escalations/schemas";
import { type SlaState, slaStateOf } from "@/features/sla/state";
import { entitlementJoinSql } from "@/features/identity/identity-sql";
import { type ActiveStaffMember, activeStaff } from "@/features/staff/active-staff";

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

/** Rows strictly after the cursor in (raisedAt, id) order: the keyset of the queue's pages. */
const afterCursor = (cursor: EscalationQueueCursor): Prisma.EscalationWhereInput => ({
  OR: [{ raisedAt: { gt: cursor.raisedAt } }, { raisedAt: cursor.raisedAt, id: { gt: cursor.id } }],
});

export const ESCALATION_PAGE_SIZE = 50;

/**
 * The supervisors' escalation queue, oldest first (the longest wait is the most urgent), one page
 * at a time by keyset on (raisedAt, id) — stable while rows are claimed or resolved between pages —
 * with the exact counts of each filter. SLA state is computed from the ticket's due times with its
 * policy's warn-before; the tier is the customer's best agreement valid today.
 */
/** What the queue and the ticket's banner show of an escalation itself. */
const ESCALATION_FIELDS = {
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
} as const satisfies Prisma.EscalationSelect;

export async function escalationQueue(filter: EscalationQueueFilter, viewerId: string, now: Date, page: { after?: EscalationQueueCursor; take?: number } = {}) {
  const take = page.take ?? ESCALATION_PAGE_SIZE;
  const where = queueWhere(filter, viewerId);
  const [fetched, unclaimed, mine, open, before] = await Promise.all([
    db.escalation.findMany({
      where: page.after ? { AND: [where, afterCursor(page.after)] } : where,
      orderBy: [{ raisedAt: "asc" }, { id: "asc" }],
      // One more than a page: tells whether a next page exists without counting.
      take: take + 1,
      select: {
        ...ESCALATION_FIELDS,
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
            slaPausedAt: true,
            assignee: { select: { name: true } },
            customer: { select: { name: true } },
          },
        },
      },
    }),
    db.escalation.count({ where: queueWhere("unclaimed", viewerId) }),
    db.escalation.count({ where: queueWhere("mine", viewerId) }),
    db.escalation.count({ where: queueWhere("open", viewerId) }),
    // Rows on earlier pages (still matching the filter now), for "showing 51–100 of 120".
    page.after ? db.escalation.count({ where: { AND: [where, { NOT: afterCursor(page.after) }] } }) : Promise.resolve(0),
  ]);
  const rows = fetched.slice(0, take);
  const last = rows.at(-1);
  const nextCursor = fetched.length > take && last ? { raisedAt: last.raisedAt, id: last.id } : null;

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
  return { items, counts: { unclaimed, mine, open }, firstPosition: before + 1, nextCursor };
}

/** The ticket's escalations still waiting for (or held by) a supervisor, for the ticket page's banner. */
export async function activeEscalationsForTicket(ticketId: string) {
  // Most tickets have none: a prepared probe answers that on the ticket page's every open, without
  // compiling the Prisma query below (ARCHITECTURE.md, "Hot paths").
  const [probe] = await queryPrepared<{ any: boolean }>(
    Prisma.sql`SELECT EXISTS (SELECT 1 FROM "Escalation" WHERE "ticketId" = ${ticketId}::uuid AND "status" IN (${Prisma.join([...ACTIVE])})) AS "any"`,
  );
  if (!probe?.any) return [];
  return db.escalation.findMany({
    where: { ticketId, status: { in: [...ACTIVE] } },
    orderBy: { raisedAt: "asc" },
    select: ESCALATION_FIELDS,
  });
}
export type ActiveEscalation = Awaited<ReturnType<typeof activeEscalationsForTicket>>[number];

/** Staff a supervisor can hand an escalated ticket to (active agents first, then supervisors). */
export async function reassignableStaff(): Promise<ActiveStaffMember[]> {
  return inReassignOrder(await activeStaff());
}

/** Active staff in the order a supervisor picks from: agents first, then supervisors, then administrators, each by name. */
export function inReassignOrder(people: ActiveStaffMember[]): ActiveStaffMember[] {
  const rank = { agent: 0, supervisor: 1, admin: 2 } as Record<string, number>;
  return [...people].sort((a, b) => (rank[a.role] ?? 3) - (rank[b.role] ?? 3) || a.name.localeCompare(b.name));
}
