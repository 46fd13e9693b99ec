/**
 * Step 4 of scripts/start.ts, in a process of its own: applies pending migrations and, with
 * `--seed`, loads the demo data and prints the demo sign-ins. It exits when done, so what it loads
 * (the WASM schema engine, Prisma's query compiler, the demo data: ~130 MB) is not held by the
 * launcher for as long as the server runs. Exit code 1 after one "[veridesk]" sentence on failure.
 */
import { DatabaseError, migrateDatabase } from "@/platform/db/database";

const say = (line: string) => console.log(`[veridesk] ${line}`);

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set.");
  const started = Date.now();
  const { applied } = await migrateDatabase(databaseUrl);
  say(applied > 0 ? `Applied ${applied} migration(s) in ${Date.now() - started} ms.` : "Database schema is up to date.");
  if (process.argv.includes("--seed")) {
    const { seedDemoData } = await import("@/prisma/seed");
    const { DEMO_SIGN_INS } = await import("@/features/demo/demo-data");
    const { db, disconnectDb } = await import("@/platform/db/client");
    await seedDemoData(db);
    await disconnectDb();
    say("Demo data is loaded. Demo sign-ins:");
    const width = Math.max(...DEMO_SIGN_INS.map((entry) => entry.email.length));
    for (const { role, email, password } of DEMO_SIGN_INS) console.log(`    ${role.padEnd(10)} ${email.padEnd(width)}  ${password}`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`\n[veridesk] ${error instanceof DatabaseError ? error.message : `Preparing the database failed: ${(error as Error).message}`}\n`);
    process.exit(1);
  },
);
