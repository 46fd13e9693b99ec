import "server-only";
import { type CountryCode, getCountryCallingCode } from "libphonenumber-js/max";
import { recordAudit } from "@/platform/audit";
import { db, Prisma, type Role } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { publicBaseUrl } from "@/platform/env";
import { type CheckpointUpdate, enqueueJob } from "@/platform/jobs/queue";
import { JobFailure, registerJobHandler } from "@/platform/jobs/runner";
import { DEFAULT_PHONE_REGION } from "@/features/callers/caller-verification";
import { sendContactVerification } from "@/features/customers/contacts/contacts";
import { MAX_SMS_PER_NUMBER_PER_DAY, SMS_CODE_LIFETIME_SECONDS, SMS_DAILY_WINDOW_SECONDS } from "@/features/verification/limits";
import { smsCodeText } from "@/features/verification/sms-texts";
import { CAMPAIGN_MAX_MESSAGES, type CampaignChannel, type CampaignCriteria } from "@/features/data-quality/campaigns/schemas";

/**
 * Re-verification campaigns: ask a selection of contacts to prove them again, one verification
 * request each (the agent's request of features/customers/contacts/: a link and a code by email,
 * or a code and a short link by SMS), through the outbox.
 *
 *   previewCampaign(criteria)   how many would be sent, how many skipped and why, and the cost class;
 *   startCampaign(criteria, …)  records the campaign and every target (pending, or skipped with its
 *                               reason) and queues the job "verification-campaign.send";
 *   the job                     sends each pending target through sendContactVerification, which
 *                               applies the engine's caps (cooldown, hourly per target, SMS daily per
 *                               number) and opt-outs: a refused target is "skipped" with the reason,
 *                               never an error;
 *   confirmContact              (features/customers/contacts/) marks the target "verified" when the
 *                               customer confirms, so the page counts sent / verified / skipped.
 *
 * Selection (any of the ticked groups): validity doubtful, validity invalid, never verified, or not
 * verified in the last N months; contacts of live customers only. SMS goes to mobile numbers only.
 * A campaign sends at most CAMPAIGN_MAX_MESSAGES messages.
 */

export const CAMPAIGN_JOB_KIND = "verification-campaign.send";
const HOME_REGION = DEFAULT_PHONE_REGION as CountryCode;
const BATCH = 25;

type Actor = { userId: string; role: Role };

function cutoff(months: string, now: Date): Date | null {
  if (months === "") return null;
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - Number(months));
  return date;
}

/** Every selected contact with the reason it would be skipped (null: it is sent). One set-based query. */
function selectionSql(criteria: CampaignCriteria, now: Date): Prisma.Sql {
  const stale = cutoff(criteria.staleMonths, now);
  if (criteria.channel === "email") {
    return Prisma.sql`
      SELECT e.id AS "contactId", e."customerId", NULL::text AS e164,
             CASE WHEN e.deliverability = 'bouncing' OR 'email_bouncing' = ANY(e."validityReasons") THEN 'bouncing'
                  WHEN e."validityReasons" && ARRAY['email_syntax', 'email_domain_not_found', 'email_no_mail_host'] THEN 'undeliverable'
                  WHEN e.deliverability = 'complained' OR 'email_complained' = ANY(e."validityReasons") THEN 'complained'
                  ELSE NULL END AS skip
        FROM "CustomerEmail" e JOIN "Customer" c ON c.id = e."customerId" AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
       WHERE (${criteria.doubtful} AND e.validity = 'doubtful')
          OR (${criteria.invalid} AND e.validity = 'invalid')
          OR (${criteria.unverified} AND e."verifiedAt" IS NULL)
          OR (${stale}::timestamptz IS NOT NULL AND (e."verifiedAt" IS NULL OR e."verifiedAt" < ${stale}::timestamptz))`;
  }
  const dayAgo = new Date(now.getTime() - SMS_DAILY_WINDOW_SECONDS * 1000);
  return Prisma.sql`
    SELECT p.id AS "contactId", p."customerId", p.e164,
           CASE WHEN p.kind <> 'mobile' THEN 'not_mobile'
                WHEN p.e164 !~ '^\\+[1-9][0-9]{6,14}$' OR p."validityReasons" && ARRAY['phone_unparseable', 'phone_invalid'] THEN 'undeliverable'
                WHEN EXISTS (SELECT 1 FROM "SmsOptOut" o WHERE o.e164 = p.e164) THEN 'opted_out'
                WHEN p.deliverability = 'bouncing' OR 'phone_bouncing' = ANY(p."validityReasons") THEN 'bouncing'
                WHEN (SELECT count(*) FROM "VerificationChallenge" v WHERE v.channel = 'sms' AND v.target = p.e164 AND v."createdAt" > ${dayAgo})
                     >= ${MAX_SMS_PER_NUMBER_PER_DAY} THEN 'daily_cap'
                ELSE NULL END AS skip
      FROM "CustomerPhone" p JOIN "Customer" c ON c.id = p."customerId" AND c."mergedIntoId" IS NULL AND c."erasedAt" IS NULL
     WHERE (${criteria.doubtful} AND p.validity = 'doubtful')
        OR (${criteria.invalid} AND p.validity = 'invalid')
        OR (${criteria.unverified} AND p."verifiedAt" IS NULL)
        OR (${stale}::timestamptz IS NOT NULL AND (p."verifiedAt" IS NULL OR p."verifiedAt" < ${stale}::timestamptz))`;
}

/** Segments of one SMS: 160/153 characters in GSM-7 (plain ASCII here), 70/67 in UCS-2. */
export function smsSegments(text: string): number {
  const gsm = /^[\x20-\x7E\n\r]*$/.test(text);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}

/** The request text as the engine writes it (a sample code and a token of the real length). */
function sampleSmsSegments(): number {
  const link = `${publicBaseUrl()}/verify/contact?token=${"x".repeat(43)}`;
  return smsSegments(smsCodeText({ purpose: "contact_verification", code: "000000", codeLifetimeSeconds: SMS_CODE_LIFETIME_SECONDS, link }));
}

export type CampaignPreview = {
  channel: CampaignChannel;
  selected: number;
  toSend: number;
  skipped: { reason: string; count: number }[];
  /** Email: free. SMS: segments per message and how many go to the home country or abroad. */
  cost: { kind: "free" } | { kind: "sms"; segmentsPerMessage: number; domestic: number; international: number; homeCountry: string };
  overCap: boolean;
};

export async function previewCampaign(
  criteria: CampaignCriteria,
  now: Date = new Date(),
  reader: Prisma.TransactionClient | typeof db = db,
): Promise<CampaignPreview> {
  const homePrefix = `+${getCountryCallingCode(HOME_REGION)}`;
  const rows = await reader.$queryRaw<{ skip: string | null; domestic: boolean | null; count: bigint }[]>`
    SELECT s.skip, CASE WHEN s.e164 IS NULL THEN NULL ELSE s.e164 LIKE ${`${homePrefix}%`} END AS domestic, count(*) AS count
      FROM (${selectionSql(criteria, now)}) s
     GROUP BY 1, 2`;
  let toSend = 0;
  let domestic = 0;
  const skipped = new Map<string, number>();
  for (const row of rows) {
    const count = Number(row.count);
    if (row.skip) skipped.set(row.skip, (skipped.get(row.skip) ?? 0) + count);
    else {
      toSend += count;
      if (row.domestic) domestic += count;
    }
  }
  const skippedList = [...skipped].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  return {
    channel: criteria.channel,
    selected: toSend + skippedList.reduce((sum, item) => sum + item.count, 0),
    toSend,
    skipped: skippedList,
    cost:
      criteria.channel === "email"
        ? { kind: "free" }
        : { kind: "sms", segmentsPerMessage: sampleSmsSegments(), domestic, international: toSend - domestic, homeCountry: HOME_REGION },
    overCap: toSend > CAMPAIGN_MAX_MESSAGES,
  };
}

/** Records the campaign and its targets, and queues the sending job, in one transaction. */
export async function startCampaign(
  criteria: CampaignCriteria,
  actor: Actor,
  ip: string,
  now: Date = new Date(),
): Promise<{ campaignId: string; jobId: string; message: string }> {
  return db.$transaction(
    async (tx) => {
      const preview = await previewCampaign(criteria, now, tx);
      if (preview.toSend === 0) throw new DomainError("No message would be sent to this selection: nothing was started.", "invalid");
      if (preview.overCap) {
        throw new DomainError(
          `This selection would send ${preview.toSend.toLocaleString("en")} messages; a campaign sends at most ${CAMPAIGN_MAX_MESSAGES.toLocaleString("en")}. Narrow it (fewer groups, or more months) and send the rest in another campaign.`,
          "invalid",
        );
      }
      const campaign = await tx.verificationCampaign.create({
        data: { channel: criteria.channel, criteria: criteria as unknown as Prisma.InputJsonObject, createdById: actor.userId },
        select: { id: true },
      });
      const column = criteria.channel === "email" ? Prisma.raw(`"emailId"`) : Prisma.raw(`"phoneId"`);
      const targets = await tx.$executeRaw`
        INSERT INTO "VerificationCampaignTarget" ("campaignId", "customerId", ${column}, status, reason)
        SELECT ${campaign.id}::uuid, s."customerId", s."contactId",
               (CASE WHEN s.skip IS NULL THEN 'pending' ELSE 'skipped' END)::"CampaignTargetStatus", s.skip
          FROM (${selectionSql(criteria, now)}) s
         ORDER BY s."customerId", s."contactId"`;
      const job = await enqueueJob(
        CAMPAIGN_JOB_KIND,
        { campaignId: campaign.id, requestIp: ip },
        { createdById: actor.userId, dedupeKey: `verification-campaign:${campaign.id}`, progressTotal: targets },
        tx,
      );
      await tx.verificationCampaign.update({ where: { id: campaign.id }, data: { jobId: job.id } });
      await recordAudit(
        {
          action: "data_quality.campaign_started",
          actor,
          subjectType: "VerificationCampaign",
          subjectId: campaign.id,
          ip,
          details: { channel: criteria.channel, toSend: preview.toSend, skipped: targets - preview.toSend },
        },
        tx,
      );
      return {
        campaignId: campaign.id,
        jobId: job.id,
        message: `Campaign started: ${preview.toSend.toLocaleString("en")} ${preview.toSend === 1 ? "request" : "requests"} to send, ${(targets - preview.toSend).toLocaleString("en")} skipped.`,
      };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** The engine's refusal, as a skip reason. */
function skipReasonOf(error: DomainError): string {
  if (error.code === "not_found") return "gone";
  if (error.code === "rate_limited") {
    if (/as many codes as we send in a day/.test(error.message)) return "daily_cap";
    if (/opted out/.test(error.message)) return "opted_out";
    return "recently_sent";
  }
  if (/Only a mobile number/.test(error.message)) return "not_mobile";
  return "refused";
}

export type CampaignJobContext = { payload: unknown; checkpoint: (update: CheckpointUpdate) => Promise<void> };

/**
 * The job: sends every pending target, a batch at a time, and checkpoints after each batch. A
 * target leaves "pending" only with its outcome, so a resumed job picks up where it stopped (a
 * request sent just before a crash is refused by the cooldown on resume, and counted as skipped).
 */
export async function runCampaignJob({ payload, checkpoint }: CampaignJobContext): Promise<CheckpointUpdate> {
  const { campaignId, requestIp } = payload as { campaignId: string; requestIp: string };
  const campaign = await db.verificationCampaign.findUnique({ where: { id: campaignId }, select: { id: true, channel: true, createdById: true } });
  if (!campaign) throw new JobFailure("The campaign no longer exists.");
  const creator = campaign.createdById
    ? await db.user.findUnique({ where: { id: campaign.createdById }, select: { id: true, role: true, disabledAt: true } })
    : null;
  if (!creator) throw new JobFailure("The supervisor who started the campaign no longer has an account: nothing more was sent.");
  // Checked again on every resume: a deactivated or demoted supervisor's campaign stops sending.
  if (creator.disabledAt || (creator.role !== "supervisor" && creator.role !== "admin")) {
    throw new JobFailure("The supervisor who started the campaign can no longer send campaigns: nothing more was sent.");
  }
  const actor = { userId: creator.id, role: creator.role };
  const total = await db.verificationCampaignTarget.count({ where: { campaignId } });
  for (;;) {
    const batch = await db.verificationCampaignTarget.findMany({
      where: { campaignId, status: "pending" },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, emailId: true, phoneId: true },
    });
    if (batch.length === 0) break;
    for (const target of batch) {
      const contactId = campaign.channel === "email" ? target.emailId : target.phoneId;
      let update: Prisma.VerificationCampaignTargetUpdateManyMutationInput;
      try {
        if (!contactId) throw new DomainError("gone", "not_found");
        await sendContactVerification({ kind: campaign.channel === "email" ? "email" : "phone", id: contactId }, actor, requestIp, { reverify: true });
        update = { status: "sent", sentAt: new Date() };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        update = { status: "skipped", reason: skipReasonOf(error) };
      }
      await db.verificationCampaignTarget.updateMany({ where: { id: target.id, status: "pending" }, data: update });
    }
    const counts = await campaignCounts(campaignId);
    await checkpoint({ progressDone: total - counts.pending, progressTotal: total, progress: counts });
  }
  return { progressDone: total, progressTotal: total, progress: await campaignCounts(campaignId) };
}

/** Registered in features/background-jobs.ts. */
export function registerCampaignJobs(): void {
  registerJobHandler(CAMPAIGN_JOB_KIND, ({ job, checkpoint }) => runCampaignJob({ payload: job.payload, checkpoint }));
}

export type CampaignCounts = { pending: number; sent: number; verified: number; skipped: number };

export async function campaignCounts(campaignId: string): Promise<CampaignCounts> {
  const grouped = await db.verificationCampaignTarget.groupBy({ by: ["status"], where: { campaignId }, _count: { _all: true } });
  const counts: CampaignCounts = { pending: 0, sent: 0, verified: 0, skipped: 0 };
  for (const group of grouped) counts[group.status] = group._count._all;
  return counts;
}

export type CampaignRow = {
  id: string;
  channel: CampaignChannel;
  createdAt: Date;
  createdBy: string | null;
  jobId: string | null;
  jobStatus: string | null;
  counts: CampaignCounts;
  skippedBy: { reason: string; count: number }[];
};

export async function listCampaigns(take = 20): Promise<CampaignRow[]> {
  const campaigns = await db.verificationCampaign.findMany({ orderBy: { createdAt: "desc" }, take });
  const ids = campaigns.map((campaign) => campaign.id);
  const [grouped, skips, jobs, users] = await Promise.all([
    db.verificationCampaignTarget.groupBy({ by: ["campaignId", "status"], where: { campaignId: { in: ids } }, _count: { _all: true } }),
    db.verificationCampaignTarget.groupBy({ by: ["campaignId", "reason"], where: { campaignId: { in: ids }, status: "skipped" }, _count: { _all: true } }),
    db.backgroundJob.findMany({
      where: { id: { in: campaigns.flatMap((campaign) => (campaign.jobId ? [campaign.jobId] : [])) } },
      select: { id: true, status: true },
    }),
    db.user.findMany({
      where: { id: { in: campaigns.flatMap((campaign) => (campaign.createdById ? [campaign.createdById] : [])) } },
      select: { id: true, name: true },
    }),
  ]);
  return campaigns.map((campaign) => {
    const counts: CampaignCounts = { pending: 0, sent: 0, verified: 0, skipped: 0 };
    for (const group of grouped) if (group.campaignId === campaign.id) counts[group.status] = group._count._all;
    return {
      id: campaign.id,
      channel: campaign.channel as CampaignChannel,
      createdAt: campaign.createdAt,
      createdBy: users.find((user) => user.id === campaign.createdById)?.name ?? null,
      jobId: campaign.jobId,
      jobStatus: jobs.find((job) => job.id === campaign.jobId)?.status ?? null,
      counts,
      skippedBy: skips
        .filter((group) => group.campaignId === campaign.id)
        .map((group) => ({ reason: group.reason ?? "refused", count: group._count._all }))
        .sort((a, b) => b.count - a.count),
    };
  });
}
