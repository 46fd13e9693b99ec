import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // Server modules say `import "server-only"`; tests run them in Node, as the server does.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    include: ["platform/**/*.test.{ts,tsx}", "features/**/*.test.{ts,tsx}", "ui/**/*.test.{ts,tsx}", "app/**/*.test.ts", "scripts/**/*.test.ts"],
    globalSetup: ["platform/testing/global-setup.ts"],
    environment: "node",
    // Tests share one database; files run one at a time so their rows never race.
    fileParallelism: false,
    testTimeout: 20_000,
    env: {
      NEXTAUTH_SECRET: "unit-test-secret-unit-test-secret-0123456789",
      VERIDESK_DEMO: "1",
      NODE_ENV: "test",
    },
  },
});
