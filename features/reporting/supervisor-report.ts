import "server-only";
import { z } from "zod";
import { db, Prisma } from "@/platform/db/client";
import type { Deliverability, DeliveryChannel, EscalationReason, TicketChannel } from "@/platform/db/generated/prisma/enums";
import type { IdentityBadge } from "@/features/identity/ticket-identity";
import { identityBadgeSql, identityJoinsSql } from "@/features/identity/identity-sql";
import { ACTIVE_STATUSES, IDENTITY_BADGES } from "@/features/tickets/queue/schemas";

/**
 * Supervisor reporting (first version): a handful of aggregate queries over a period ending now.
 *
 *  - Open tickets by identity badge: the current state (not the period), with the queue's own
 *    badge SQL (features/identity/identity-sql.ts), over the same statuses as the queue's "Open work".
 *  - Verification success: identity checks made in the period, passed / all, by the conversation's
 *    channel and, for code checks, by the channel the code went through. Supervisor overrides are
 *    not verifications and are left out; "partial" counts as not passed.
 *  - Escalations raised in the period by reason; time to resolve (resolvedAt − raisedAt) of those
 *    resolved in the period, median and 90th percentile (PostgreSQL percentile_cont, interpolated).
 *  - SLA breaches: automatic escalations whose slaEvent ends in "_breach", raised in the period, by
 *    event and by the ticket's SLA scope (tier).
 *  - Bouncing addresses: customer addresses now bouncing or complained, with the latest few.
 */

export const REPORT_PERIODS = ["7", "30", "90"] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** The report's one input, from the URL: ?days=7|30|90 (default 30). */
export const reportQuerySchema = z.object({ days: z.enum(REPORT_PERIODS).catch("30").default("30") });

export function parseReportQuery(params: Record<string, string | string[] | undefined>): { days: ReportPeriod } {
  const days = params.days;
  return reportQuerySchema.parse({ days: Array.isArray(days) ? days[0] : days });
}

export type Count<K extends string> = { key: K; count: number };
export type Rate<K extends string> = { key: K; passed: number; total: number };
export type Durations = { resolved: number; medianSeconds: number | null; p90Seconds: number | null };

export type SupervisorReport = {
  period: { days: number; from: Date; to: Date };
  openTicketsByIdentity: Count<IdentityBadge>[];
  verificationByConversationChannel: Rate<TicketChannel | "unknown">[];
  verificationByCodeChannel: Rate<DeliveryChannel>[];
  escalationsByReason: Count<EscalationReason>[];
  timeToResolve: { overall: Durations; byReason: (Durations & { key: EscalationReason })[] };
  slaBreaches: { total: number; byEvent: Count<string>[]; byScope: Count<string>[] };
  bouncingAddresses: {
    counts: Count<Extract<Deliverability, "bouncing" | "complained">>[];
    recent: { address: string; deliverability: Deliverability; bounceCount: number; lastBouncedAt: Date | null; customerName: string; accountNumber: string }[];
  };
};

const ESCALATION_REASONS = [
  "identity_unverified",
  "customer_request",
  "sla_at_risk",
  "sla_breached",
  "technical",
] as const satisfies readonly EscalationReason[];
const TICKET_CHANNELS = ["phone", "chat", "email", "web"] as const satisfies readonly TicketChannel[];
const CODE_CHANNELS = ["email", "sms"] as const satisfies readonly DeliveryChannel[];
export const RECENT_BOUNCES = 5;

const toNumber = (value: bigint | number | null) => (value === null ? 0 : Number(value));
const nowSql = (now: Date) => Prisma.sql`CAST(${now.toISOString()} AS timestamp(3))`;

/** Every key in `keys` with its count (0 when absent), in the order of `keys`. */
function complete<K extends string>(keys: readonly K[], rows: { key: string; count: bigint | number }[]): Count<K>[] {
  const byKey = new Map(rows.map((row) => [row.key, toNumber(row.count)]));
  return keys.map((key) => ({ key, count: byKey.get(key) ?? 0 }));
}

export async function supervisorReport(options: { days?: number; now?: Date } = {}): Promise<SupervisorReport> {
  const now = options.now ?? new Date();
  const days = options.days ?? 30;
  const from = new Date(now.getTime() - days * 86_400_000);
  const inPeriod = (column: Prisma.Sql) => Prisma.sql`${column} >= ${nowSql(from)} AND ${column} < ${nowSql(now)}`;

  const [badges, byConversation, byCode, reasons, durations, breaches, bouncing, recent] = await Promise.all([
    db.$queryRaw<{ key: string; count: bigint }[]>`
      SELECT ${identityBadgeSql} AS "key", count(*) AS "count"
        FROM "Ticket" c
        ${identityJoinsSql(now)}
       WHERE c."status" IN (${Prisma.join(ACTIVE_STATUSES.map((status) => Prisma.sql`CAST(${status} AS "TicketStatus")`))})
       GROUP BY 1`,
    db.$queryRaw<{ key: string; passed: bigint; total: bigint }[]>`
      SELECT coalesce(CAST(i."conversationChannel" AS text), 'unknown') AS "key",
             count(*) FILTER (WHERE i."outcome" = 'passed') AS "passed", count(*) AS "total"
        FROM "IdentityCheck" i
       WHERE i."method" <> 'supervisor_override' AND ${inPeriod(Prisma.sql`i."createdAt"`)}
       GROUP BY 1`,
    db.$queryRaw<{ key: string; passed: bigint; total: bigint }[]>`
      SELECT CAST(i."codeChannel" AS text) AS "key",
             count(*) FILTER (WHERE i."outcome" = 'passed') AS "passed", count(*) AS "total"
        FROM "IdentityCheck" i
       WHERE i."method" IN ('email_code', 'sms_code') AND i."codeChannel" IS NOT NULL AND ${inPeriod(Prisma.sql`i."createdAt"`)}
       GROUP BY 1`,
    db.$queryRaw<{ key: string; count: bigint }[]>`
      SELECT CAST(e."reason" AS text) AS "key", count(*) AS "count"
        FROM "Escalation" e
       WHERE ${inPeriod(Prisma.sql`e."raisedAt"`)}
       GROUP BY 1`,
    // GROUPING SETS: one row per reason and one overall row (reason NULL), in one scan.
    db.$queryRaw<{ key: string | null; resolved: bigint; median: number | null; p90: number | null }[]>`
      SELECT CAST(e."reason" AS text) AS "key", count(*) AS "resolved",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e."resolvedAt" - e."raisedAt")) AS "median",
             percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e."resolvedAt" - e."raisedAt")) AS "p90"
        FROM "Escalation" e
       WHERE e."status" = 'resolved' AND e."resolvedAt" IS NOT NULL AND ${inPeriod(Prisma.sql`e."resolvedAt"`)}
       GROUP BY GROUPING SETS ((e."reason"), ())`,
    db.$queryRaw<{ event: string | null; scope: string | null; count: bigint }[]>`
      SELECT e."slaEvent" AS "event", coalesce(t."slaScope", 'none') AS "scope", count(*) AS "count"
        FROM "Escalation" e JOIN "Ticket" t ON t."id" = e."ticketId"
       WHERE e."slaEvent" LIKE '%\\_breach' AND ${inPeriod(Prisma.sql`e."raisedAt"`)}
       GROUP BY GROUPING SETS ((e."slaEvent"), (coalesce(t."slaScope", 'none')))`,
    db.customerEmail.groupBy({ by: ["deliverability"], where: { deliverability: { in: ["bouncing", "complained"] } }, _count: { _all: true } }),
    db.customerEmail.findMany({
      where: { deliverability: { in: ["bouncing", "complained"] } },
      orderBy: [{ lastBouncedAt: { sort: "desc", nulls: "last" } }, { updatedAt: "desc" }],
      take: RECENT_BOUNCES,
      select: { address: true, deliverability: true, bounceCount: true, lastBouncedAt: true, customer: { select: { name: true, accountNumber: true } } },
    }),
  ]);

  const rate = <K extends string>(keys: readonly K[], rows: { key: string; passed: bigint; total: bigint }[]): Rate<K>[] => {
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((key) => ({ key, passed: toNumber(byKey.get(key)?.passed ?? 0), total: toNumber(byKey.get(key)?.total ?? 0) }));
  };
  const durationOf = (row: { resolved: bigint; median: number | null; p90: number | null } | undefined): Durations => ({
    resolved: toNumber(row?.resolved ?? 0),
    medianSeconds: row?.median === null || row?.median === undefined ? null : Number(row.median),
    p90Seconds: row?.p90 === null || row?.p90 === undefined ? null : Number(row.p90),
  });
  const unknownChannel = byConversation.some((row) => row.key === "unknown" && row.total > 0n);
  const byEvent = breaches.filter((row) => row.event !== null).map((row) => ({ key: row.event!, count: toNumber(row.count) }));

  return {
    period: { days, from, to: now },
    openTicketsByIdentity: complete(IDENTITY_BADGES, badges),
    verificationByConversationChannel: rate<TicketChannel | "unknown">(unknownChannel ? [...TICKET_CHANNELS, "unknown"] : TICKET_CHANNELS, byConversation),
    verificationByCodeChannel: rate(CODE_CHANNELS, byCode),
    escalationsByReason: complete(ESCALATION_REASONS, reasons),
    timeToResolve: {
      overall: durationOf(durations.find((row) => row.key === null)),
      byReason: durations
        .filter((row) => row.key !== null)
        .map((row) => ({ key: row.key as EscalationReason, ...durationOf(row) }))
        .sort((a, b) => ESCALATION_REASONS.indexOf(a.key) - ESCALATION_REASONS.indexOf(b.key)),
    },
    slaBreaches: {
      total: byEvent.reduce((sum, row) => sum + row.count, 0),
      byEvent: byEvent.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      byScope: breaches
        .filter((row) => row.event === null)
        .map((row) => ({ key: row.scope!, count: toNumber(row.count) }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    },
    bouncingAddresses: {
      counts: complete(
        ["bouncing", "complained"] as const,
        bouncing.map((row) => ({ key: row.deliverability, count: row._count._all })),
      ),
      recent: recent.map((row) => ({
        address: row.address,
        deliverability: row.deliverability,
        bounceCount: row.bounceCount,
        lastBouncedAt: row.lastBouncedAt,
        customerName: row.customer.name,
        accountNumber: row.customer.accountNumber,
      })),
    },
  };
}
