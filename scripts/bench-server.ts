/**
 * The production server as the benchmarks start it (bench:console, bench:api): the environment
 * `npm start` needs, with email and SMS pointed at an unreachable address, and the wait until
 * every worker has said it is ready.
 */
import type { ChildProcess } from "node:child_process";
import os from "node:os";

export function benchServerEnv(options: { databaseUrl: string; port: number; secret: string; workers: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    NEXTAUTH_URL: `http://127.0.0.1:${options.port}`,
    NEXTAUTH_SECRET: options.secret,
    // Real email/SMS are never sent: the outbox worker runs (as it would) against an unreachable API.
    RESEND_API_KEY: "re_bench_never_used",
    RESEND_BASE_URL: "http://127.0.0.1:9",
    EMAIL_FROM: "Bench <bench@veridesk.test>",
    TWILIO_ACCOUNT_SID: `AC${"be0c".repeat(8)}`,
    TWILIO_AUTH_TOKEN: "bench-twilio-auth-token-0000",
    TWILIO_FROM_NUMBER: "+15005550006",
    TWILIO_BASE_URL: "http://127.0.0.1:9",
    REQUIRE_STAFF_TWO_FACTOR: "0",
    WEB_CONCURRENCY: options.workers,
    VERIDESK_DEMO: "0",
  };
}

/** The server's output lines (the last `keep`), for readiness and for the error when it fails. */
export function captureOutput(child: ChildProcess, keep: number): string[] {
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) output.push(line);
    if (output.length > keep) output.splice(0, output.length - keep);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return output;
}

/** Returns once /api/health answers 200 (`healthStatus`) and every worker has printed "Next.js ready". */
export async function waitForServer(child: ChildProcess, output: string[], workers: string, healthStatus: () => Promise<number | null>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output.join("\n")}`);
    if (Date.now() > deadline) throw new Error(`the server did not answer within 2 minutes:\n${output.join("\n")}`);
    const status = await healthStatus().catch(() => null);
    // With several workers, wait until each has said it is ready (one line per worker).
    const ready = output.filter((line) => line.includes("Next.js ready")).length;
    if (status === 200 && ready >= Math.max(1, Number(workers) || os.availableParallelism())) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
