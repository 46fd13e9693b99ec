/**
 * Database lifecycle used by the launcher, the seed and the test harnesses: make sure the
 * database exists, apply migrations with the Prisma CLI, and turn connection failures into one
 * clear sentence. Server code never imports this.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";

const require = createRequire(import.meta.url);

export class DatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseError";
  }
}

export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}/${decodeURIComponent(parsed.pathname.slice(1))}`;
}

/** One sentence a person can act on, for the errors `pg` raises while connecting. */
export function explainConnectionError(error: unknown, url: string): string {
  const where = describeDatabase(url);
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  switch (code) {
    case "ECONNREFUSED":
      return `Cannot reach PostgreSQL at ${where}: connection refused. Start PostgreSQL there or fix DATABASE_URL.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot reach PostgreSQL at ${where}: the host name does not resolve. Fix the host in DATABASE_URL.`;
    case "ETIMEDOUT":
      return `Cannot reach PostgreSQL at ${where}: the connection timed out. Check the host, port and firewall in DATABASE_URL.`;
    case "28P01":
    case "28000":
      return `PostgreSQL at ${where} refused the credentials in DATABASE_URL (${message}).`;
    default:
      return `Cannot use PostgreSQL at ${where}: ${message}. Check DATABASE_URL.`;
  }
}

function maintenanceUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = "/postgres";
  return parsed.toString();
}

/** Creates the database named in `url` when it does not exist yet (the schema engine cannot). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_\-]+$/.test(name)) {
    throw new DatabaseError(`The database name "${name}" in DATABASE_URL may only use letters, digits, "_" and "-".`);
  }
  const client = new pg.Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseError(explainConnectionError(error, url));
  }
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    // Another instance may have created it at the same moment.
    if ((error as { code?: string }).code !== "42P04") throw new DatabaseError(explainConnectionError(error, url));
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: maintenanceUrl(url) });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** Runs a Prisma CLI command with the engine-timer preload (platform/db/schema-engine-timers.cjs). */
export function runPrismaCli(args: string[], url: string, options: { quiet?: boolean } = {}): Promise<string> {
  const cli = require.resolve("prisma/build/index.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", path.join(projectRoot, "platform/db/schema-engine-timers.cjs"), cli, ...args], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) {
        if (!options.quiet) process.stdout.write("");
        resolve(output);
      } else {
        const reason = output
          .split("\n")
          .filter((line) => /error/i.test(line))
          .slice(0, 3)
          .join(" ")
          .trim();
        reject(new DatabaseError(`Applying migrations to ${describeDatabase(url)} failed: ${reason || output.trim().slice(-500)}`));
      }
    });
  });
}

/** Creates the database if needed and applies pending migrations. Safe to run from several instances at once. */
export async function migrateDatabase(url: string): Promise<{ applied: number }> {
  await ensureDatabase(url);
  const output = await runPrismaCli(["migrate", "deploy"], url);
  // "The following migration(s) have been applied: … └─ <name>/ └─ migration.sql" (one per migration)
  const applied = /have been applied/.test(output) ? (output.match(/migration\.sql/g) ?? []).length : 0;
  return { applied };
}
