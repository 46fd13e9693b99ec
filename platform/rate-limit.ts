import { db, type Prisma } from "@/platform/db/client";

/**
 * Fixed-window counters kept in PostgreSQL, so every app instance shares one count.
 * One statement per call: the upsert both resets an expired window and counts the hit atomically.
 */
export interface RateLimitResult {
  allowed: boolean;
  count: number;
  limit: number;
  retryAfterSeconds: number;
}

/** Pass `client` (a transaction) to count the hit only if that transaction commits. */
export async function consumeRateLimit(
  key: string,
  limit: number,
  windowSeconds: number,
  client: Pick<Prisma.TransactionClient, "$queryRaw"> = db,
): Promise<RateLimitResult> {
  const rows = await client.$queryRaw<{ count: number; expiresAt: Date }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count", "expiresAt")
    VALUES (${key}, now(), 1, now() + make_interval(secs => ${windowSeconds}))
    ON CONFLICT ("key") DO UPDATE SET
      "count"       = CASE WHEN "RateLimitCounter"."expiresAt" <= now() THEN 1 ELSE "RateLimitCounter"."count" + 1 END,
      "windowStart" = CASE WHEN "RateLimitCounter"."expiresAt" <= now() THEN now() ELSE "RateLimitCounter"."windowStart" END,
      "expiresAt"   = CASE WHEN "RateLimitCounter"."expiresAt" <= now() THEN EXCLUDED."expiresAt" ELSE "RateLimitCounter"."expiresAt" END
    RETURNING "count", "expiresAt"`;
  const row = rows[0]!;
  return {
    allowed: row.count <= limit,
    count: row.count,
    limit,
    retryAfterSeconds: Math.max(0, Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000)),
  };
}

/**
 * Takes up to `wanted` units from `key`'s window at once (one statement): how many were granted,
 * and whether this call crossed the limit (for a one-time "and more" notice). Pass a transaction
 * as `client` to count only if it commits.
 */
export async function takeRateLimitUnits(
  key: string,
  wanted: number,
  limit: number,
  windowSeconds: number,
  client: Pick<Prisma.TransactionClient, "$queryRaw"> = db,
): Promise<{ granted: number; crossedLimit: boolean }> {
  const units = Math.max(0, Math.floor(wanted));
  if (units === 0) return { granted: 0, crossedLimit: false };
  const rows = await client.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count", "expiresAt")
    VALUES (${key}, now(), ${units}, now() + make_interval(secs => ${windowSeconds}))
    ON CONFLICT ("key") DO UPDATE SET
      "count"       = CASE WHEN "RateLimitCounter"."expiresAt" <= now() THEN EXCLUDED."count" ELSE "RateLimitCounter"."count" + EXCLUDED."count" END,
      "windowStart" = CASE WHEN "RateLimitCounter"."expiresAt" <= now() THEN now() ELSE "RateLimitCounter"."windowStart" END,
      "expiresAt"   = CASE WHEN "RateLimitCounter"."expiresAt" <= now() THEN EXCLUDED."expiresAt" ELSE "RateLimitCounter"."expiresAt" END
    RETURNING "count"`;
  const after = rows[0]!.count;
  const before = after - units;
  return { granted: Math.max(0, Math.min(units, limit - before)), crossedLimit: before <= limit && after > limit };
}

/** Whether `key` has already reached `limit` in its current window, without counting a hit. */
export async function isRateLimited(key: string, limit: number): Promise<{ limited: boolean; retryAfterSeconds: number }> {
  const row = await db.rateLimitCounter.findUnique({ where: { key } });
  if (!row || row.expiresAt <= new Date() || row.count < limit) return { limited: false, retryAfterSeconds: 0 };
  return { limited: true, retryAfterSeconds: Math.ceil((row.expiresAt.getTime() - Date.now()) / 1000) };
}

/** Housekeeping: drops windows that ended (called by the background worker). */
export async function purgeExpiredRateLimits(): Promise<number> {
  return db.rateLimitCounter.deleteMany({ where: { expiresAt: { lt: new Date() } } }).then((r) => r.count);
}
