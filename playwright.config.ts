import { defineConfig } from "@playwright/test";
import { E2E } from "./e2e/fixtures/environment";

/**
 * End-to-end tests in Debian's chromium against the production build (`next build` first).
 * Two app instances (A and B) share one throwaway PostgreSQL database, as two instances behind a
 * load balancer would; email goes through the real Resend SDK to a loopback fake.
 */
export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  testIgnore: "**/embedded-smoke.spec.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: E2E.instanceA,
    launchOptions: { executablePath: "/usr/bin/chromium", args: E2E.chromiumArgs },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: `npx tsx e2e/fixtures/fake-providers.ts --port ${E2E.fakePort}`,
      url: `${E2E.fakeProviders}/__fake/emails`,
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: "node scripts/start.mjs --demo",
      url: `${E2E.instanceA}/api/health`,
      env: E2E.appEnv(E2E.portA),
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "pipe",
    },
    {
      // Instance B starts with the same database and secret; the demo data is already there.
      command: "node scripts/start.mjs --demo --no-seed",
      url: `${E2E.instanceB}/api/health`,
      env: E2E.appEnv(E2E.portB),
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
    },
  ],
});
