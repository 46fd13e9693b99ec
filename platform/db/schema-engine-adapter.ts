/**
 * The driver adapter that Prisma 6.19's WebAssembly schema engine (the CLI's `engine: "js"`)
 * uses for `migrate deploy` / `migrate dev`. It is the stock PrismaPg adapter with the
 * engine's PostgreSQL quirks handled here, in one place (see ../shared/notes/offline-stack.md):
 *
 *  1. Catalog columns of type `name` (OID 19) and `"char"` (OID 18) have no Prisma column type
 *     ("Column type 'name' could not be deserialized", prisma/prisma#27403). They are text
 *     to every reader, so they are reported as text (OID 25).
 *  2. `executeScript` splits a migration on every ";" — wrong inside strings, comments and
 *     `$$` function bodies. PostgreSQL's simple-query protocol runs a whole script in one call.
 *  3. The shadow database must be a separate database: with a `connectionString` config the
 *     stock factory's `{ ...config, database }` still points at the main one, so the pool is
 *     configured from discrete fields. Upstream also drops the shadow database while its own
 *     pool still holds connections; the pool is closed first here.
 *  4. Idle pool clients keep the CLI process alive for a minute after it is done; pools here
 *     let the process exit when idle.
 *
 *  5. (platform/db/schema-engine-timers.cjs) Engine timers kept the CLI alive ~60 s after it finished.
 *
 * Creating the database itself is not the engine's job here (it cannot): platform/db/database.ts does it.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18, 19]);

type QueryResult = { fields?: { dataTypeID: number }[] };
type Queryable = {
  // A multi-statement script (the engine applies whole migrations through executeRaw) yields an array.
  performIO?: (query: unknown) => Promise<QueryResult | QueryResult[]>;
  client: { query: (sql: string) => Promise<unknown> };
  onError: (error: unknown) => never;
  executeScript: (script: string) => Promise<void>;
  startTransaction?: (isolationLevel?: string) => Promise<Queryable>;
  dispose?: () => Promise<void>;
};

function patchQueryable<T>(target: T): T {
  const queryable = target as unknown as Queryable;
  const performIO = queryable.performIO?.bind(queryable);
  if (performIO) {
    queryable.performIO = async (query) => {
      const result = await performIO(query);
      for (const statement of [result].flat()) {
        for (const field of statement.fields ?? []) {
          if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
        }
      }
      return result;
    };
  }
  queryable.executeScript = async (script: string) => {
    try {
      await queryable.client.query(script);
    } catch (error) {
      queryable.onError(error);
    }
  };
  const startTransaction = queryable.startTransaction?.bind(queryable);
  if (startTransaction) {
    queryable.startTransaction = async (isolationLevel) => patchQueryable(await startTransaction(isolationLevel));
  }
  return target;
}

function poolConfig(databaseUrl: string, database?: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: database ?? decodeURIComponent(url.pathname.slice(1)),
    ssl: url.searchParams.get("sslmode") === "require" ? { rejectUnauthorized: false } : undefined,
    max: 4,
    idleTimeoutMillis: 500,
    allowExitOnIdle: true,
  };
}

export function schemaEngineAdapterFactory(databaseUrl: string) {
  const factory = new PrismaPg(poolConfig(databaseUrl));
  const connect = factory.connect.bind(factory);
  factory.connect = async () => patchQueryable(await connect());
  factory.connectToShadowDb = async () => {
    const admin = new pg.Client(poolConfig(databaseUrl));
    const database = `veridesk_shadow_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const shadowPool = new pg.Pool(poolConfig(databaseUrl, database));
    const shadowFactory = new PrismaPg(shadowPool, { disposeExternalPool: true });
    const adapter = patchQueryable(await shadowFactory.connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      const dropper = new pg.Client(poolConfig(databaseUrl));
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await dropper.end();
    };
    return adapter;
  };
  return factory;
}
