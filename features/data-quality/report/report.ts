import "server-only";
import { z } from "zod";
import { db, Prisma } from "@/platform/db/client";
import { REASONS, type ReasonCode } from "@/features/data-quality/reasons";
import type { Channel, PhoneKindFilter } from "@/features/data-quality/report/schemas";

/**
 * The figures of the data-quality report (/supervisor/data-quality).
 *
 * Live shares are counted from the contact rows now, each contact in exactly one bucket: verified
 * (the customer proved it: verifiedAt set), else its latest validation verdict (valid, doubtful,
 * invalid), else not yet validated. Contacts of customers merged into another or erased are not
 * counted (they are hidden everywhere else too). The trend is one point per finished
 * ValidationRun, from the counts the run stored when it finished.
 */

export const BUCKETS = ["verified", "valid", "doubtful", "invalid", "unvalidated"] as const;
export type Bucket = (typeof BUCKETS)[number];

export type CategoryKey = "email" | "phone_mobile" | "phone_other";
export type Category = {
  key: CategoryKey;
  channel: Channel;
  kind?: PhoneKindFilter;
  total: number;
} & Record<Bucket, number>;

export type ReasonCount = { code: ReasonCode; channel: Channel; label: string; count: number };

export type DataQualitySnapshot = {
  categories: Category[];
  reasons: ReasonCount[];
  /** Phone numbers held by more than one current customer, and the customers holding them. */
  duplicates: { phones: number; customers: number };
};

/**
 * Contacts of customers still shown (not merged away, not erased). The customers left out are few,
 * so they are gathered once (a small hash) and each contact table is read in one pass against
 * them, instead of joining every contact to its customer.
 */
const GONE = Prisma.sql`gone AS MATERIALIZED (SELECT id FROM "Customer" WHERE "mergedIntoId" IS NOT NULL OR "erasedAt" IS NOT NULL)`;
const live = (alias: string) => Prisma.sql`NOT EXISTS (SELECT 1 FROM gone WHERE gone.id = ${Prisma.raw(alias)}."customerId")`;

const bucketColumns = (alias: string) => {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  return Prisma.sql`
  count(*)::int AS total,
  count(*) FILTER (WHERE ${column("verifiedAt")} IS NOT NULL)::int AS verified,
  count(*) FILTER (WHERE ${column("verifiedAt")} IS NULL AND ${column("validity")} = 'valid')::int AS valid,
  count(*) FILTER (WHERE ${column("verifiedAt")} IS NULL AND ${column("validity")} = 'doubtful')::int AS doubtful,
  count(*) FILTER (WHERE ${column("verifiedAt")} IS NULL AND ${column("validity")} = 'invalid')::int AS invalid,
  count(*) FILTER (WHERE ${column("verifiedAt")} IS NULL AND ${column("validity")} IS NULL)::int AS unvalidated`;
};

type BucketRow = { category: CategoryKey; total: number } & Record<Bucket, number>;

/**
 * The live shares, reasons and duplicates: one statement, one pass over each contact table for the
 * shares (count … FILTER), one over the flagged rows for reasons, and one over the phones for
 * duplicates. (customerId, e164) is unique, so a number's holders are its rows.
 */
export async function dataQualitySnapshot(): Promise<DataQualitySnapshot> {
  const [result] = await db.$queryRaw<
    { buckets: BucketRow[] | null; reasons: { code: string; count: number }[] | null; duplicates: { phones: number; customers: number } }[]
  >`
    WITH ${GONE}
    SELECT
      (SELECT json_agg(b) FROM (
         SELECT 'email' AS category, ${bucketColumns("e")} FROM "CustomerEmail" e WHERE ${live("e")}
         UNION ALL
         SELECT CASE WHEN p.kind = 'mobile' THEN 'phone_mobile' ELSE 'phone_other' END, ${bucketColumns("p")}
           FROM "CustomerPhone" p WHERE ${live("p")} GROUP BY 1
      ) b) AS buckets,
      (SELECT json_agg(r) FROM (
         SELECT reason AS code, count(*)::int AS count FROM (
           SELECT unnest(e."validityReasons") AS reason FROM "CustomerEmail" e WHERE cardinality(e."validityReasons") > 0 AND ${live("e")}
           UNION ALL
           SELECT unnest(p."validityReasons") FROM "CustomerPhone" p WHERE cardinality(p."validityReasons") > 0 AND ${live("p")}
         ) flagged GROUP BY reason
      ) r) AS reasons,
      (SELECT json_build_object('phones', count(*)::int, 'customers', coalesce(sum(holders), 0)::int) FROM (
         SELECT p.e164, count(*) AS holders FROM "CustomerPhone" p WHERE ${live("p")} GROUP BY p.e164 HAVING count(*) > 1
      ) shared) AS duplicates`;
  const bucketRows = result?.buckets ?? [];
  const reasonRows = result?.reasons ?? [];
  const duplicates = result?.duplicates ?? { phones: 0, customers: 0 };

  const empty = (key: CategoryKey): BucketRow => ({ category: key, total: 0, verified: 0, valid: 0, doubtful: 0, invalid: 0, unvalidated: 0 });
  const byKey = new Map(bucketRows.map((row) => [row.category, row]));
  const category = (key: CategoryKey, channel: Channel, kind?: PhoneKindFilter): Category => {
    const { category: _key, ...counts } = byKey.get(key) ?? empty(key);
    return { key, channel, ...(kind ? { kind } : {}), ...counts };
  };

  const counted = new Map(reasonRows.map((row) => [row.code, row.count]));
  // Every known code, in the order reasons.ts lists them (a zero is an answer too); codes the
  // report does not know (written by a newer version) are left out rather than mislabelled.
  const reasons = (Object.keys(REASONS) as ReasonCode[]).map((code) => ({
    code,
    channel: REASONS[code].channel,
    label: REASONS[code].label,
    count: counted.get(code) ?? 0,
  }));

  return {
    categories: [category("email", "email"), category("phone_mobile", "phone", "mobile"), category("phone_other", "phone", "other")],
    reasons,
    duplicates,
  };
}

// ───────────────────────────── Trend ─────────────────────────────

const count = z.number().int().nonnegative().catch(0).default(0);
const channelCounts = z
  .object({
    total: count,
    valid: count,
    doubtful: count,
    invalid: count,
    verified: count,
    reasons: z.record(z.string(), z.number().int().nonnegative()).catch({}).default({}),
  })
  .catch({ total: 0, valid: 0, doubtful: 0, invalid: 0, verified: 0, reasons: {} })
  .default({ total: 0, valid: 0, doubtful: 0, invalid: 0, verified: 0, reasons: {} });
/** ValidationRun.counts as runs store it; a field missing or malformed reads as 0. */
const runCountsSchema = z.object({
  email: channelCounts,
  phone: channelCounts,
  duplicates: z.object({ phones: count, customers: count }).catch({ phones: 0, customers: 0 }).default({ phones: 0, customers: 0 }),
});

export type TrendChannel = { total: number } & Record<Bucket, number>;
export type TrendPoint = {
  runId: string;
  finishedAt: Date;
  trigger: string;
  email: TrendChannel;
  phone: TrendChannel;
  duplicates: { phones: number; customers: number };
};

/** How many runs the trend shows at most (a year of weekly runs, or two months of nightly ones). */
export const TREND_RUNS = 60;

/**
 * The trend: the latest finished runs, oldest first. A run's buckets are its stored counts; what
 * the run counted in total but in no bucket is "not yet validated".
 */
export async function dataQualityTrend(limit = TREND_RUNS): Promise<TrendPoint[]> {
  const runs = await db.validationRun.findMany({
    where: { finishedAt: { not: null } },
    orderBy: [{ finishedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, finishedAt: true, trigger: true, counts: true },
  });
  return runs.reverse().map((run) => {
    const counts = runCountsSchema.parse(run.counts && typeof run.counts === "object" && !Array.isArray(run.counts) ? run.counts : {});
    const channel = (c: z.output<typeof channelCounts>): TrendChannel => {
      const bucketed = c.verified + c.valid + c.doubtful + c.invalid;
      const total = Math.max(c.total, bucketed);
      return { total, verified: c.verified, valid: c.valid, doubtful: c.doubtful, invalid: c.invalid, unvalidated: total - bucketed };
    };
    return {
      runId: run.id,
      finishedAt: run.finishedAt!,
      trigger: run.trigger,
      email: channel(counts.email),
      phone: channel(counts.phone),
      duplicates: counts.duplicates,
    };
  });
}

/** Verification campaigns' totals (requests sent, contacts verified through them), for the report's footer. */
export async function campaignTotals(): Promise<{ campaigns: number; sent: number; verified: number }> {
  const [campaigns, grouped] = await Promise.all([
    db.verificationCampaign.count(),
    db.verificationCampaignTarget.groupBy({ by: ["status"], where: { status: { in: ["sent", "verified"] } }, _count: { _all: true } }),
  ]);
  const of = (status: string) => grouped.find((row) => row.status === status)?._count._all ?? 0;
  // A verified target was sent first.
  return { campaigns, sent: of("sent") + of("verified"), verified: of("verified") };
}
