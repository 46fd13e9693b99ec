/**
 * `npm run bench:api [-- --tickets 10000 --seconds 5 --concurrency 20 --workers 2 --keep]`
 *
 * Benchmark of the public REST API (/api/v1) against the production server, not a test: it prints
 * figures. In the same run, beside a bare route (/api/health: one `SELECT 1`), so the API's own
 * cost can be told from the framework's and the machine's:
 *
 *   health        GET /api/health
 *   list          GET /api/v1/tickets?page[size]=25                (the queue's first page, as JSON)
 *   list+filter   GET /api/v1/tickets?page[size]=25&priority=high&sort=oldest
 *   create        POST /api/v1/tickets, a new Idempotency-Key each (a ticket, its SLA, acknowledgement, audit)
 *   replay        POST /api/v1/tickets, the same key and body again (the stored first answer)
 *
 * 1. Makes a THROWAWAY database on BENCH_DATABASE_SERVER (default postgresql://postgres@127.0.0.1:5432)
 *    with the real migrations, grows it to --tickets with bench-queue's set-based generator, and
 *    drops it at the end (--keep keeps it).
 * 2. Starts the production server as `npm start` does (scripts/start.ts, port BENCH_PORT default
 *    3121, WEB_CONCURRENCY --workers), which needs a production build (`npm run build`).
 * 3. Each of --concurrency clients (default 20) has its own API token, issued for this run, so the
 *    per-token limit (600 a minute) is not what is measured; a scenario stops early, before that
 *    limit, and says so. Closed loop on keep-alive connections: each client sends its next request
 *    when the last one answered. Every answer's status is checked (an error is counted, not timed
 *    as a fast answer). Prints req/s, p50, p95 and errors per scenario, and the load average.
 *
 * Everything shares the machine (PostgreSQL, the load generator, the server): figures compare
 * within one run only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { generateApiToken } from "@/platform/auth/api-tokens";
import { API_REQUESTS_PER_MINUTE } from "@/platform/auth/api-scopes";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";
import { type FillState, fill } from "./bench-queue";
import { benchServerEnv, captureOutput, waitForServer } from "./bench-server";

const log = (line: string) => console.log(`[bench] ${line}`);
const BENCH_SECRET = randomBytes(32).toString("base64url");

type Answer = { status: number; body: string };

function send(port: number, agent: http.Agent, method: string, target: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all = { ...headers, ...(body === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }) };
    const outgoing = http.request({ host: "127.0.0.1", port, method, path: target, agent, headers: all }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

type Client = { token: string };
type Step = (client: Client, n: number) => { method: string; target: string; headers: Record<string, string>; body?: string; expect: number };
type Stats = { rps: number; p50: number; p95: number; count: number; errors: number; firstError: string | null; stoppedEarly: boolean };

/** Closed loop: each client sends its next request when the last one answered, for `seconds` or until its request budget is spent. */
async function load(port: number, clients: Client[], seconds: number, budget: number, step: Step): Promise<Stats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients.length });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let stoppedEarly = false;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        if (n >= budget) {
          stoppedEarly = true;
          return;
        }
        const request = step(client, n);
        const t = performance.now();
        const answer = await send(port, agent, request.method, request.target, request.headers, request.body);
        latencies.push(performance.now() - t);
        if (answer.status !== request.expect) {
          errors += 1;
          firstError ??= `HTTP ${answer.status} ${answer.body.slice(0, 200)}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { rps: sorted.length / elapsed, p50: at(0.5), p95: at(0.95), count: sorted.length, errors, firstError, stoppedEarly };
}

async function startServer(databaseUrl: string, port: number, workers: string): Promise<{ child: ChildProcess; output: string[] }> {
  // Its own process group, so stopping it stops exactly the processes this script started.
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: benchServerEnv({ databaseUrl, port, secret: BENCH_SECRET, workers }),
  });
  const output = captureOutput(child, 500);
  const agent = new http.Agent();
  await waitForServer(child, output, workers, async () => (await send(port, agent, "GET", "/api/health", {})).status);
  agent.destroy();
  return { child, output };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const timeout = new Promise((resolve) => setTimeout(resolve, 30_000));
  if ((await Promise.race([exited.then(() => "exited"), timeout])) !== "exited") process.kill(-child.pid, "SIGKILL");
}

const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());

async function main() {
  const { values } = parseArgs({
    options: {
      tickets: { type: "string", default: "10000" },
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "20" },
      workers: { type: "string", default: process.env.WEB_CONCURRENCY ?? String(os.availableParallelism()) },
      keep: { type: "boolean", default: false },
    },
  });
  const tickets = Number(values.tickets);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  if (!Number.isSafeInteger(tickets) || tickets < 1000) throw new Error("--tickets takes a ticket count of at least 1000");
  if (!(seconds > 0) || !Number.isSafeInteger(concurrency) || concurrency < 1) throw new Error("--seconds and --concurrency take positive numbers");
  if (!existsSync(path.join(process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) throw new Error("No production build: run `npm run build` first.");
  const port = Number(process.env.BENCH_PORT ?? 3121);
  const dbServer = (process.env.BENCH_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432").replace(/\/$/, "");
  const url = `${dbServer}/veridesk_bench_${randomBytes(4).toString("hex")}`;
  log(
    `database ${url.replace(/^.*@/, "")}; ${tickets.toLocaleString("en")} tickets; ${concurrency} clients; ${seconds} s per scenario; ${values.workers} worker(s); ${os.availableParallelism()} cores`,
  );

  await migrateDatabase(url);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  let server: ChildProcess | null = null;
  const report: string[] = [];
  try {
    const t0 = `'${new Date().toISOString().slice(0, 23).replace("T", " ")}'::timestamp`;
    const state: FillState = { tickets: 0, customers: 0 };
    await fill(db, state, tickets, t0, log);
    const customers = (await db.query<{ id: string }>(`SELECT "id" FROM "Customer" WHERE "mergedIntoId" IS NULL ORDER BY "id" LIMIT 200`)).rows.map(
      (row) => row.id,
    );

    /** Fresh tokens for each scenario: one per client, so no client meets its token's rate limit. */
    const issueTokens = async (scope: string[]): Promise<Client[]> => {
      const clients: Client[] = [];
      for (let i = 0; i < concurrency; i += 1) {
        const made = generateApiToken(BENCH_SECRET);
        await db.query(`INSERT INTO "ApiToken" ("id", "name", "prefix", "tokenHash", "scopes") VALUES ($1, $2, $3, $4, $5)`, [
          randomUUID(),
          `bench ${i}`,
          made.prefix,
          made.tokenHash,
          scope,
        ]);
        clients.push({ token: made.token });
      }
      return clients;
    };
    const bearer = (client: Client) => ({ authorization: `Bearer ${client.token}` });
    // Leave room below the per-token limit for the warm-up requests.
    const budget = API_REQUESTS_PER_MINUTE - 20;
    const createBody = (n: number) =>
      JSON.stringify({
        customerId: customers[n % customers.length],
        requesterAddress: `bench-${n}@veridesk.test`,
        subject: `Bench ticket ${n}`,
        body: "Created by scripts/bench-api.ts.",
        channel: "web",
        priority: "normal",
      });

    server = (await startServer(url, port, values.workers!)).child;
    const scenarios: { name: string; scope: string[]; step: Step }[] = [
      { name: "health (bare route)", scope: [], step: () => ({ method: "GET", target: "/api/health", headers: {}, expect: 200 }) },
      {
        name: "list",
        scope: ["tickets:read"],
        step: (client) => ({ method: "GET", target: "/api/v1/tickets?page[size]=25", headers: bearer(client), expect: 200 }),
      },
      {
        name: "list+filter",
        scope: ["tickets:read"],
        step: (client) => ({ method: "GET", target: "/api/v1/tickets?page[size]=25&priority=high&sort=oldest", headers: bearer(client), expect: 200 }),
      },
      {
        name: "create",
        scope: ["tickets:write"],
        step: (client, n) => ({
          method: "POST",
          target: "/api/v1/tickets",
          headers: { ...bearer(client), "idempotency-key": randomUUID() },
          body: createBody(n),
          expect: 201,
        }),
      },
      {
        name: "create replayed",
        scope: ["tickets:write"],
        // The same key and body every time from each client: after its first, every answer is the stored one.
        step: (client) => ({
          method: "POST",
          target: "/api/v1/tickets",
          headers: { ...bearer(client), "idempotency-key": `replay-${client.token.slice(3, 15)}` },
          body: createBody(0),
          expect: 201,
        }),
      },
    ];
    const before = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Ticket"`)).rows[0]!.n);
    report.push(
      "",
      `scenario              req/s     p50 ms   p95 ms   requests  errors   (${concurrency} clients, load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")})`,
    );
    for (const scenario of scenarios) {
      const clients = await issueTokens(scenario.scope);
      // Warm-up: the connections and the route's first compile/render in every worker.
      await load(port, clients, 0.5, 5, scenario.step);
      const stats = await load(port, clients, seconds, budget, scenario.step);
      const line =
        `${scenario.name.padEnd(20)} ${stats.rps.toFixed(1).padStart(7)}  ${ms(stats.p50).padStart(8)} ${ms(stats.p95).padStart(8)}  ${String(stats.count).padStart(8)}  ${String(stats.errors).padStart(6)}` +
        (stats.stoppedEarly ? "   (stopped at the per-token budget)" : "");
      log(line);
      report.push(line);
      if (stats.firstError) report.push(`    first error: ${stats.firstError}`);
    }
    const after = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Ticket"`)).rows[0]!.n);
    report.push(`tickets made: ${after - before} (create's requests and its warm-up, plus one per client for the replayed scenario)`);
  } finally {
    console.log(report.join("\n"));
    if (server) await stopServer(server);
    await db.end();
    if (!values.keep) {
      await dropDatabase(url).catch((error) => console.error(`[bench] could not drop ${url}: ${error}`));
      log("dropped the throwaway database");
    }
  }
}

await main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
