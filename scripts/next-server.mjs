/**
 * The HTTP server `npm start` runs (spawned by scripts/start.ts): Next.js's own request handler
 * behind a plain node:http server, which does one thing first on every request: it deletes any
 * client-sent `x-veridesk-peer` header and sets it to the TCP peer address (req.socket.remoteAddress).
 * platform/request.ts reads the client address from that header (and X-Forwarded-For only when
 * trusted proxies are configured), so a client cannot choose its own address for the per-address
 * limits. Next.js's own `next start` has no such header: it passes a client's X-Forwarded-For on as is.
 *
 * Plain JavaScript run by node (no TypeScript loader) so Next.js loads exactly as under `next start`.
 * Usage: node scripts/next-server.mjs --port 3000 [--hostname 127.0.0.1] [--workers 2]
 */
import cluster from "node:cluster";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const PEER_ADDRESS_HEADER = "x-veridesk-peer";

/** Replaces whatever the client sent as the peer header with the socket's address. */
export function stampPeerAddress(req) {
  delete req.headers[PEER_ADDRESS_HEADER];
  // rawHeaders is what some adapters read: drop client copies there as well.
  const raw = [];
  for (let index = 0; index < req.rawHeaders.length; index += 2) {
    if (req.rawHeaders[index].toLowerCase() !== PEER_ADDRESS_HEADER) raw.push(req.rawHeaders[index], req.rawHeaders[index + 1]);
  }
  req.rawHeaders.length = 0;
  req.rawHeaders.push(...raw);
  const peer = req.socket.remoteAddress ?? "unknown";
  req.headers[PEER_ADDRESS_HEADER] = peer;
  req.rawHeaders.push(PEER_ADDRESS_HEADER, peer);
}

function argument(name, fallback) {
  const index = process.argv.indexOf(name);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** Set by the cluster primary on the one worker that runs the instance's background jobs (platform/server-start.ts). */
export const JOBS_WORKER_ENV = "VERIDESK_JOBS_WORKER";

/**
 * `--workers N` (scripts/start.ts passes WEB_CONCURRENCY, validated by platform/env.ts; default: the
 * available cores). Missing means 1: run directly, this script serves in one process as before.
 */
export function workerCountArgument(argv) {
  const index = argv.indexOf("--workers");
  if (index < 0) return 1;
  const value = argv[index + 1];
  if (!value || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64) {
    throw new Error(`--workers must be a whole number from 1 to 64 (got ${value === undefined ? "nothing" : JSON.stringify(value)})`);
  }
  return Number(value);
}

/**
 * Several workers: node:cluster, one port (the primary accepts and hands connections round-robin to
 * the workers). Worker 1 runs the SLA job and the outbox worker, the others only serve; they are safe
 * across instances anyway, one per instance is simply enough. A worker that dies is replaced (the
 * jobs worker by another jobs worker). SIGTERM / SIGINT: each worker stops taking connections and
 * finishes the requests in flight (its own handler below), then the primary exits.
 */
function runPrimary(workers) {
  // The benchmark's soak signals every next-server process: without a handler SIGUSR2 would end the primary.
  installHeapProbe();
  let stopping = false;
  const roles = new Map(); // worker id → runs the jobs
  // Each worker has its own database pools: unless DATABASE_POOL_SIZE says otherwise, they share the
  // single process's default of 10 connections per pool, so the instance opens no more than before.
  const poolSize = process.env.DATABASE_POOL_SIZE || String(Math.max(2, Math.ceil(10 / workers)));
  const fork = (jobs) => {
    const worker = cluster.fork({ [JOBS_WORKER_ENV]: jobs ? "1" : "0", DATABASE_POOL_SIZE: poolSize });
    roles.set(worker.id, jobs);
  };
  const listened = new Set();
  cluster.on("listening", (worker) => listened.add(worker.id));
  for (let index = 0; index < workers; index++) fork(index === 0);
  cluster.on("exit", (worker, code, signal) => {
    const jobs = roles.get(worker.id) ?? false;
    roles.delete(worker.id);
    if (stopping) {
      if (roles.size === 0) process.exit();
      return;
    }
    if (!listened.has(worker.id)) {
      // It failed before serving (bad configuration, missing build): another would fail the same way.
      console.error(`[veridesk] a worker failed to start (${signal ?? code}); stopping`);
      stop("SIGTERM");
      process.exitCode = 1;
      return;
    }
    console.error(`[veridesk] worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork(jobs);
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    if (roles.size === 0) process.exit();
    setTimeout(() => process.exit(), 10_000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function serve() {
  const port = Number(argument("--port", process.env.PORT || "3000"));
  const hostname = argument("--hostname", undefined);
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const { default: next } = await import("next");
  const app = next({ dev: false, dir, port, hostname: hostname ?? "localhost" });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((req, res) => {
    stampPeerAddress(req);
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  const who = cluster.isWorker ? ` (worker ${process.pid})` : "";
  server.listen(port, hostname, () => console.log(`   ▲ Next.js ready on ${hostname ?? "all interfaces"}:${port}${who}`));
  let stopping = false;
  const stop = () => {
    // Ctrl-C reaches the primary and every worker at once; the second signal changes nothing.
    if (stopping) return;
    stopping = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  installHeapProbe();
}

async function main() {
  const workers = workerCountArgument(process.argv);
  if (workers > 1 && cluster.isPrimary) runPrimary(workers);
  else await serve();
}

/**
 * For scripts/bench-console.ts --soak only: with VERIDESK_HEAP_PROBE=1 and node --expose-gc, SIGUSR2
 * runs a full GC and prints this process's live heap. Off by default; a signal, not an HTTP
 * endpoint, so nobody who can reach the server can trigger a GC pause.
 */
export function installHeapProbe() {
  if (process.env.VERIDESK_HEAP_PROBE !== "1" || typeof globalThis.gc !== "function") return;
  process.on("SIGUSR2", () => {
    const before = process.memoryUsage();
    globalThis.gc();
    const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    console.log(
      `[heap-probe] pid=${process.pid} used=${heapUsed} rss=${process.memoryUsage.rss()} heapTotal=${heapTotal} external=${external} arrayBuffers=${arrayBuffers} rssBeforeGc=${before.rss} heapTotalBeforeGc=${before.heapTotal}`,
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
