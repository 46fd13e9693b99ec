import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { E2E } from "./fixtures/environment";

/**
 * The zero-setup default, as a newcomer runs it: no DATABASE_URL, an empty data folder, demo
 * mode. The launcher starts the embedded PostgreSQL, migrates, seeds and serves.
 */
process.env.SMOKE_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "veridesk-smoke-"));
const port = Number(process.env.SMOKE_PORT ?? 3200);

export default defineConfig({
  testDir: ".",
  testMatch: "embedded-smoke.spec.ts",
  workers: 1,
  reporter: [["list"]],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: { executablePath: "/usr/bin/chromium", args: E2E.chromiumArgs },
  },
  webServer: {
    command: "node scripts/start.mjs --demo",
    cwd: "..",
    url: `http://localhost:${port}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: "",
      DATA_DIR: process.env.SMOKE_DATA_DIR,
      EMBEDDED_POSTGRES_PORT: String(Number(process.env.SMOKE_PG_PORT ?? 54339)),
    },
  },
});
