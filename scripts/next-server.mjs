/**
 * The HTTP server `npm start` runs (spawned by scripts/start.ts): Next.js's own request handler
 * behind a plain node:http server, which does one thing first on every request: it deletes any
 * client-sent `x-veridesk-peer` header and sets it to the TCP peer address (req.socket.remoteAddress).
 * platform/request.ts reads the client address from that header (and X-Forwarded-For only when
 * trusted proxies are configured), so a client cannot choose its own address for the per-address
 * limits. Next.js's own `next start` has no such header: it passes a client's X-Forwarded-For on as is.
 *
 * Plain JavaScript run by node (no TypeScript loader) so Next.js loads exactly as under `next start`.
 * Usage: node scripts/next-server.mjs --port 3000 [--hostname 127.0.0.1]
 */
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

async function main() {
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
  server.listen(port, hostname, () => console.log(`   ▲ Next.js ready on ${hostname ?? "all interfaces"}:${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  installHeapProbe();
}

/**
 * For scripts/bench-console.ts --soak only: with VERIDESK_HEAP_PROBE=1 and node --expose-gc, SIGUSR2
 * runs a full GC and prints this process's live heap. Off by default; a signal, not an HTTP
 * endpoint, so nobody who can reach the server can trigger a GC pause.
 */
export function installHeapProbe() {
  if (process.env.VERIDESK_HEAP_PROBE !== "1" || typeof globalThis.gc !== "function") return;
  process.on("SIGUSR2", () => {
    globalThis.gc();
    const { heapUsed } = process.memoryUsage();
    console.log(`[heap-probe] pid=${process.pid} used=${heapUsed} rss=${process.memoryUsage.rss()}`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
