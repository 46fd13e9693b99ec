import { recordAudits } from "@/platform/audit";
import { entitlementOf } from "@/features/customers/agreements";
import { db, type Prisma } from "@/platform/db/client";
import { serverEnv } from "@/platform/env";
import { appNow } from "@/platform/clock";
import { slaDueTimes } from "./policies";
import { notifySlaBreaches } from "@/features/notifications/notify";
import { emitWebhookEvent } from "@/features/webhooks/events";

/**
 * The SLA job: a sweep every SLA_JOB_INTERVAL_SECONDS in every app instance. It keeps no state of
 * its own — due times live on the tickets and each escalation it raised is a row unique per
 * (ticket, SLA event) — so a restarted instance simply catches up on its next sweep, and any number
 * of instances can sweep at once: rows are taken with SKIP LOCKED, and the insert is
 * ON CONFLICT DO NOTHING, so an event escalates a ticket exactly once whoever gets there first.
 */

export const SLA_EVENTS = ["first_response_warning", "first_response_breach", "resolution_warning", "resolution_breach"] as const;
export type SlaEvent = (typeof SLA_EVENTS)[number];

/** Tickets (or escalations) per transaction: small enough to commit well inside the timeout below. */
export const DEFAULT_SLA_BATCH_SIZE = 500;
/**
 * A deliberate limit for each batch's transaction (Prisma's default is 5 s, which a busy database
 * blew through on a 100,000-ticket backlog: "expired transaction"). A batch normally takes well
 * under a second; one that takes this long rolls back and the next sweep takes it again.
 */
export const SLA_TRANSACTION_TIMEOUT_MS = 30_000;
const SLA_TRANSACTION_OPTIONS = { timeout: SLA_TRANSACTION_TIMEOUT_MS, maxWait: 10_000 };
/** How long one sweep keeps taking batches; a larger backlog is finished by the next sweeps. */
export const DEFAULT_SLA_SWEEP_BUDGET_MS = 20_000;

export type SlaSweepSummary = {
  backfilled: number;
  escalated: number;
  /** The size of each transaction this sweep committed (backfill and escalation batches). */
  batches: number[];
  /** Open tickets still without due times after this sweep. */
  remaining: number;
};

/** How far the filling-in of missing due times has come; kept in AppSetting for the supervisors' SLA page. */
export type SlaBackfillProgress = {
  /** Tickets without due times when this backlog was first seen. */
  total: number;
  remaining: number;
  startedAt: Date;
  lastSweepAt: Date;
  /** When the last ticket got its due times; null while some are left. */
  finishedAt: Date | null;
};

export const SLA_BACKFILL_PROGRESS_KEY = "sla.backfill-progress";

const DUE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "Mon 2 Mar, 10:42 UTC": staff in any zone read the same words. */
function formatDue(dueAt: Date): string {
  return `${DUE_FORMAT.format(dueAt)} UTC`;
}

export function slaEscalationNote(event: SlaEvent, dueAt: Date): string {
  const due = formatDue(dueAt);
  switch (event) {
    case "first_response_warning":
      return `First response due ${due} is at risk: the customer has not been answered yet.`;
    case "first_response_breach":
      return `First response due ${due} was missed.`;
    case "resolution_warning":
      return `Resolution due ${due} is at risk: the ticket is still open.`;
    case "resolution_breach":
      return `Resolution due ${due} was missed.`;
  }
}

/**
 * Gives due times to open tickets created without them (any creation path that did not call
 * applySlaToTicket; an import; an upgrade). Set-based, so a batch of 500 is a handful of
 * statements: the batch's tickets, their customers' agreements and the policies are read once, the
 * due times computed here (business hours need the policy's calendar), and written in one UPDATE.
 * The result is the same as applySlaToTicket's for each ticket.
 */
async function backfillBatch(limit: number): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; customerId: string | null; createdAt: Date }[]>`
      SELECT "id", "customerId", "createdAt" FROM "Ticket"
      WHERE "slaScope" IS NULL AND "status" NOT IN ('solved', 'closed')
      ORDER BY "createdAt"
      LIMIT ${limit}
      FOR NO KEY UPDATE SKIP LOCKED`;
    if (rows.length === 0) return 0;
    const customerIds = [...new Set(rows.flatMap((row) => (row.customerId ? [row.customerId] : [])))];
    // A customer is entitled by their own agreements and by their organisation's (features/customers/agreements.ts).
    const organisationOf = new Map(
      (await tx.customer.findMany({ where: { id: { in: customerIds }, organisationId: { not: null } }, select: { id: true, organisationId: true } })).map(
        (customer) => [customer.id, customer.organisationId],
      ),
    );
    const organisationIds = [...new Set([...organisationOf.values()].filter((id): id is string => id !== null))];
    const agreements = await tx.supportAgreement.findMany({
      where: { OR: [{ customerId: { in: customerIds } }, { organisationId: { in: organisationIds } }] },
      select: { customerId: true, organisationId: true, tier: true, startsOn: true, endsOn: true, cancelledAt: true },
    });
    const agreementsOf = new Map<string, typeof agreements>();
    for (const agreement of agreements) {
      const holder = agreement.customerId ?? agreement.organisationId;
      if (holder) agreementsOf.set(holder, [...(agreementsOf.get(holder) ?? []), agreement]);
    }
    const entitlingAgreements = (customerId: string) => {
      const organisationId = organisationOf.get(customerId);
      return [...(agreementsOf.get(customerId) ?? []), ...(organisationId ? (agreementsOf.get(organisationId) ?? []) : [])];
    };
    const policies = new Map((await tx.slaPolicy.findMany()).map((policy) => [policy.scope, policy]));
    const ids: string[] = [];
    const scopes: string[] = [];
    const firstResponse: string[] = [];
    const resolution: string[] = [];
    for (const row of rows) {
      const entitlement = row.customerId ? entitlementOf(entitlingAgreements(row.customerId), row.createdAt) : null;
      const scope = entitlement?.status === "valid" && entitlement.tier ? entitlement.tier : "no_agreement";
      const policy = policies.get(scope);
      if (!policy) throw new Error(`SLA policy ${scope} is missing (the migration inserts all four).`);
      const due = slaDueTimes(policy, row.createdAt);
      ids.push(row.id);
      scopes.push(scope);
      // UTC wall-clock text for these "timestamp without time zone" columns, as Prisma stores them.
      firstResponse.push(due.firstResponseDueAt.toISOString());
      resolution.push(due.resolutionDueAt.toISOString());
    }
    await tx.$executeRaw`
      UPDATE "Ticket" AS t
      SET "slaScope" = v."scope", "firstResponseDueAt" = v."firstResponseDueAt"::timestamp, "resolutionDueAt" = v."resolutionDueAt"::timestamp
      FROM unnest(${ids}::uuid[], ${scopes}::text[], ${firstResponse}::text[], ${resolution}::text[])
        AS v("id", "scope", "firstResponseDueAt", "resolutionDueAt")
      WHERE t."id" = v."id"`;
    return rows.length;
  }, SLA_TRANSACTION_OPTIONS);
}

/** Open tickets still without due times. */
async function countMissingDueTimes(): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS "count" FROM "Ticket" WHERE "slaScope" IS NULL AND "status" NOT IN ('solved', 'closed')`;
  return row?.count ?? 0;
}

type DueEvent = { ticketId: string; event: SlaEvent; dueAt: Date };

/**
 * Events whose time has come and that have not escalated yet. A warning fires from
 * (due − warnBefore) until the due time; once past the due time only the breach is raised
 * (a warning for something already missed would be noise). The first-response events stop
 * once the customer is answered; all stop when the ticket is solved or closed. The resolution
 * events also wait while the clock is paused (waiting on the customer, features/sla/pause.ts): the due
 * time moves later when it resumes, so a breach now would be one the ticket never had.
 */
async function dueEvents(tx: Prisma.TransactionClient, now: Date, limit: number): Promise<DueEvent[]> {
  // Only tickets due before now + the longest warning can have an event: a range both due-time
  // indexes answer, so the sweep stays cheap however many tickets there are.
  const [longest] = await tx.$queryRaw<{ longestWarning: number }[]>`SELECT COALESCE(MAX("warnBeforeMinutes"), 0)::int AS "longestWarning" FROM "SlaPolicy"`;
  const horizon = new Date(now.getTime() + (longest?.longestWarning ?? 0) * 60_000);
  return tx.$queryRaw<DueEvent[]>`
    SELECT t."id" AS "ticketId", e."event" AS "event", e."dueAt" AS "dueAt"
    FROM "Ticket" t
    JOIN "SlaPolicy" p ON p."scope" = t."slaScope"
    CROSS JOIN LATERAL (VALUES
      ('first_response_warning', t."firstResponseDueAt", p."warnBeforeMinutes" > 0 AND t."firstResponseAt" IS NULL AND ${now} < t."firstResponseDueAt"),
      ('first_response_breach',  t."firstResponseDueAt", t."firstResponseAt" IS NULL),
      ('resolution_warning',     t."resolutionDueAt",    p."warnBeforeMinutes" > 0 AND ${now} < t."resolutionDueAt" AND t."slaPausedAt" IS NULL),
      ('resolution_breach',      t."resolutionDueAt",    t."slaPausedAt" IS NULL)
    ) AS e("event", "dueAt", "applies")
    WHERE t."status" NOT IN ('solved', 'closed')
      AND e."applies"
      AND e."dueAt" - make_interval(mins => CASE WHEN e."event" LIKE '%warning' THEN p."warnBeforeMinutes" ELSE 0 END) <= ${now}
      AND (t."firstResponseDueAt" <= ${horizon} OR t."resolutionDueAt" <= ${horizon})
      AND NOT EXISTS (SELECT 1 FROM "Escalation" x WHERE x."ticketId" = t."id" AND x."slaEvent" = e."event")
    ORDER BY e."dueAt"
    LIMIT ${limit}
    FOR NO KEY UPDATE OF t SKIP LOCKED`;
}

async function escalateBatch(now: Date, limit: number): Promise<{ found: number; escalated: number }> {
  return db.$transaction(async (tx) => {
    const events = await dueEvents(tx, now, limit);
    if (events.length === 0) return { found: 0, escalated: 0 };
    // ON CONFLICT ("ticketId", "slaEvent") DO NOTHING: returns only the rows this sweep really inserted.
    const inserted = await tx.escalation.createManyAndReturn({
      data: events.map(({ ticketId, event, dueAt }) => ({
        ticketId,
        reason: event.endsWith("_warning") ? ("sla_at_risk" as const) : ("sla_breached" as const),
        note: slaEscalationNote(event, dueAt),
        automatic: true,
        slaEvent: event,
      })),
      skipDuplicates: true,
      select: { id: true, ticketId: true, slaEvent: true, note: true },
    });
    const dueOf = new Map(events.map(({ ticketId, event, dueAt }) => [`${ticketId}:${event}`, dueAt]));
    // One statement each for the notes and the audit events, whatever the batch's size.
    await tx.ticketMessage.createMany({
      data: inserted.map((escalation) => ({
        ticketId: escalation.ticketId,
        kind: "internal_note" as const,
        body: `Escalated automatically: ${escalation.note}`,
      })),
    });
    await recordAudits(
      inserted.map((escalation) => ({
        action: "sla.escalated",
        subjectType: "Ticket",
        subjectId: escalation.ticketId,
        details: {
          escalationId: escalation.id,
          slaEvent: escalation.slaEvent,
          dueAt: dueOf.get(`${escalation.ticketId}:${escalation.slaEvent}`)?.toISOString() ?? null,
        },
      })),
      tx,
    );
    // Only rows this sweep inserted: a breach another instance (or an earlier sweep) recorded
    // notified the supervisors then, so each breach notifies once.
    await notifySlaBreaches(
      tx,
      inserted
        .filter((escalation) => escalation.slaEvent?.endsWith("_breach"))
        .map((escalation) => ({
          escalationId: escalation.id,
          ticketId: escalation.ticketId,
          note: escalation.note,
          dueAt: dueOf.get(`${escalation.ticketId}:${escalation.slaEvent}`) ?? null,
        })),
      now,
    );
    for (const escalation of inserted) {
      if (!escalation.slaEvent?.endsWith("_breach")) continue;
      await emitWebhookEvent("sla.breached", { ticketId: escalation.ticketId, escalationId: escalation.id, event: escalation.slaEvent }, tx);
    }
    return { found: events.length, escalated: inserted.length };
  }, SLA_TRANSACTION_OPTIONS);
}

/**
 * One sweep: fill in missing due times, then escalate what has come due, a bounded batch (≤
 * batchSize rows, one transaction of its own) at a time, alternating so that a huge backfill does
 * not hold up escalations, until both are done or the sweep has used its time budget. The next
 * sweep continues where this one stopped. `now` defaults to appNow().
 */
export async function runSlaSweep(options: { now?: Date; batchSize?: number; budgetMs?: number } = {}): Promise<SlaSweepSummary> {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_SLA_BATCH_SIZE));
  const deadline = Date.now() + (options.budgetMs ?? DEFAULT_SLA_SWEEP_BUDGET_MS);
  const summary: SlaSweepSummary = { backfilled: 0, escalated: 0, batches: [], remaining: 0 };
  const missingAtStart = await countMissingDueTimes();
  const now = options.now ?? (await appNow());
  let backfillDone = missingAtStart === 0;
  let escalationsDone = false;
  try {
    while (!(backfillDone && escalationsDone)) {
      if (!backfillDone) {
        const count = await backfillBatch(batchSize);
        summary.backfilled += count;
        if (count > 0) summary.batches.push(count);
        backfillDone = count < batchSize;
      }
      if (Date.now() >= deadline) break;
      if (!escalationsDone) {
        const { found, escalated } = await escalateBatch(now, batchSize);
        summary.escalated += escalated;
        if (found > 0) summary.batches.push(found);
        escalationsDone = found < batchSize;
      }
      if (Date.now() >= deadline) break;
    }
  } finally {
    // Also after a failed batch: the progress shown is what was really committed.
    summary.remaining = missingAtStart === 0 ? 0 : await countMissingDueTimes();
    if (missingAtStart > 0 || summary.backfilled > 0) await saveBackfillProgress(missingAtStart, summary.remaining);
  }
  return summary;
}

/** The filling-in of due times, as the SLA page shows it; null when there never was a backlog. */
export async function readSlaBackfillProgress(): Promise<SlaBackfillProgress | null> {
  const row = await db.appSetting.findUnique({ where: { key: SLA_BACKFILL_PROGRESS_KEY }, select: { value: true } });
  const value = row?.value as { total?: unknown; remaining?: unknown; startedAt?: unknown; lastSweepAt?: unknown; finishedAt?: unknown } | undefined;
  if (!value || typeof value.total !== "number" || typeof value.remaining !== "number") return null;
  const date = (text: unknown) => (typeof text === "string" ? new Date(text) : null);
  const startedAt = date(value.startedAt);
  const lastSweepAt = date(value.lastSweepAt);
  if (!startedAt || !lastSweepAt) return null;
  return { total: value.total, remaining: value.remaining, startedAt, lastSweepAt, finishedAt: date(value.finishedAt) };
}

/**
 * A backlog is "seen" by the first sweep that finds it; its total stays until it is worked off,
 * and grows if more tickets without due times arrive meanwhile (another import).
 */
async function saveBackfillProgress(missingAtStart: number, remaining: number): Promise<void> {
  const previous = await readSlaBackfillProgress();
  const at = new Date();
  const running = previous !== null && previous.finishedAt === null;
  const total = running ? Math.max(previous.total, previous.total - previous.remaining + missingAtStart) : missingAtStart;
  const value = {
    total,
    remaining,
    startedAt: (running ? previous.startedAt : at).toISOString(),
    lastSweepAt: at.toISOString(),
    finishedAt: remaining === 0 ? at.toISOString() : null,
  };
  await db.appSetting.upsert({ where: { key: SLA_BACKFILL_PROGRESS_KEY }, create: { key: SLA_BACKFILL_PROGRESS_KEY, value }, update: { value } });
}

// ───────────────────────────── The loop in each instance ─────────────────────────────

interface SlaJob {
  interval: ReturnType<typeof setInterval>;
  stopped: boolean;
  current: Promise<void> | null;
}

// On globalThis, like the outbox worker: Next's bundles and dev reloads must find the one loop.
const globalForJob = globalThis as unknown as { veridesk_slaJob?: SlaJob };

/** Starts this instance's sweep loop unless SLA_JOB=off; a second call does nothing. Returns whether it runs. */
export function startSlaJob(options: { intervalMs?: number } = {}): boolean {
  if (globalForJob.veridesk_slaJob) return true;
  const env = serverEnv();
  if (env.SLA_JOB === "off") return false;
  const job: SlaJob = {
    interval: setInterval(() => sweepSoon(job), options.intervalMs ?? env.SLA_JOB_INTERVAL_SECONDS * 1000),
    stopped: false,
    current: null,
  };
  job.interval.unref();
  globalForJob.veridesk_slaJob = job;
  sweepSoon(job);
  return true;
}

/** Stops the loop and waits for the sweep in progress. */
export async function stopSlaJob(): Promise<void> {
  const job = globalForJob.veridesk_slaJob;
  if (!job) return;
  job.stopped = true;
  clearInterval(job.interval);
  globalForJob.veridesk_slaJob = undefined;
  await job.current;
}

/** A tick while a sweep still runs is skipped: the next one picks up whatever is left. */
function sweepSoon(job: SlaJob): void {
  if (job.stopped || job.current) return;
  job.current = runSlaSweep()
    .then(() => undefined)
    .catch((error: unknown) => {
      // Typically the database is unreachable; the next tick tries again.
      console.error(`[sla] sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    })
    .finally(() => {
      job.current = null;
    });
}
