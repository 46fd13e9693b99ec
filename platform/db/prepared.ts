import { createHash } from "node:crypto";
import pg from "pg";
import type { Prisma } from "@/platform/db/generated/prisma/client";

/**
 * Hot read paths (the agent queue) run as named prepared statements on small pools of their own:
 * PostgreSQL parses once per connection and reuses the statement's plan instead of planning it
 * again on every page (planning was ~40 % of the queue's database time), and the rows skip
 * Prisma's result mapping. Only for read-only SQL built with Prisma.sql.
 *
 * Which plan a statement gets is the caller's choice, not PostgreSQL's default heuristic (five
 * custom plans, then the generic one if its estimated cost is not higher): for statements whose
 * plan is fixed by their shape (the queue's index-ordered branches) that heuristic kept re-planning
 * some of them on every execution (~1–2 ms for the 16-branch "oldest first" page) because the
 * generic estimate came out higher, although the generic plan ran as fast or faster. So:
 *  - "generic" (the default): planned once per connection, whatever the values
 *    (plan_cache_mode = force_generic_plan);
 *  - "custom": planned for the values at every execution (force_custom_plan), for statements
 *    whose best plan depends on a value the planner can read, e.g. a search word's frequency.
 * Each choice has its own pool, so a connection's setting never changes.
 */
export type PlanChoice = "generic" | "custom";

type Pools = Partial<Record<PlanChoice, pg.Pool>>;
const globalForPools = globalThis as unknown as { veridesk_prepared_pools?: Pools };

const PLAN_CACHE_MODE: Record<PlanChoice, string> = { generic: "force_generic_plan", custom: "force_custom_plan" };

/**
 * Prisma keeps a DateTime as `timestamp(3)` holding UTC, and a `@db.Date` as `date`; node-postgres
 * would read both as this process's local time, a few hours off wherever `TZ` is not UTC. Read them
 * (and arrays of them) as Prisma does, so a prepared read and a Prisma read of the same row give the
 * same `Date`. Timestamps inside json are text: a query that needs them reads them itself.
 */
const POSTGRES_TIME = /^(\d{4,})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?)?( BC)?$/;
const LATEST = 8.64e15;

export function utcFromPostgres(text: string): Date {
  if (text === "infinity") return new Date(LATEST);
  if (text === "-infinity") return new Date(-LATEST);
  const match = POSTGRES_TIME.exec(text);
  if (!match) return new Date(Number.NaN);
  const [, year, month, day, hours = "0", minutes = "0", seconds = "0", fraction = "", beforeChrist] = match;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999. 1 BC is year 0.
  date.setUTCFullYear(beforeChrist ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Number(fraction.padEnd(3, "0").slice(0, 3)));
  return date;
}

const { TIMESTAMP, DATE } = pg.types.builtins;
const TIMESTAMP_ARRAY = 1115;
const DATE_ARRAY = 1182;
const TEXT_ARRAY = 1009;
const utcTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP || oid === DATE) return utcFromPostgres;
    if (oid === TIMESTAMP_ARRAY || oid === DATE_ARRAY) {
      const texts = pg.types.getTypeParser(TEXT_ARRAY as unknown as typeof TIMESTAMP) as unknown as (value: string) => (string | null)[];
      return (value: string) => texts(value).map((item) => (item === null ? null : utcFromPostgres(item)));
    }
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function pool(plan: PlanChoice): pg.Pool {
  const pools = (globalForPools.veridesk_prepared_pools ??= {});
  let current = pools[plan];
  if (!current) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm start`, which provides the embedded database.");
    current = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      options: `-c plan_cache_mode=${PLAN_CACHE_MODE[plan]}`,
      types: utcTypes,
    });
    pools[plan] = current;
  }
  return current;
}

const names = new Map<string, string>();
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `vd_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`;
    if (names.size > 5_000) names.clear();
    names.set(text, name);
  }
  return name;
}

export async function queryPrepared<Row>(sql: Prisma.Sql, plan: PlanChoice = "generic"): Promise<Row[]> {
  const result = await pool(plan).query<Row & pg.QueryResultRow>({ name: statementName(sql.text), text: sql.text, values: sql.values as unknown[] });
  return result.rows;
}

export async function closePreparedPool(): Promise<void> {
  const pools = globalForPools.veridesk_prepared_pools;
  globalForPools.veridesk_prepared_pools = undefined;
  await Promise.all(Object.values(pools ?? {}).map((current) => current.end()));
}
