import pg from "pg";

/** Shared rows that some tests change for a moment and others read: the SLA policies. */
export const SLA_POLICIES_LOCK = "sla-policies";
/** The demo rows: one file removes and seeds them again, another reads them. Take it before SLA_POLICIES_LOCK. */
export const DEMO_DATA_LOCK = "demo-data";

/**
 * Test files run in parallel on one database. A test that changes shared rows for a moment (and
 * one that must not see them changed) holds this PostgreSQL advisory lock, on a connection of its
 * own; the returned function ends that connection, which releases it.
 */
export async function holdTestLock(name: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
  return () => client.end();
}
