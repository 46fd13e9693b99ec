import pg from "pg";
import { E2E } from "./fixtures/environment";

/**
 * e2e databases are named veridesk_e2e_<base36 start time>_<pid>. A run started on its own
 * (`npx playwright test`) cannot drop its database after the app servers stop, so each run drops
 * those of earlier runs that are more than two hours old.
 */
const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

export default async function globalSetup() {
  const current = E2E.databaseUrl ? decodeURIComponent(new URL(E2E.databaseUrl).pathname.slice(1)) : "";
  const server = new URL(E2E.databaseUrl!);
  server.pathname = "/postgres";
  const client = new pg.Client({ connectionString: server.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'veridesk\\_e2e\\_%'");
    for (const { datname } of rows) {
      const started = /^veridesk_e2e_([0-9a-z]+)_\d+$/.exec(datname)?.[1];
      if (!started || datname === current || Date.now() - parseInt(started, 36) < STALE_AFTER_MS) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
