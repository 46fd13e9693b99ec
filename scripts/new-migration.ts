/**
 * Writes a new migration from the difference between prisma/migrations and schema.prisma:
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx scripts/new-migration.ts add_thing
 * (the URL only names a server where a temporary shadow database may be created).
 * Prisma 6.19's WASM engine cannot run `migrate dev` when a migration would change data
 * ("PostgreSQL shadow DB must be provided through an external factory"), but `migrate diff`
 * works; edit the written SQL for what Prisma cannot express (triggers, search), then
 * `npm start` (or `npm run prisma -- migrate deploy`) applies it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runPrismaCli } from "@/platform/db/database";

const name = process.argv[2];
const url = process.env.DATABASE_URL;
if (!name || !/^[a-z0-9_]+$/.test(name) || !url) {
  console.error("Usage: DATABASE_URL=postgresql://…/postgres npx tsx scripts/new-migration.ts <snake_case_name>");
  process.exit(1);
}
const output = await runPrismaCli(
  ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
  url,
);
const sql = output.slice(output.indexOf("-- ")).trim();
if (!sql.startsWith("-- ") || /This is an empty migration/.test(sql)) {
  console.log("schema.prisma matches the migrations: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const folder = path.join("prisma/migrations", `${stamp}_${name}`);
mkdirSync(folder, { recursive: true });
writeFileSync(path.join(folder, "migration.sql"), sql + "\n");
console.log(`Wrote ${folder}/migration.sql`);
