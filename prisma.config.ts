import { defineConfig } from "prisma/config";
import { schemaEngineAdapterFactory } from "./platform/db/schema-engine-adapter";

// Prisma skips .env loading when a config file exists; the npm scripts and the launcher set
// DATABASE_URL themselves (platform/db/database.ts). `prisma generate` needs no database.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run migrations through `npm run db:migrate`, which provides it.");
    return schemaEngineAdapterFactory(url);
  },
});
