// Drops a throwaway test database: `npx tsx scripts/drop-database.ts postgresql://…/veridesk_e2e_…`
import { dropDatabase } from "@/platform/db/database";

const url = process.argv[2];
if (!url || !/\/veridesk_(e2e|unit|smoke)_[A-Za-z0-9_]+$/.test(url)) {
  console.error("Usage: drop-database.ts <url of a veridesk_e2e_/veridesk_unit_ database>; other databases are refused.");
  process.exit(1);
}
await dropDatabase(url);
