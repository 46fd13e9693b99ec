/**
 * The SLA job on a backlog: N open tickets without due times (an import, an upgrade), two days old,
 * so every one also breaches both targets. Runs sweeps back to back, as the job would, until every
 * ticket has its due times, and prints the time, the sweeps, the failed sweeps and the largest
 * transaction. A throwaway database on TEST_DATABASE_SERVER (default 127.0.0.1:5432), dropped after.
 *
 *   npx tsx scripts/bench-sla-backfill.ts [tickets=100000] [max seconds=900]
 */
import { randomBytes } from "node:crypto";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";

const tickets = Number(process.argv[2] ?? 100_000);
const maxSeconds = Number(process.argv[3] ?? 900);
const server = process.env.TEST_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
const url = `${server.replace(/\/$/, "")}/veridesk_unit_bench_${randomBytes(4).toString("hex")}`;
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
process.env.VERIDESK_DEMO ??= "1";

await migrateDatabase(url);
process.env.DATABASE_URL = url;
const { db, disconnectDb } = await import("@/platform/db/client");
const { runSlaSweep } = (await import(process.env.SLA_JOB_MODULE ?? "@/features/sla/job")) as typeof import("@/features/sla/job");

try {
  const createdAt = new Date(Date.now() - 2 * 24 * 60 * 60_000);
  const customer = await db.customer.create({
    data: {
      accountNumber: "BENCH-1",
      name: "Bench customer",
      agreements: { create: { reference: "BENCH-AG-1", tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
  await db.$executeRaw`
    INSERT INTO "Ticket" ("id", "subject", "channel", "status", "customerId", "createdAt", "updatedAt", "lastActivityAt")
    SELECT gen_random_uuid(), 'Imported ' || g, 'email', 'open', ${customer.id}::uuid, ${createdAt}, ${createdAt}, ${createdAt}
    FROM generate_series(1, ${tickets}) AS g`;
  const missing = async () =>
    (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Ticket" WHERE "slaScope" IS NULL AND "status" NOT IN ('solved','closed')`)[0]?.n ?? 0;

  console.log(`${tickets} tickets without due times inserted; sweeping…`);
  const started = Date.now();
  let sweeps = 0;
  let failed = 0;
  let largest = 0;
  let left = await missing();
  const errors = new Map<string, number>();
  while (left > 0 && Date.now() - started < maxSeconds * 1000) {
    sweeps += 1;
    try {
      const summary = (await runSlaSweep()) as { batches?: number[] };
      largest = Math.max(largest, ...(summary.batches ?? [0]));
    } catch (error) {
      failed += 1;
      const reason = (error instanceof Error ? error.message : String(error)).split("\n").filter(Boolean).at(-1)?.slice(0, 120) ?? "?";
      if (!errors.has(reason)) console.log(`  sweep ${sweeps} failed: ${reason}`);
      errors.set(reason, (errors.get(reason) ?? 0) + 1);
    }
    left = await missing();
    if (sweeps % 5 === 0) console.log(`  sweep ${sweeps}: ${left} left after ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const seconds = (Date.now() - started) / 1000;
  const escalations = await db.escalation.count();
  console.log(
    `${left === 0 ? "Done" : "Stopped"}: ${tickets - left} of ${tickets} tickets given due times in ${seconds.toFixed(1)} s, ` +
      `${sweeps} sweeps (${failed} failed), largest transaction ${largest || "n/a"} rows, ${escalations} escalations raised meanwhile.`,
  );
  for (const [reason, count] of errors) console.log(`  ${count}× ${reason}`);
} finally {
  await disconnectDb();
  await dropDatabase(url);
}
