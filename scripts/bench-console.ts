/**
 * `npm run bench:console [-- --sizes 10000,100000 --seconds 5 --concurrency 1,20 --workers 2 --cpu-prof --soak 5000 --keep]`
 *
 * Benchmark of the pages as agents and customers load them (issue 17), not a test: it prints figures.
 * scripts/bench-queue.ts measures the queue's data path in process; this one measures the product.
 *
 * 1. Makes a THROWAWAY database on BENCH_DATABASE_SERVER (default postgresql://postgres@127.0.0.1:5432)
 *    with the real migrations and grows it with bench-queue's set-based generator (`fill`) to each
 *    size in turn (default 10,000 and 100,000 tickets; add 1000000 to --sizes for a million, ~10 min).
 * 2. At each size starts the production server the way `npm start` does (scripts/start.ts on that
 *    database, its own port BENCH_PORT, default 3119, WEB_CONCURRENCY from --workers), needing a
 *    production build (`npm run build`, or NEXT_DIST_DIR's). Signs in an agent and a portal customer
 *    over HTTP as next-auth's own form does: GET /api/auth/csrf, then POST
 *    /api/auth/callback/credentials with the token and its cookie.
 * 3. Measures, with 1 and 20 clients in a closed loop (each sends its next request when the last
 *    answered) on keep-alive connections: /console (default view, a filter, a common-word search, a
 *    cursor page), the agent's ticket page, the portal's ticket list, /signin (a small page: the
 *    framework's own floor) and /api/health. Prints req/s, p50/p95/p99, bytes per response, the
 *    server's peak RSS and PSS (all its processes) and the server's
 *    CPU milliseconds per request (utime+stime of its process tree from /proc, before and after):
 *    on a shared machine req/s moves with the neighbours' load, CPU per request much less so.
 *    The load average is printed beside every size.
 *    The generated tickets are given due times and their breaches' escalations first, as the SLA
 *    job would have done as they came in (settleSlaBacklog; --sla-backlog skips it), and the
 *    server's CPU with no requests for 5 s is printed: every CPU-per-request figure includes it.
 * 4. Then 20 agents who read each page before the next click (--think, mean seconds, default 2
 *    and 0.5), going through the four queue views: the wait at a real desk's pace, not saturated.
 *
 * The load generator is this Node process (node:http, keep-alive agent), not wrk: it needs no
 * system package, carries the session cookie, checks every answer's status (a redirect to
 * sign-in is an error, not a fast page), and its own CPU is printed so it can be accounted for.
 *
 * --save-pages DIR writes each page's HTML there once. --warmup S (default 3): before measuring,
 *   each page is loaded for S seconds by 4 clients, unmeasured (0: measure the cold server).
 * --cpu-prof: the server runs with `node --cpu-prof`; after the measurements it is stopped and its
 *   profiles summarised (`--summarise-profiles DIR` prints the summary of a kept profile folder again): self time by package (next, react-dom, RSC, prisma, pg, ours…) and the top
 *   functions. --soak N: after the measurements, N /console requests (20 clients) in five steps;
 *   after each step every worker runs a full GC and reports its live heap (VERIDESK_HEAP_PROBE=1
 *   with --expose-gc, on SIGUSR2: see scripts/next-server.mjs; off by default, no HTTP endpoint),
 *   first completed, then aborted by the client mid-render; --soak-path /signin soaks a minimal page instead.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { deviceCookieName, deviceIdHash, newDeviceId, signDeviceId } from "@/features/accounts/devices/device-cookie";
import pg from "pg";
import { hashPassword } from "@/features/accounts/password/password";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";
import { parseServerEnv, serverNodeFlags } from "@/platform/env";
import { type FillState, fill, verifySearchVectors } from "./bench-queue";
import { benchServerEnv, captureOutput, waitForServer } from "./bench-server";

const log = (line: string) => console.log(`[bench] ${line}`);
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

// ───────────────────────────── The server's processes (/proc) ─────────────────────────────

type ProcStat = { pid: number; ppid: number; cpuTicks: number; reapedTicks: number; rssBytes: number };

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may contain spaces and parentheses: the fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): field n is fields[n - 3].
    return {
      pid,
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      reapedTicks: Number(fields[13]) + Number(fields[14]),
      rssBytes: Number(fields[21]) * 4096,
    };
  } catch {
    return null;
  }
}

/** The process `root` and all its descendants, now. */
function processTree(root: number): ProcStat[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== null);
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of all) {
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
        tree.add(stat.pid);
        grew = true;
      }
    }
  }
  return all.filter((stat) => tree.has(stat.pid));
}

/** CPU ms the tree has used so far: live processes plus the children they have reaped (recycled workers). */
function treeCpuMs(root: number): number {
  return processTree(root).reduce((sum, stat) => sum + stat.cpuTicks + stat.reapedTicks, 0) * (1000 / CLOCK_TICKS_PER_SECOND);
}

const treeRss = (tree: ProcStat[]) => tree.reduce((sum, stat) => sum + stat.rssBytes, 0);

/**
 * The tree's proportional set size: each page shared by several processes (Node's own code, the
 * build's files, a forked worker's untouched pages) counted once in all, split between them; RSS
 * counts such a page once per process. The issue's FreeScout figure is PSS.
 */
function treePss(tree: ProcStat[]): number {
  let kilobytes = 0;
  for (const stat of tree) {
    let text: string;
    try {
      text = readFileSync(`/proc/${stat.pid}/smaps_rollup`, "utf8");
    } catch {
      if (existsSync(`/proc/${stat.pid}`)) return Number.NaN; // unreadable here (an old kernel, no permission): no figure
      continue; // the process ended between the listing and the read
    }
    const pss = /^Pss:\s+(\d+) kB$/m.exec(text)?.[1];
    if (pss === undefined) return Number.NaN;
    kilobytes += Number(pss);
  }
  return kilobytes * 1024;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

// ───────────────────────────── HTTP ─────────────────────────────

type Answer = { status: number; bytes: number; body: string; headers: http.IncomingHttpHeaders };

function request(
  port: number,
  agent: http.Agent | undefined,
  method: string,
  target: string,
  options: { cookie?: string; body?: string; keepBody?: boolean; gzip?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.gzip) headers["accept-encoding"] = "gzip";
    if (options.body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = String(Buffer.byteLength(options.body));
    }
    const outgoing = http.request({ host: "127.0.0.1", port, method, path: target, agent, headers }, (response) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (options.keepBody) chunks.push(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, bytes, body: Buffer.concat(chunks).toString("utf8"), headers: response.headers }));
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

/** A request whose client hangs up ~20 ms after sending it, before the page is rendered. */
function abortedRequest(port: number, target: string, cookie: string | undefined): Promise<void> {
  return new Promise((resolve) => {
    const outgoing = http.request({ host: "127.0.0.1", port, path: target, headers: cookie ? { cookie } : {} }, (response) => {
      response.resume();
      response.on("end", resolve);
      response.on("error", () => resolve());
    });
    outgoing.on("error", () => resolve());
    outgoing.on("close", () => resolve());
    outgoing.end();
    setTimeout(() => outgoing.destroy(), 20);
  });
}

const cookiesOf = (answer: Answer) => (answer.headers["set-cookie"] ?? []).map((cookie) => cookie.split(";")[0]!);

/** The server's NEXTAUTH_SECRET for this run: the bench signs its browsers' device cookies with it. */
const BENCH_SECRET = randomBytes(32).toString("base64url");
/** One bench "browser", known to the signed-in accounts (features/accounts/devices/), so sign-in asks no new-device code. */
const BENCH_DEVICE_ID = newDeviceId();

/** next-auth's credentials sign-in, as its own form posts it, from the bench's known browser. Returns the Cookie header of the session. */
async function signIn(port: number, email: string, password: string): Promise<string> {
  const csrf = await request(port, undefined, "GET", "/api/auth/csrf", { keepBody: true });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const jar = [...cookiesOf(csrf), `${deviceCookieName(false)}=${signDeviceId(BENCH_DEVICE_ID, BENCH_SECRET)}`];
  const body = new URLSearchParams({ email, password, csrfToken, callbackUrl: "/", json: "true" }).toString();
  const answer = await request(port, undefined, "POST", "/api/auth/callback/credentials", { cookie: jar.join("; "), body, keepBody: true });
  const session = cookiesOf(answer).find((cookie) => /session-token=./.test(cookie));
  if (!session) throw new Error(`sign-in of ${email} failed: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
  return session;
}

// ───────────────────────────── Load ─────────────────────────────

type Stats = { rps: number; p50: number; p95: number; p99: number; bytes: number; gzipBytes: number; cpuMsPerRequest: number; count: number; errors: number };

/** Closed loop: `concurrency` clients, each sending its next request as soon as the last one answered. */
async function load(port: number, serverPid: number, concurrency: number, seconds: number, target: string, cookie?: string): Promise<Stats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  // Warm-up: the connections, and the first render of this path in every worker.
  await Promise.all(Array.from({ length: Math.max(concurrency, 4) }, () => request(port, agent, "GET", target, { cookie })));
  const latencies: number[] = [];
  let bytes = 0;
  let errors = 0;
  const cpuBefore = treeCpuMs(serverPid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const answer = await request(port, agent, "GET", target, { cookie });
        latencies.push(performance.now() - t);
        bytes = answer.bytes;
        if (answer.status !== 200) errors += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = treeCpuMs(serverPid) - cpuBefore;
  // The load is measured uncompressed (as wrk sends it); a browser asks for gzip: what it receives.
  const gzipBytes = (await request(port, agent, "GET", target, { cookie, gzip: true })).bytes;
  agent.destroy();
  return summarise(latencies, elapsed, cpuMs, errors, bytes, gzipBytes);
}

/** Rates, percentiles and CPU per request of one measurement's latencies (ms), over `elapsed` seconds. */
function summarise(latencies: number[], elapsed: number, cpuMs: number, errors: number, bytes: number, gzipBytes: number): Stats {
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    rps: sorted.length / elapsed,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    bytes,
    gzipBytes,
    cpuMsPerRequest: cpuMs / sorted.length,
    count: sorted.length,
    errors,
  };
}

/**
 * Agents as they work: `agents` clients, each opening one of `targets` (in turn), then reading it for
 * a think time drawn from an exponential distribution with mean `thinkSeconds` before the next click.
 * The closed loop above (no think time) measures the server saturated, where latency is the queue
 * of 20 waiting requests (Little's law: 20 clients ÷ req/s); this measures what an agent waits for
 * at a given pace of the whole desk (about agents ÷ (think + latency) pages a second).
 */
async function loadWithThinkTime(
  port: number,
  serverPid: number,
  agents: number,
  thinkSeconds: number,
  seconds: number,
  targets: string[],
  cookie: string,
): Promise<Stats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: agents });
  const latencies: number[] = [];
  let errors = 0;
  const cpuBefore = treeCpuMs(serverPid);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await Promise.all(
    Array.from({ length: agents }, async (_, index) => {
      // Agents start spread over one think time, not all at the same instant.
      await sleep(Math.random() * thinkSeconds * 1000);
      for (let click = index; performance.now() < deadline; click++) {
        const t = performance.now();
        const answer = await request(port, agent, "GET", targets[click % targets.length]!, { cookie });
        latencies.push(performance.now() - t);
        if (answer.status !== 200) errors += 1;
        // Not past the deadline: a last think time would stretch the elapsed time and lower pages/s.
        await sleep(Math.min(-Math.log(1 - Math.random()) * thinkSeconds * 1000, Math.max(0, deadline - performance.now())));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = treeCpuMs(serverPid) - cpuBefore;
  agent.destroy();
  // Four different pages: no one page size to report.
  return summarise(latencies, elapsed, cpuMs, errors, 0, 0);
}

// ───────────────────────────── The SLA backlog ─────────────────────────────

/**
 * The generator writes its tickets at once without due times, most open ones long overdue, so the
 * server's SLA job (features/sla/job.ts) would spend 20 s of every 30 s giving them due times and
 * raising escalations for the whole run, in the process being measured (2026-12-06: 520 ms of CPU
 * per second with no requests at 100,000 tickets, against 4–8 once it has nothing to do). A desk
 * that has been running did that as its tickets came in. So, set-based, this gives each open ticket
 * due times as the job would, near enough (its best valid uncancelled agreement's tier, else
 * no_agreement; calendar time, as the migration's policies count) and records each breach that is already past as the job's
 * escalation, unique per ticket and event as the job's are: the server's job then finds only what
 * comes due during the run. scripts/bench-sla-backfill.ts measures the job catching up itself.
 */
async function settleSlaBacklog(client: pg.Client): Promise<{ dueTimes: number; escalations: number; seconds: number }> {
  const started = performance.now();
  const businessHours = await client.query(`SELECT 1 FROM "SlaPolicy" WHERE "businessHoursOnly" LIMIT 1`);
  if (businessHours.rowCount) throw new Error("settleSlaBacklog counts calendar time; a policy here counts business hours");
  const dueTimes = await client.query(`
    UPDATE "Ticket" t
    SET "slaScope" = s."scope",
        "firstResponseDueAt" = t."createdAt" + make_interval(mins => p."firstResponseMinutes"),
        "resolutionDueAt" = t."createdAt" + make_interval(mins => p."resolutionMinutes")
    FROM (
      SELECT o."id", COALESCE((
        SELECT a."tier"::text FROM "SupportAgreement" a
        WHERE (a."customerId" = o."customerId" OR a."organisationId" = (SELECT c."organisationId" FROM "Customer" c WHERE c."id" = o."customerId"))
          AND a."cancelledAt" IS NULL AND a."startsOn" <= o."createdAt"::date AND a."endsOn" >= o."createdAt"::date
        ORDER BY CASE a."tier" WHEN 'premium' THEN 0 WHEN 'standard' THEN 1 ELSE 2 END
        LIMIT 1), 'no_agreement') AS "scope"
      FROM "Ticket" o
      WHERE o."slaScope" IS NULL AND o."status" NOT IN ('solved', 'closed')
    ) s
    JOIN "SlaPolicy" p ON p."scope" = s."scope"
    WHERE t."id" = s."id"`);
  const escalations = await client.query(`
    INSERT INTO "Escalation" ("id", "ticketId", "reason", "note", "automatic", "slaEvent", "raisedAt")
    SELECT gen_random_uuid(), t."id", 'sla_breached', e."note", true, e."event", e."dueAt"
    FROM "Ticket" t
    CROSS JOIN LATERAL (VALUES
      ('first_response_breach', t."firstResponseDueAt", t."firstResponseAt" IS NULL, 'First response was missed.'),
      ('resolution_breach', t."resolutionDueAt", t."slaPausedAt" IS NULL, 'Resolution was missed.')
    ) AS e("event", "dueAt", "applies", "note")
    WHERE t."status" NOT IN ('solved', 'closed') AND t."slaScope" IS NOT NULL AND e."applies"
      AND e."dueAt" <= (now() AT TIME ZONE 'UTC')
    ON CONFLICT ("ticketId", "slaEvent") DO NOTHING`);
  await client.query(`VACUUM ANALYZE "Ticket", "Escalation"`);
  return { dueTimes: dueTimes.rowCount ?? 0, escalations: escalations.rowCount ?? 0, seconds: (performance.now() - started) / 1000 };
}

// ───────────────────────────── The server ─────────────────────────────

type Server = { child: ChildProcess; port: number; output: string[]; profileDir: string | null };

async function startServer(databaseUrl: string, port: number, workers: string, build: string, cpuProfile: boolean, heapProbe: boolean): Promise<Server> {
  const profileDir = cpuProfile ? mkdtempSync(path.join(os.tmpdir(), "veridesk-cpu-prof-")) : null;
  const nodeOptions = [process.env.NODE_OPTIONS ?? "", heapProbe ? "--expose-gc" : ""].join(" ");
  // Node refuses --cpu-prof in NODE_OPTIONS: profiling runs the server script itself under
  // `node --cpu-prof` (the database is already migrated); cluster workers inherit the flag.
  // With the same V8 flags `npm start` gives the server (SERVER_HEAP_GROWTH_PERCENT).
  const command = profileDir
    ? [
        "--cpu-prof",
        `--cpu-prof-dir=${profileDir}`,
        ...serverNodeFlags(parseServerEnv(benchServerEnv({ databaseUrl, port, secret: BENCH_SECRET, workers }))),
        "scripts/next-server.mjs",
        "--port",
        String(port),
        "--workers",
        String(workers),
      ]
    : ["scripts/start.mjs"];
  const child = spawn(process.execPath, command, {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...benchServerEnv({ databaseUrl, port, secret: BENCH_SECRET, workers }),
      NODE_OPTIONS: nodeOptions.trim(),
      NEXT_DIST_DIR: build,
      VERIDESK_HEAP_PROBE: heapProbe ? "1" : "0",
    },
  });
  const output = captureOutput(child, 2000);
  await waitForServer(child, output, workers, async () => (await request(port, undefined, "GET", "/api/health")).status);
  return { child, port, output, profileDir };
}

/**
 * Stops the server and every process under it, and returns once all are gone: the launcher can exit
 * before the next-server processes it started, which then kept the port and the next variant found it taken.
 */
async function stopServer(server: Server): Promise<void> {
  const pids = processTree(server.child.pid!).map((stat) => stat.pid);
  // A process that exited but was not reaped yet (state Z) holds no port: it counts as gone.
  const isRunning = (pid: number) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      return text.slice(text.lastIndexOf(")") + 2, text.lastIndexOf(")") + 3) !== "Z";
    } catch {
      return false;
    }
  };
  const alive = () => pids.filter(isRunning);
  for (const pid of alive()) process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const pid of alive()) process.kill(pid, "SIGKILL");
}

/** The next-server processes (the cluster primary and its workers). */
const nextServerPids = (root: number) =>
  processTree(root)
    .map((stat) => stat.pid)
    .filter((pid) => commandLine(pid).includes("next-server.mjs"));

/** Asks every next-server process for its live heap after a full GC; returns the sum in bytes. */
async function liveHeap(server: Server): Promise<{ total: number; perProcess: number[] }> {
  const pids = nextServerPids(server.child.pid!);
  const seen = server.output.length;
  for (const pid of pids) process.kill(pid, "SIGUSR2");
  const deadline = Date.now() + 20_000;
  for (;;) {
    const lines = server.output.slice(seen).filter((line) => line.includes("[heap-probe]"));
    if (lines.length >= pids.length || Date.now() > deadline) {
      for (const line of lines) log(line.slice(line.indexOf("[heap-probe]")));
      const perProcess = lines.map((line) => Number(/used=(\d+)/.exec(line)?.[1] ?? 0));
      return { total: perProcess.reduce((a, b) => a + b, 0), perProcess };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ───────────────────────────── CPU profile summary ─────────────────────────────

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  if (/react-server-dom/.test(url)) return "RSC (react-server-dom)";
  if (/react-dom/.test(url)) return "react-dom (HTML render)";
  if (/compiled\/react\b|\/react\/cjs/.test(url)) return "react";
  if (/next\/dist/.test(url)) return "next";
  if (/@prisma|prisma\/|\/generated\/prisma/.test(url)) return "prisma";
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(url)) return "pg";
  if (/next-auth|jose|openid/.test(url)) return "next-auth/jose";
  if (/node_modules\/zod/.test(url)) return "zod";
  if (/\[turbopack\]|turbopack/.test(url)) return "turbopack runtime";
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  if (/\/chunks\/|\/server\/app\//.test(url)) return "app bundle (ours + bundled libs)";
  return "other";
}

function summariseProfiles(dir: string): string[] {
  const files = readdirSync(dir).filter((name) => name.endsWith(".cpuprofile"));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as {
      nodes: ProfileNode[];
      startTime: number;
      endTime: number;
      samples: number[];
    };
    // Only the servers: the launcher idles the whole time.
    const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
    const busy = profile.nodes.reduce((sum, node) => sum + (node.callFrame.functionName === "(idle)" ? 0 : (node.hitCount ?? 0)), 0) * interval;
    if (busy < 1000) continue;
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === "(idle)" || !node.hitCount) continue;
      const ms = node.hitCount * interval;
      total += ms;
      const pkg = packageOf(url, functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
      const key = `${functionName || "(anonymous)"}  ${pkg}  ${url.replace(/^.*\/(node_modules|chunks)\//, "$1/")}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    }
  }
  const share = (ms: number) => `${((100 * ms) / total).toFixed(1).padStart(5)} %  ${Math.round(ms).toString().padStart(7)} ms`;
  return [
    `CPU profile (busy samples of ${files.length} process profiles, self time):`,
    ...[...byPackage].sort((a, b) => b[1] - a[1]).map(([name, ms]) => `  ${share(ms)}  ${name}`),
    "Top functions:",
    ...[...byFunction]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 30)
      .map(([name, ms]) => `  ${share(ms)}  ${name}`),
  ];
}

// ───────────────────────────── main ─────────────────────────────

const ms = (value: number) => (value < 10 ? value.toFixed(1) : Math.round(value).toString());

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10000,100000" },
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "1,20" },
      // Comma-separated: every build × worker count is measured in turn at each size, in the same run.
      workers: { type: "string", default: process.env.WEB_CONCURRENCY ?? String(os.availableParallelism()) },
      builds: { type: "string", default: process.env.NEXT_DIST_DIR || ".next" },
      "cpu-prof": { type: "boolean", default: false },
      // A folder to write each page's HTML into once (what makes a page heavy).
      "save-pages": { type: "string" },
      soak: { type: "string", default: "0" },
      // Leave the generated tickets without due times: the server's SLA job works the backlog off during the run.
      "sla-backlog": { type: "boolean", default: false },
      // Mean seconds an agent reads a page before the next click, for the "agents who think" table
      // (20 agents, the four queue views in turn); "" skips it.
      think: { type: "string", default: "2,0.5" },
      warmup: { type: "string", default: "3" },
      // The page soaked: /console, or a minimal page (e.g. /signin) to tell the app's leaks from the framework's.
      "soak-path": { type: "string", default: "/console" },
      keep: { type: "boolean", default: false },
      // Summarise the .cpuprofile files of an earlier --cpu-prof run (its folder) and stop.
      "summarise-profiles": { type: "string" },
    },
  });
  if (values["summarise-profiles"]) {
    console.log(summariseProfiles(values["summarise-profiles"]).join("\n"));
    return;
  }
  const sizes = values.sizes!.split(",").map((size) => Number(size.replace(/[_ ]/g, "")));
  if (sizes.some((size) => !Number.isSafeInteger(size) || size < 1000) || sizes.some((size, i) => i > 0 && size <= sizes[i - 1]!)) {
    throw new Error("--sizes takes increasing ticket counts of at least 1000, e.g. --sizes 10000,100000,1000000");
  }
  const seconds = Number(values.seconds);
  const concurrencies = values.concurrency!.split(",").map(Number);
  const soak = Number(values.soak);
  const thinkTimes = values.think ? values.think.split(",").map(Number) : [];
  if (thinkTimes.some((think) => !(think > 0))) throw new Error(`--think takes mean think times in seconds above 0, e.g. --think 2,0.5 (got ${values.think})`);
  if (!(Number(values.warmup) >= 0)) throw new Error(`--warmup takes seconds, 0 or more (got ${values.warmup})`);
  const port = Number(process.env.BENCH_PORT ?? 3119);
  const builds = values.builds!.split(",");
  for (const build of builds) {
    if (!existsSync(path.join(build, "BUILD_ID")))
      throw new Error(`No production build in ${build}: run \`npm run build\` (or set NEXT_DIST_DIR / --builds) first.`);
  }
  const variants = builds.flatMap((build) => values.workers!.split(",").map((workers) => ({ build, workers })));
  const distDir = builds.join(" and ");

  const dbServer = (process.env.BENCH_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432").replace(/\/$/, "");
  const url = `${dbServer}/veridesk_bench_${randomBytes(4).toString("hex")}`;
  let server: Server | null = null;
  let dropped = false;
  const cleanUp = async () => {
    if (server) await stopServer(server);
    server = null;
    if (dropped || values.keep) return;
    dropped = true;
    await dropDatabase(url).catch((error) => console.error(`[bench] could not drop ${url}: ${error}`));
    log("dropped the throwaway database");
  };

  log(
    `database ${url.replace(/^.*@/, "")}; sizes ${sizes.map((size) => size.toLocaleString("en")).join(", ")}; ${values.workers} worker(s); ` +
      `${seconds} s per measurement; ${os.availableParallelism()} cores; build ${distDir}`,
  );
  await migrateDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Ctrl-C: this connection would keep the database from being dropped.
  process.on("SIGINT", () => void client.end().finally(() => cleanUp().finally(() => process.exit(130))));
  const t0 = `'${new Date().toISOString().slice(0, 23).replace("T", " ")}'::timestamp`;
  const password = "bench-console-long-passphrase";
  const passwordHash = await hashPassword(password);
  const report: string[] = [];
  try {
    let state: FillState = { tickets: 0, customers: 0 };
    for (const size of sizes) {
      state = await fill(client, state, size, t0, log);
      await verifySearchVectors(client);
      if (!values["sla-backlog"]) {
        const settled = await settleSlaBacklog(client);
        log(
          `SLA backlog settled as the job would have: ${settled.dueTimes.toLocaleString("en")} tickets given due times, ` +
            `${settled.escalations.toLocaleString("en")} breaches recorded, ${settled.seconds.toFixed(1)} s`,
        );
      }

      // An agent (not a supervisor) and the portal customer with the most tickets, both without a second factor.
      const agent = (
        await client.query<{ id: string; email: string }>(`SELECT u."id", u."email" FROM bench.agents a JOIN "User" u ON u."id" = a."id" WHERE a."k" = 6`)
      ).rows[0]!;
      const customer = (
        await client.query<{ id: string; email: string }>(
          `SELECT u."id", u."email" FROM "User" u JOIN "Ticket" t ON t."requesterUserId" = u."id" WHERE u."role" = 'customer'
            GROUP BY u."id" ORDER BY count(*) DESC, u."id" LIMIT 1`,
        )
      ).rows[0]!;
      await client.query(`UPDATE "User" SET "passwordHash" = $1, "twoFactorMethod" = NULL, "emailVerifiedAt" = now() WHERE "id" = ANY($2)`, [
        passwordHash,
        [agent.id, customer.id],
      ]);
      // Both sign in from a browser they have used before (else the password step would owe a new-device code).
      for (const user of [agent, customer])
        await client.query(
          `INSERT INTO "KnownDevice" ("id", "userId", "idHash", "browser") VALUES (gen_random_uuid(), $1, $2, 'Bench') ON CONFLICT ("userId", "idHash") DO NOTHING`,
          [user.id, deviceIdHash(user.id, BENCH_DEVICE_ID, BENCH_SECRET)],
        );

      for (const variant of variants) {
        server = await startServer(url, port, variant.workers, variant.build, values["cpu-prof"]!, soak > 0);
        const serverPid = server.child.pid!;
        const agentCookie = await signIn(port, agent.email, password);
        const customerCookie = await signIn(port, customer.email, password);

        const first = await request(port, undefined, "GET", "/console", { cookie: agentCookie, keepBody: true });
        if (first.status !== 200) throw new Error(`/console answered ${first.status} for the signed-in agent`);
        const after = /[?&;]after=([A-Za-z0-9_-]+)/.exec(first.body)?.[1];
        const ticketId = /href="\/console\/tickets\/([0-9a-f-]{36})"/.exec(first.body)?.[1];
        if (!after || !ticketId) throw new Error("/console showed no next-page link or no ticket link");
        const portalTicket = (await client.query<{ id: string }>(`SELECT "id" FROM "Ticket" WHERE "requesterUserId" = $1 LIMIT 1`, [customer.id])).rows[0];
        if (!portalTicket) throw new Error("the portal customer has no ticket");

        const scenarios: { name: string; target: string; cookie?: string }[] = [
          { name: "/console (default: open work)", target: "/console", cookie: agentCookie },
          { name: "/console?priority=high", target: "/console?priority=high", cookie: agentCookie },
          { name: "/console?q=invoice (common word)", target: "/console?q=invoice", cookie: agentCookie },
          { name: "/console?after=… (cursor page)", target: `/console?after=${after}`, cookie: agentCookie },
          { name: "/console/tickets/[id] (agent ticket)", target: `/console/tickets/${ticketId}`, cookie: agentCookie },
          { name: "/portal (customer's tickets)", target: "/portal", cookie: customerCookie },
          // The framework's floor: a small dynamic page (a form, no data) rendered like every page.
          { name: "/signin (small page, anonymous)", target: "/signin" },
          { name: "/api/health", target: "/api/health" },
        ];
        let peakRss = treeRss(processTree(serverPid));
        let peakPss = treePss(processTree(serverPid));
        let samples = 0;
        // RSS every 200 ms; PSS (the kernel walks each process's page tables for it) every second.
        const sampler = setInterval(() => {
          const tree = processTree(serverPid);
          peakRss = Math.max(peakRss, treeRss(tree));
          if (++samples % 5 === 0) peakPss = Math.max(peakPss, treePss(tree));
        }, 200);
        // A measurement that throws must not leave it keeping the process alive after the report.
        sampler.unref();
        if (values["save-pages"]) mkdirSync(values["save-pages"], { recursive: true });
        if (values["save-pages"])
          for (const scenario of scenarios) {
            const page = await request(port, undefined, "GET", scenario.target, { cookie: scenario.cookie, keepBody: true });
            const file = path.join(values["save-pages"], `${scenario.name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}.html`);
            writeFileSync(file, page.body);
          }
        // A server agents use all day has compiled its hot paths: each page is loaded for a few
        // seconds, unmeasured, before the measurements (--warmup 0 measures the cold server).
        const warmup = Number(values.warmup);
        if (warmup > 0) {
          for (const scenario of scenarios) await load(port, serverPid, 4, warmup, scenario.target, scenario.cookie);
          log(`warmed up: every page for ${warmup} s with 4 clients, not measured`);
        }
        // What the server spends with nobody using it (background jobs, timers): every per-request
        // CPU figure below includes its share of this.
        const idleCpuBefore = treeCpuMs(serverPid);
        const idleStarted = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 5000));
        const idleCpuMsPerSecond = ((treeCpuMs(serverPid) - idleCpuBefore) * 1000) / (performance.now() - idleStarted);
        log(`idle for 5 s: the server used ${idleCpuMsPerSecond.toFixed(0)} ms of CPU per second`);
        const loadgenCpuBefore = process.cpuUsage();
        const results: { name: string; concurrency: number; stats: Stats }[] = [];
        for (const concurrency of concurrencies) {
          for (const scenario of scenarios) {
            const stats = await load(port, serverPid, concurrency, seconds, scenario.target, scenario.cookie);
            results.push({ name: scenario.name, concurrency, stats });
            log(
              `${size.toLocaleString("en")} tickets, ${concurrency} client(s), ${scenario.name}: ${Math.round(stats.rps)} req/s, ` +
                `p50 ${ms(stats.p50)} ms, p95 ${ms(stats.p95)} ms, ${ms(stats.cpuMsPerRequest)} CPU ms/req${stats.errors ? `, ${stats.errors} NOT 200` : ""}`,
            );
          }
        }
        // 20 agents with think time, the four queue views in turn (loadWithThinkTime); long enough
        // for ~200 pages at 2 s, so that p95 is not one slow page in forty.
        const queueViews = scenarios
          .filter((scenario) => scenario.target.startsWith("/console") && !scenario.target.startsWith("/console/"))
          .map((s) => s.target);
        const paced: { think: number; stats: Stats }[] = [];
        for (const think of thinkTimes) {
          const stats = await loadWithThinkTime(port, serverPid, 20, think, Math.max(3 * seconds, 20 * think), queueViews, agentCookie);
          paced.push({ think, stats });
          log(
            `${size.toLocaleString("en")} tickets, 20 agents thinking ${think} s: ${stats.rps.toFixed(1)} pages/s, p50 ${ms(stats.p50)} ms, p95 ${ms(stats.p95)} ms${stats.errors ? `, ${stats.errors} NOT 200` : ""}`,
          );
        }
        const loadgenCpu = process.cpuUsage(loadgenCpuBefore);
        clearInterval(sampler);
        const health = results.filter((result) => result.name === "/api/health");

        const tableStart = report.length;
        report.push(
          "",
          `${size.toLocaleString("en")} tickets / ${state.customers.toLocaleString("en")} customers, build ${variant.build}, ${variant.workers} worker(s), ${serverNodeFlags(parseServerEnv(benchServerEnv({ databaseUrl: url, port, secret: BENCH_SECRET, workers: variant.workers }))).join(" ") || "V8's own heap growth"}, load average ${os
            .loadavg()
            .map((value) => value.toFixed(2))
            .join(
              " ",
            )} (${os.availableParallelism()} cores), ${values["sla-backlog"] ? "SLA backlog left to the server's job" : "SLA backlog settled before the run"}`,
          `${"page".padEnd(40)}${"clients".padStart(8)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}${"p99 ms".padStart(8)}${"KB/page".padStart(9)}${"KB gzip".padStart(9)}${"CPU ms/req".padStart(12)}${"÷ health".padStart(10)}`,
          ...results.map(({ name, concurrency, stats }) => {
            const base = health.find((result) => result.concurrency === concurrency)!.stats.rps;
            return (
              name.padEnd(40) +
              String(concurrency).padStart(8) +
              Math.round(stats.rps).toString().padStart(8) +
              ms(stats.p50).padStart(8) +
              ms(stats.p95).padStart(8) +
              ms(stats.p99).padStart(8) +
              (stats.bytes / 1024).toFixed(1).padStart(9) +
              (stats.gzipBytes / 1024).toFixed(1).padStart(9) +
              ms(stats.cpuMsPerRequest).padStart(12) +
              `${Math.round((100 * stats.rps) / base)} %`.padStart(10) +
              (stats.errors ? `  ${stats.errors} answers not 200!` : "")
            );
          }),
          ...(paced.length
            ? [
                `20 agents clicking through the four /console views, each reading a page for a mean think time (exponential) before the next:`,
                `${"think time".padEnd(40)}${"pages/s".padStart(8)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}${"p99 ms".padStart(8)}${"CPU ms/req".padStart(12)}`,
                ...paced.map(
                  ({ think, stats }) =>
                    `${`${think} s`.padEnd(40)}${stats.rps.toFixed(1).padStart(8)}${ms(stats.p50).padStart(8)}${ms(stats.p95).padStart(8)}${ms(stats.p99).padStart(8)}${ms(stats.cpuMsPerRequest).padStart(12)}` +
                    (stats.errors ? `  ${stats.errors} answers not 200!` : ""),
                ),
              ]
            : []),
          `server CPU while idle (5 s, no requests): ${idleCpuMsPerSecond.toFixed(0)} ms per second`,
          `server peak RSS ${Math.round(peakRss / 2 ** 20)} MB, peak PSS ${Number.isNaN(peakPss) ? "n/a" : `${Math.round(peakPss / 2 ** 20)} MB`} (all its processes; PSS counts shared pages once); load generator used ${Math.round((loadgenCpu.user + loadgenCpu.system) / 1000)} ms CPU in both tables`,
        );
        // Printed now as well as at the end: a long run stopped half-way keeps what it measured.
        console.log(report.slice(tableStart).join("\n"));

        if (soak > 0) {
          // Completed requests, then requests the client gives up on mid-render (a closed tab, a
          // proxy timeout, the end of a load test): upstream reports (vercel/next.js #98094) say only
          // the second kind is retained.
          const soakPath = values["soak-path"]!;
          // The agent's session for the console; anonymous elsewhere (a signed-in visitor of /signin is sent on).
          const soakCookie = soakPath.startsWith("/console") ? agentCookie : undefined;
          for (const aborting of [false, true]) {
            const steps = 5;
            const heaps = [await liveHeap(server)];
            const pool = new http.Agent({ keepAlive: true, maxSockets: 20 });
            for (let step = 0; step < steps; step++) {
              let left = Math.round(soak / steps);
              await Promise.all(
                Array.from({ length: 20 }, async () => {
                  while (left-- > 0) {
                    if (aborting) await abortedRequest(port, soakPath, soakCookie);
                    else await request(port, pool, "GET", soakPath, { cookie: soakCookie });
                  }
                }),
              );
              heaps.push(await liveHeap(server));
              log(
                `soak (${aborting ? "aborted" : "completed"}): ${Math.round(((step + 1) * soak) / steps)} ${values["soak-path"]} requests, live heap ${(heaps.at(-1)!.total / 2 ** 20).toFixed(1)} MB`,
              );
            }
            pool.destroy();
            const base = heaps[1]!.total; // after the first step: caches and JIT are warm
            const last = heaps.at(-1)!.total;
            report.push(
              `soak of ${values["soak-path"]}, ${aborting ? "requests aborted by the client after ~20 ms" : "completed requests"}: live heap after a full GC (MB, all workers) at 0, ` +
                `${Array.from({ length: steps }, (_, i) => Math.round(((i + 1) * soak) / steps)).join(", ")} requests: ` +
                heaps.map((heap) => (heap.total / 2 ** 20).toFixed(1)).join(" → ") +
                `; growth after the first step ${((100 * (last - base)) / base).toFixed(1)} % (target: within 10 %)`,
            );
          }
        }

        const profileDir = server.profileDir;
        await stopServer(server);
        server = null;
        if (profileDir) report.push(...summariseProfiles(profileDir));
      }
    }
  } finally {
    // Printed even when a later variant fails: the figures measured so far are still figures.
    console.log(report.join("\n"));
    await client.end();
    await cleanUp();
  }
}

await main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.stack : error}`);
  process.exitCode = 1;
});
