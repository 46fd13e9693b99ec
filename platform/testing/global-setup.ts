/**
 * vitest global setup: every run gets its own throwaway database on the real PostgreSQL
 * (TEST_DATABASE_SERVER, default the machine's 127.0.0.1:5432), migrated with the real
 * migration history, and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";

export default async function setup() {
  const server = process.env.TEST_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
  const url = `${server.replace(/\/$/, "")}/veridesk_unit_${randomBytes(4).toString("hex")}`;
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  return async () => {
    if (!process.env.KEEP_TEST_DATABASE) await dropDatabase(url);
  };
}
