import "server-only";
import { type ReasonCode, type Validity, validityOf } from "@/features/data-quality/reasons";
import { type ChannelCounts, emptyCounts, type ValidationCounts } from "@/features/data-quality/validation/counts";

export { type ChannelCounts, emptyCounts, type ValidationCounts } from "@/features/data-quality/validation/counts";
import { emailDomain, validateEmail, validatePhone, type DeliverabilityState } from "@/features/data-quality/validation/rules";
import { recordAudit } from "@/platform/audit";
import { appNow } from "@/platform/clock";
import { db, Prisma, type Role } from "@/platform/db/client";
import { createNodeResolver, type DnsResolver, MailDomainChecker, type MailDomainOutcome } from "@/platform/dns/mail-domains";
import { parseDnsServers } from "@/platform/dns/servers";
import { serverEnv } from "@/platform/env";
import { DomainError } from "@/platform/errors";
import { enqueueJob } from "@/platform/jobs/queue";
import { type JobContext, type JobHandler, registerJobHandler } from "@/platform/jobs/runner";
import { suggestDomain } from "@/platform/email-address/typo-suggestions";
import { proposeCleansing } from "@/features/data-quality/cleansing/suggestions";

/**
 * Bulk validation of every email address and phone number, as the background job
 * "contact-validation.run" (a supervisor starts it from Data quality → Validation; the nightly
 * schedule, ./nightly.ts, enqueues one a night).
 *
 * The job pages through CustomerEmail, then CustomerPhone, by id (keyset), BATCH_SIZE rows at a
 * time: the pure rules (./rules.ts) give each row its reasons and verdict, one set-based
 * UPDATE … FROM unnest(…) writes the batch, then a checkpoint saves the last id and the counts so
 * far (a restarted run resumes there; a batch redone after a crash writes the same verdicts).
 * ValidationRun.counts fills in at every batch, so the page shows the counts growing.
 *
 * Mail domains are looked up in DNS once per domain per run, 16 at a time with a timeout
 * (platform/dns/): every distinct domain still to do is queued for lookup when the email phase
 * starts, so lookups run beside the batches and a batch waits only for its own domains.
 *
 * Verification is never touched: a verified address keeps its proof; validation records its verdict.
 */

export const VALIDATION_JOB_KIND = "contact-validation.run";
export const BATCH_SIZE = 2_000;

type Phase = "emails" | "phones" | "finishing";
type Checkpoint = { phase: Phase; lastId: string | null; done: number; total: number; counts: ValidationCounts };
type Payload = { trigger?: "manual" | "nightly" };

function tally(counts: ChannelCounts, verdict: { validity: Validity; reasons: readonly ReasonCode[] }, verified: boolean): void {
  counts.total += 1;
  // A verified contact is counted once, as verified (as the report's live figures count it); its
  // verdict's reasons still count, so a verified address that now bounces shows in the reasons.
  if (verified) counts.verified += 1;
  else counts[verdict.validity] += 1;
  for (const reason of verdict.reasons) counts.reasons[reason] = (counts.reasons[reason] ?? 0) + 1;
}

// ───────────────────────────── Starting a run ─────────────────────────────

/** A run that is queued and due, or running (a nightly run queued for a later night does not count). */
export async function activeValidationJob(writer: Prisma.TransactionClient | typeof db = db) {
  return writer.backgroundJob.findFirst({
    where: { kind: VALIDATION_JOB_KIND, OR: [{ status: "running" }, { status: "queued", runAfter: { lte: new Date() } }] },
    orderBy: { createdAt: "asc" },
  });
}

/** The supervisor's "Validate every contact now": refused while a run is going; audited. */
export async function startValidationRun(actor: { userId: string; role: Role }, ip: string | null = null): Promise<{ runId: string; jobId: string }> {
  return db.$transaction(async (tx) => {
    // One starter at a time, so two supervisors clicking together start one run.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${VALIDATION_JOB_KIND}))`;
    const active = await activeValidationJob(tx);
    if (active) throw new DomainError("A validation run is already going. Wait for it to finish; its progress is shown on this page.", "conflict");
    const [emails, phones] = await Promise.all([tx.customerEmail.count(), tx.customerPhone.count()]);
    const job = await enqueueJob(VALIDATION_JOB_KIND, { trigger: "manual" }, { createdById: actor.userId, progressTotal: emails + phones }, tx);
    const run = await tx.validationRun.create({
      data: { jobId: job.id, trigger: "manual", startedById: actor.userId, counts: emptyCounts() as unknown as Prisma.InputJsonObject },
    });
    await recordAudit(
      { action: "data_quality.validation_started", actor, subjectType: "ValidationRun", subjectId: run.id, ip, details: { emails, phones } },
      tx,
    );
    return { runId: run.id, jobId: job.id };
  });
}

// ───────────────────────────── The job ─────────────────────────────

export type ValidationOptions = {
  /** null: no DNS (no DNS reasons). Default: from the environment (VALIDATION_DNS, VALIDATION_DNS_SERVERS). */
  resolver?: DnsResolver | null;
  dnsTimeoutMs?: number;
  dnsConcurrency?: number;
  batchSize?: number;
};

function resolverFromEnv(): { resolver: DnsResolver | null; timeoutMs: number } {
  const env = serverEnv();
  if (env.VALIDATION_DNS === "off") return { resolver: null, timeoutMs: env.VALIDATION_DNS_TIMEOUT_MS };
  const servers = env.VALIDATION_DNS_SERVERS ? (parseDnsServers(env.VALIDATION_DNS_SERVERS) ?? undefined) : undefined;
  return { resolver: createNodeResolver({ servers, timeoutMs: env.VALIDATION_DNS_TIMEOUT_MS }), timeoutMs: env.VALIDATION_DNS_TIMEOUT_MS };
}

/** Waits for `work` while renewing the job's lease every 15 s (DNS for a batch of new domains may take a while). */
async function keepingLease<T>(context: JobContext, work: Promise<T>): Promise<T> {
  let interrupted: unknown = null;
  const timer = setInterval(() => {
    context.checkpoint({}).catch((error: unknown) => {
      interrupted ??= error;
    });
  }, 15_000);
  try {
    const result = await work;
    if (interrupted) throw interrupted;
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** Likely duplicate customers: live customers sharing a name (case and spaces aside) and an organisation with another. */
async function countLikelyDuplicateCustomers(): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (
      SELECT count(*) OVER (PARTITION BY lower(btrim(name)), "organisationId") AS same
        FROM "Customer"
       WHERE "mergedIntoId" IS NULL AND "erasedAt" IS NULL AND "organisationId" IS NOT NULL
    ) AS t
    WHERE same > 1`;
  return Number(row?.n ?? 0);
}

/** Numbers (digits and "+" only) on two or more live customers. */
async function duplicatePhoneNumbers(): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ n: string }[]>`
    SELECT regexp_replace(p.e164, '[^0-9+]', '', 'g') AS n
      FROM "CustomerPhone" p JOIN "Customer" c ON c.id = p."customerId"
     WHERE c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
     GROUP BY 1
    HAVING count(DISTINCT p."customerId") > 1`;
  return new Set(rows.map((row) => row.n));
}

/** Below every id: the keyset's start, so each page is one index range scan ("id > $1", never "$1 IS NULL OR …"). */
const NO_ID = "00000000-0000-0000-0000-000000000000";

const LOOKUP_DOMAIN = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

export function contactValidationHandler(options: ValidationOptions = {}): JobHandler {
  return async (context) => {
    const { job } = context;
    const payload = (job.payload ?? {}) as Payload;
    const run = await db.validationRun.upsert({
      where: { jobId: job.id },
      create: { jobId: job.id, trigger: payload.trigger === "nightly" ? "nightly" : "manual", startedById: job.createdById, counts: emptyCounts() },
      update: {},
    });

    let state = job.checkpoint as Checkpoint | null;
    if (!state?.phase) {
      const [emails, phones] = await Promise.all([db.customerEmail.count(), db.customerPhone.count()]);
      state = { phase: "emails", lastId: null, done: 0, total: emails + phones, counts: emptyCounts() };
    }
    const fromEnv = options.resolver === undefined ? resolverFromEnv() : null;
    const resolver = options.resolver === undefined ? fromEnv!.resolver : options.resolver;
    const checker = resolver
      ? new MailDomainChecker(resolver, { timeoutMs: options.dnsTimeoutMs ?? fromEnv?.timeoutMs, concurrency: options.dnsConcurrency })
      : null;
    const batchSize = options.batchSize ?? BATCH_SIZE;
    const suggestions = new Map<string, string | null>();
    const suggest = (domain: string) => {
      let suggestion = suggestions.get(domain);
      if (suggestion === undefined) {
        suggestion = suggestDomain(domain);
        suggestions.set(domain, suggestion);
      }
      return suggestion;
    };

    const save = async (next: Checkpoint) => {
      state = next;
      // The checkpoint first: the run's counts never get ahead of what a resumed run starts from.
      await context.checkpoint({
        checkpoint: next as unknown as Prisma.InputJsonObject,
        progressDone: next.done,
        progressTotal: next.total,
        progress: next.counts as unknown as Prisma.InputJsonObject,
      });
      await db.validationRun.update({ where: { id: run.id }, data: { counts: next.counts as unknown as Prisma.InputJsonObject } });
    };

    if (state.phase === "emails") {
      if (checker) {
        // Every domain still to check, queued for lookup now: DNS runs beside the batches.
        const domains = await db.$queryRaw<{ domain: string }[]>`
          SELECT DISTINCT split_part(normalized, '@', 2) AS domain FROM "CustomerEmail"
           WHERE id > ${state.lastId ?? NO_ID}::uuid`;
        for (const { domain } of domains) if (LOOKUP_DOMAIN.test(domain)) void checker.check(domain);
      }
      for (;;) {
        const rows = await db.$queryRaw<{ id: string; address: string; deliverability: DeliverabilityState; verified: boolean }[]>`
          SELECT id, address, deliverability::text AS deliverability, "verifiedAt" IS NOT NULL AS verified
            FROM "CustomerEmail"
           WHERE id > ${state.lastId ?? NO_ID}::uuid
           ORDER BY id LIMIT ${batchSize}`;
        if (rows.length === 0) break;
        const outcomes = new Map<string, MailDomainOutcome>();
        if (checker) {
          const domains = new Set(
            rows.map((row) => emailDomain(row.address)).filter((domain): domain is string => domain !== null && LOOKUP_DOMAIN.test(domain)),
          );
          const resolved = await keepingLease(context, checker.checkAll(domains));
          for (const [domain, outcome] of resolved) outcomes.set(domain, outcome);
        }
        const counts = structuredClone(state.counts);
        const ids: string[] = [];
        const validities: string[] = [];
        const reasons: string[] = [];
        const suggested: (string | null)[] = [];
        for (const row of rows) {
          const domain = emailDomain(row.address);
          const verdict = validateEmail(
            { address: row.address, deliverability: row.deliverability },
            checker && domain ? (outcomes.get(domain) ?? null) : null,
            suggest,
          );
          ids.push(row.id);
          validities.push(verdict.validity);
          reasons.push(verdict.reasons.join(","));
          suggested.push(verdict.suggestion);
          tally(counts.email, verdict, row.verified);
        }
        const now = await appNow();
        await db.$executeRaw`
          UPDATE "CustomerEmail" AS e
             SET validity = v.validity::"ContactValidity", "validityReasons" = string_to_array(v.reasons, ','),
                 "validitySuggestion" = v.suggestion, "validatedAt" = ${now}
            FROM unnest(${ids}::uuid[], ${validities}::text[], ${reasons}::text[], ${suggested}::text[]) AS v(id, validity, reasons, suggestion)
           WHERE e.id = v.id`;
        await save({ ...state, lastId: rows.at(-1)!.id, done: state.done + rows.length, counts });
      }
      await save({ ...state, phase: "phones", lastId: null });
    }

    if (state.phase === "phones") {
      const duplicates = await duplicatePhoneNumbers();
      for (;;) {
        const rows = await db.$queryRaw<
          { id: string; e164: string; kind: "mobile" | "fixed" | "other"; deliverability: DeliverabilityState; verified: boolean; live: boolean }[]
        >`
          SELECT p.id, p.e164, p.kind::text AS kind, p.deliverability::text AS deliverability, p."verifiedAt" IS NOT NULL AS verified,
                 (c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL) AS live
            FROM "CustomerPhone" p JOIN "Customer" c ON c.id = p."customerId"
           WHERE p.id > ${state.lastId ?? NO_ID}::uuid
           ORDER BY p.id LIMIT ${batchSize}`;
        if (rows.length === 0) break;
        const counts = structuredClone(state.counts);
        const ids: string[] = [];
        const validities: string[] = [];
        const reasons: string[] = [];
        const lineTypes: (string | null)[] = [];
        for (const row of rows) {
          const verdict = validatePhone({ number: row.e164, kind: row.kind, deliverability: row.deliverability });
          if (row.live && duplicates.has(row.e164.replace(/[^0-9+]/g, ""))) {
            verdict.reasons.push("phone_duplicate");
            verdict.validity = validityOf(verdict.reasons);
            counts.duplicates.phones += 1;
          }
          ids.push(row.id);
          validities.push(verdict.validity);
          reasons.push(verdict.reasons.join(","));
          lineTypes.push(verdict.lineType ?? null);
          tally(counts.phone, verdict, row.verified);
        }
        const now = await appNow();
        await db.$executeRaw`
          UPDATE "CustomerPhone" AS p
             SET validity = v.validity::"ContactValidity", "validityReasons" = string_to_array(v.reasons, ','),
                 "lineType" = v.line_type, "validatedAt" = ${now}
            FROM unnest(${ids}::uuid[], ${validities}::text[], ${reasons}::text[], ${lineTypes}::text[]) AS v(id, validity, reasons, line_type)
           WHERE p.id = v.id`;
        await save({ ...state, lastId: rows.at(-1)!.id, done: state.done + rows.length, counts });
      }
      await save({ ...state, phase: "finishing", lastId: null });
    }

    const counts = structuredClone(state.counts);
    counts.duplicates.customers = await countLikelyDuplicateCustomers();
    await db.validationRun.update({ where: { id: run.id }, data: { counts: counts as unknown as Prisma.InputJsonObject, finishedAt: new Date() } });
    await onValidationRunFinished(run.id);
    return {
      checkpoint: { ...state, counts } as unknown as Prisma.InputJsonObject,
      progressDone: state.done,
      progressTotal: state.total,
      progress: counts as unknown as Prisma.InputJsonObject,
    };
  };
}

/**
 * Called once a run has written every verdict and its final counts (ValidationRun.finishedAt is
 * set: a point on the report's trend). What should follow a run goes here.
 */
export async function onValidationRunFinished(runId: string): Promise<void> {
  // The run's verdicts become cleansing suggestions (typo fixes, landlines in the mobile slot,
  // duplicates) for agents to accept or reject; suggestions whose contact changed go obsolete.
  await proposeCleansing(runId);
}

export function registerContactValidationJobs(): void {
  registerJobHandler(VALIDATION_JOB_KIND, contactValidationHandler());
}
