import { createHash } from "node:crypto";
import pg from "pg";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Hot read paths (the agent queue) run as named prepared statements on a small pool of their own:
 * PostgreSQL then parses once per connection and, after a few executions, reuses its plan instead
 * of planning the statement again on every page (planning was ~40 % of the queue's database time),
 * and the rows skip Prisma's result mapping. Only for read-only SQL built with Prisma.sql.
 */
const globalForPool = globalThis as unknown as { veridesk_prepared_pool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForPool.veridesk_prepared_pool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set. Start the app with `npm start`, which provides the embedded database.");
    globalForPool.veridesk_prepared_pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  }
  return globalForPool.veridesk_prepared_pool;
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

export async function queryPrepared<Row>(sql: Prisma.Sql): Promise<Row[]> {
  const result = await pool().query<Row & pg.QueryResultRow>({ name: statementName(sql.text), text: sql.text, values: sql.values as unknown[] });
  return result.rows;
}

export async function closePreparedPool(): Promise<void> {
  const current = globalForPool.veridesk_prepared_pool;
  globalForPool.veridesk_prepared_pool = undefined;
  await current?.end();
}
