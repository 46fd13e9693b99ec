/**
 * The launcher's refusals: each ends with exit code 1 and one sentence saying what to do, before
 * anything is served (so no build is needed here).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";

const root = path.resolve(__dirname, "..");

function launch(env: Record<string, string>, args: string[] = []) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|NEXTAUTH_|VERIDESK_|RESEND_|TWILIO_|PORT$|DATA_DIR|DEMO_HOST|TRUSTED_PROXY_)/.test(name)),
  );
  // As `npm start` runs it.
  const result = spawnSync(process.execPath, ["scripts/start.mjs", ...args], {
    cwd: root,
    env: { ...clean, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = `${result.stdout}${result.stderr}`
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("[veridesk]"));
  return { status: result.status, last: lines.at(-1) ?? "", output: `${result.stdout}${result.stderr}` };
}

const SECRET = "launcher-test-secret-launcher-test-secret";

describe("npm start refuses clearly", () => {
  it("names every bad variable", () => {
    const run = launch({ NEXTAUTH_SECRET: "short", DATABASE_URL: "mysql://root@db/x", PORT: "3399" });
    expect(run.status).toBe(1);
    expect(run.last).toMatch(
      /^\[veridesk\] Cannot start\. Invalid configuration: DATABASE_URL must be a PostgreSQL URL.*NEXTAUTH_SECRET must be at least 32 characters/,
    );
    expect(run.output).not.toMatch(/\n\s+at /); // no stack trace
    // From the default cache folder, compiled: no fallback to tsx.
    expect(run.output).not.toContain("running it under tsx");
  });

  it("says when DATABASE_URL cannot be reached", () => {
    const run = launch({ NEXTAUTH_SECRET: SECRET, DATABASE_URL: "postgresql://postgres@127.0.0.1:5999/veridesk", PORT: "3398" }, ["--demo"]);
    expect(run.status).toBe(1);
    expect(run.last).toBe("[veridesk] Cannot reach PostgreSQL at 127.0.0.1:5999/veridesk: connection refused. Start PostgreSQL there or fix DATABASE_URL.");
  });

  it("says when the port is in use", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const run = launch({ NEXTAUTH_SECRET: SECRET, PORT: String(port) }, ["--demo"]);
      expect(run.status).toBe(1);
      expect(run.last).toBe(`[veridesk] Port ${port} is already in use (is Veridesk already running?). Stop the other program or set PORT to a free port.`);
    } finally {
      blocker.close();
    }
  });

  it("refuses demo mode in production on a public NEXTAUTH_URL", () => {
    const run = launch({ NEXTAUTH_SECRET: SECRET, NEXTAUTH_URL: "https://help.example.com", PORT: "3396" }, ["--demo"]);
    expect(run.status).toBe(1);
    expect(run.last).toMatch(
      /^\[veridesk\] Cannot start\. Invalid configuration: VERIDESK_DEMO is refused in production with a public NEXTAUTH_URL \(https:\/\/help\.example\.com\), because demo mode shows every sign-in code to anyone at \/dev\/mailbox/,
    );
  });

  it("keeps demo mode on 127.0.0.1 unless DEMO_HOST says otherwise, and warns when it does", async () => {
    // A port taken on 127.0.0.1 only: the demo, listening there, must find it busy.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const local = launch({ NEXTAUTH_SECRET: SECRET, PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}` }, ["--demo"]);
      expect(local.output).toContain("[veridesk] Demo mode listens on 127.0.0.1 only");
      expect(local.last).toBe(`[veridesk] Port ${port} is already in use (is Veridesk already running?). Stop the other program or set PORT to a free port.`);
      const exposed = launch({ NEXTAUTH_SECRET: SECRET, PORT: String(port), DEMO_HOST: "0.0.0.0" }, ["--demo"]);
      expect(exposed.output).toContain("[veridesk] WARNING: demo mode is listening on 0.0.0.0: anyone who can reach it can read every sign-in code");
    } finally {
      blocker.close();
    }
  });

  it("refuses a second process on the same data folder", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "veridesk-lock-"));
    // This test process plays the running owner.
    writeFileSync(path.join(dataDir, "veridesk.lock"), String(process.pid));
    const run = launch({ NEXTAUTH_SECRET: SECRET, PORT: "3397", DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: "54397" }, ["--demo"]);
    expect(run.status).toBe(1);
    expect(run.last).toBe(
      `[veridesk] Another Veridesk process (pid ${process.pid}) is already using the data folder ${dataDir}. Stop it first, or set DATA_DIR to another folder (or DATABASE_URL to a PostgreSQL server).`,
    );
  });
});

describe("the launcher runs compiled, without a TypeScript loader in its process", () => {
  it("compiles scripts/start.ts into the cache folder and runs that (the refusal comes from the compiled file)", () => {
    // Inside the project, as the default folder is: the compiled file's package imports resolve from there.
    mkdirSync(path.join(root, "node_modules/.cache"), { recursive: true });
    const cache = mkdtempSync(path.join(root, "node_modules/.cache/veridesk-test-"));
    onTestFinished(() => rmSync(cache, { recursive: true, force: true }));
    const run = launch({ NEXTAUTH_SECRET: "short", PORT: "3395" }, ["--launcher-cache", cache]);
    expect(run.status).toBe(1);
    expect(run.last).toMatch(/^\[veridesk\] Cannot start\. Invalid configuration: NEXTAUTH_SECRET must be at least 32 characters/);
    expect(run.output).not.toContain("running it under tsx");
    const compiled = readFileSync(path.join(cache, "launcher.mjs"), "utf8");
    // Our modules inlined, packages left as imports from node_modules, and the launcher finds its siblings from start.ts's own place.
    expect(compiled).toContain("function parseServerEnv(");
    expect(compiled).toMatch(/from "zod"/);
    expect(compiled).toContain(JSON.stringify(pathToFileURL(path.join(root, "scripts/start.ts")).href));
    expect(readdirSync(cache)).toEqual(["launcher.mjs"]);
  });

  it("says so and runs under tsx when the cache folder cannot be written", () => {
    const run = launch({ NEXTAUTH_SECRET: "short", PORT: "3394" }, ["--launcher-cache", "/dev/null/veridesk"]);
    // The reason is the file system's, in one line (not a line of esbuild's or Node's stack).
    expect(run.output).toMatch(
      /\[veridesk\] Could not compile the launcher into \/dev\/null\/veridesk \(ENOTDIR: not a directory, mkdir '\/dev\/null\/veridesk'\); running it under tsx instead\./,
    );
    expect(run.status).toBe(1);
    expect(run.last).toMatch(/^\[veridesk\] Cannot start\. Invalid configuration: NEXTAUTH_SECRET must be at least 32 characters/);
  });
});

describe("the launcher's own imports", () => {
  it("load in plain Node: nothing the demo seed reaches imports a server-only module", () => {
    // scripts/prepare-database.ts seeds the demo before Next starts, outside the react-server condition, where
    // `import "server-only"` throws; unit tests alias it away, so only this run would notice.
    const result = spawnSync(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "-e",
        'Promise.all([import("@/prisma/seed"), import("@/features/demo/demo-data"), import("@/platform/db/database")]).then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); })',
      ],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
