import { recordAudit } from "@/platform/audit";
import { db, type Prisma } from "@/platform/db/client";
import { serverEnv } from "@/platform/env";
import { appNow } from "@/platform/clock";
import { applySlaToTicket } from "./policies";

/**
 * The SLA job: a sweep every SLA_JOB_INTERVAL_SECONDS in every app instance. It keeps no state of
 * its own — due times live on the tickets and each escalation it raised is a row unique per
 * (ticket, SLA event) — so a restarted instance simply catches up on its next sweep, and any number
 * of instances can sweep at once: rows are taken with SKIP LOCKED, and the insert is
 * ON CONFLICT DO NOTHING, so an event escalates a ticket exactly once whoever gets there first.
 */

export const SLA_EVENTS = ["first_response_warning", "first_response_breach", "resolution_warning", "resolution_breach"] as const;
export type SlaEvent = (typeof SLA_EVENTS)[number];

export const DEFAULT_SLA_BATCH_SIZE = 100;
/** Bounds one sweep: a backlog larger than this is finished by the next sweeps. */
const MAX_BATCHES_PER_SWEEP = 20;

export type SlaSweepSummary = { backfilled: number; escalated: number };

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

/** Gives due times to open tickets created without them (any creation path that did not call applySlaToTicket). */
async function backfillBatch(limit: number): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Ticket"
      WHERE "slaScope" IS NULL AND "status" NOT IN ('solved', 'closed')
      ORDER BY "createdAt"
      LIMIT ${limit}
      FOR NO KEY UPDATE SKIP LOCKED`;
    for (const { id } of rows) await applySlaToTicket(tx, id);
    return rows.length;
  });
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
    for (const escalation of inserted) {
      await tx.ticketMessage.create({ data: { ticketId: escalation.ticketId, kind: "internal_note", body: `Escalated automatically: ${escalation.note}` } });
      await recordAudit(
        {
          action: "sla.escalated",
          subjectType: "Ticket",
          subjectId: escalation.ticketId,
          details: {
            escalationId: escalation.id,
            slaEvent: escalation.slaEvent,
            dueAt: dueOf.get(`${escalation.ticketId}:${escalation.slaEvent}`)?.toISOString() ?? null,
          },
        },
        tx,
      );
    }
    return { found: events.length, escalated: inserted.length };
  });
}

/** One sweep: backfill missing due times, then escalate what has come due. `now` defaults to appNow(). */
export async function runSlaSweep(options: { now?: Date; batchSize?: number } = {}): Promise<SlaSweepSummary> {
  const batchSize = options.batchSize ?? DEFAULT_SLA_BATCH_SIZE;
  const summary: SlaSweepSummary = { backfilled: 0, escalated: 0 };
  for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
    const count = await backfillBatch(batchSize);
    summary.backfilled += count;
    if (count < batchSize) break;
  }
  const now = options.now ?? (await appNow());
  for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
    const { found, escalated } = await escalateBatch(now, batchSize);
    summary.escalated += escalated;
    if (found < batchSize) break;
  }
  return summary;
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
