import "server-only";
import type { ApiEscalation, CreateEscalationBody, ListEscalationsQuery } from "@/features/api/schemas";
import { writerOfToken } from "@/features/api/tickets";
import { escalateTicket } from "@/features/escalations/service";
import type { ApiClient } from "@/platform/auth/api-tokens";
import { db, type Prisma } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";

/**
 * Escalations of the public REST API: raised through the agents' own service (one open manual
 * escalation per ticket, a note on the thread, supervisors notified, `escalation.raised` to
 * webhooks), listed oldest first like the supervisors' queue, by keyset on (raisedAt, id).
 */

const FIELDS = {
  id: true,
  ticketId: true,
  reason: true,
  note: true,
  status: true,
  automatic: true,
  outcome: true,
  raisedAt: true,
  claimedAt: true,
  resolvedAt: true,
  raisedBy: { select: { name: true } },
  assignee: { select: { id: true, name: true } },
} as const satisfies Prisma.EscalationSelect;

type Row = Prisma.EscalationGetPayload<{ select: typeof FIELDS }>;

const apiEscalationOf = (row: Row): ApiEscalation => ({
  id: row.id,
  ticketId: row.ticketId,
  reason: row.reason,
  note: row.note,
  status: row.status,
  automatic: row.automatic,
  raisedBy: row.raisedBy?.name ?? null,
  assignee: row.assignee,
  outcome: row.outcome,
  raisedAt: row.raisedAt.toISOString(),
  claimedAt: row.claimedAt?.toISOString() ?? null,
  resolvedAt: row.resolvedAt?.toISOString() ?? null,
});

const encodeCursor = (row: { raisedAt: Date; id: string }) => Buffer.from(JSON.stringify([row.raisedAt.toISOString(), row.id]), "utf8").toString("base64url");

function decodeCursor(cursor: string): { raisedAt: Date; id: string } | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== "string" || typeof parts[1] !== "string") return null;
    const raisedAt = new Date(parts[0]);
    if (Number.isNaN(raisedAt.getTime()) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(parts[1])) return null;
    return { raisedAt, id: parts[1] };
  } catch {
    return null;
  }
}

export async function listEscalationsForApi(query: ListEscalationsQuery) {
  const size = query["page[size]"];
  const after = query["page[after]"] === undefined ? null : decodeCursor(query["page[after]"]);
  if (query["page[after]"] !== undefined && !after)
    throw new DomainError("This is not a cursor of this list: start again without page[after].", "invalid", { "page[after]": ["Not a cursor."] });
  const where: Prisma.EscalationWhereInput[] = [];
  if (query.status === "active") where.push({ status: { in: ["open", "claimed"] } });
  else if (query.status !== "all") where.push({ status: query.status });
  if (query.ticketId) where.push({ ticketId: query.ticketId });
  if (after) where.push({ OR: [{ raisedAt: { gt: after.raisedAt } }, { raisedAt: after.raisedAt, id: { gt: after.id } }] });
  const rows = await db.escalation.findMany({ where: { AND: where }, orderBy: [{ raisedAt: "asc" }, { id: "asc" }], take: size + 1, select: FIELDS });
  const page = rows.slice(0, size);
  return { data: page.map(apiEscalationOf), page: { size, next: rows.length > size ? encodeCursor(page[page.length - 1]!) : null } };
}

export async function raiseEscalationForApi(client: ApiClient, ticketId: string, body: CreateEscalationBody, ip: string | null): Promise<ApiEscalation> {
  const raised = await escalateTicket(writerOfToken(client), { ticketId, reason: body.reason, note: body.note }, { ip });
  return apiEscalationOf(await db.escalation.findUniqueOrThrow({ where: { id: raised.id }, select: FIELDS }));
}
