import { dropDatabase } from "../lib/db/database";
import { E2E } from "./fixtures/environment";

export default async function globalTeardown() {
  if (!process.env.KEEP_TEST_DATABASE && E2E.databaseUrl) await dropDatabase(E2E.databaseUrl).catch(() => {});
}
