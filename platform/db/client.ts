import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/platform/db/generated/prisma/client";

// One client per process, created on first use (so `next build` can import modules without a
// database). Next's dev server re-evaluates modules, so it is kept on globalThis.
const globalForPrisma = globalThis as unknown as { veridesk_prisma?: PrismaClient };

function createClient(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error("DATABASE_URL is not set. Start the app with `npm start`, which provides the embedded database.");
  }
  const adapter = new PrismaPg({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  return (globalForPrisma.veridesk_prisma ??= createClient());
}

/** The app's database client. Lazily connects on first query. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectDb() {
  await globalForPrisma.veridesk_prisma?.$disconnect();
  globalForPrisma.veridesk_prisma = undefined;
  const { closePreparedPool } = await import("@/platform/db/prepared");
  await closePreparedPool();
}

export * from "@/platform/db/generated/prisma/client";
