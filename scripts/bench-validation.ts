/**
 * `npm run bench:validation [-- --customers 100000 --keep]`
 *
 * Benchmark of bulk contact validation (features/data-quality/validation/run.ts), not a test: it
 * prints figures. On a THROWAWAY database (BENCH_DATABASE_SERVER, default
 * postgresql://postgres@127.0.0.1:5432) with the real migrations, it creates N customers (default
 * 100,000), each with one email address and one phone number, by set-based SQL, with a realistic
 * share of bad ones (unknown domains, role addresses, typos, disposable domains, bounces, invalid
 * and landline-as-mobile numbers, numbers shared by two customers). Then it runs the validation job
 * twice, as the server would (the job queue, the registered handler):
 *
 * 1. with DNS off (VALIDATION_DNS=off): the per-contact work alone, the ≤ 30 s target;
 * 2. with DNS on, against a real DNS server on loopback (platform/dns/loopback-dns-server.ts) that
 *    answers each distinct domain (16 lookups in flight, one per domain).
 *
 * Prints contacts per second, total seconds and this process's peak RSS for each. Drops the
 * database at the end (also on Ctrl-C) unless --keep.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";
import { conventionalZone, startLoopbackDnsServer } from "@/platform/dns/loopback-dns-server";

const { values } = parseArgs({ options: { customers: { type: "string", default: "100000" }, keep: { type: "boolean", default: false } } });
const customers = Number(values.customers!.replace(/[_ ,]/g, ""));
if (!Number.isSafeInteger(customers) || customers < 100) throw new Error("--customers takes a whole number of at least 100");

const server = (process.env.BENCH_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432").replace(/\/$/, "");
const url = `${server}/veridesk_bench_${randomBytes(4).toString("hex")}`;
const log = (line: string) => console.log(`[bench] ${line}`);
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
process.env.VALIDATION_NIGHTLY_HOUR_UTC = "off";
// appNow() reads the validated environment; the benchmark sends nothing, so demo mode is enough.
process.env.VERIDESK_DEMO ??= "1";

let dropped = false;
async function cleanUp() {
  if (dropped || values.keep) return;
  dropped = true;
  const { disconnectDb } = await import("@/platform/db/client");
  await disconnectDb().catch(() => undefined);
  await dropDatabase(url).catch((error) => console.error(`[bench] could not drop ${url}: ${error}`));
  log("dropped the throwaway database");
}
process.on("SIGINT", () => void cleanUp().finally(() => process.exit(130)));

/** Row i's contacts; every value is a pure function of i, so runs repeat exactly. */
const FILL = (n: number) => String.raw`
INSERT INTO "Organisation" (id, name, "normalizedName", "updatedAt")
SELECT gen_random_uuid(), 'Org ' || o, 'org ' || o, now() FROM generate_series(1, ${Math.max(1, Math.floor(n / 50))}) AS o;

CREATE TEMP TABLE orgs AS SELECT row_number() OVER (ORDER BY id) AS k, id FROM "Organisation";

INSERT INTO "Customer" (id, "accountNumber", name, "organisationId", "updatedAt")
SELECT gen_random_uuid(), 'B-' || i,
       -- 1 in 200 shares its name and organisation with the customer before it (a likely duplicate).
       CASE WHEN i % 200 = 1 THEN 'Customer ' || (i - 1) ELSE 'Customer ' || i END,
       (SELECT id FROM orgs WHERE k = 1 + ((CASE WHEN i % 200 = 1 THEN i - 1 ELSE i END) % (SELECT count(*) FROM orgs))),
       now()
  FROM generate_series(1, ${n}) AS i;

CREATE TEMP TABLE numbered AS SELECT row_number() OVER (ORDER BY "accountNumber") AS i, id FROM "Customer";

INSERT INTO "CustomerEmail" (id, "customerId", address, normalized, "isPrimary", deliverability, "verifiedAt", "updatedAt")
SELECT gen_random_uuid(), c.id, a.address, lower(btrim(a.address)), true,
       (CASE WHEN c.i % 97 = 0 THEN 'bouncing' WHEN c.i % 211 = 0 THEN 'complained' ELSE 'delivering' END)::"Deliverability",
       CASE WHEN c.i % 3 = 0 THEN now() END, now()
  FROM numbered c
  CROSS JOIN LATERAL (SELECT CASE
    WHEN c.i % 50 = 0 THEN 'info' || c.i || '@d' || (c.i % 2000) || '.example'
    WHEN c.i % 50 = 1 THEN 'sales@d' || (c.i % 2000) || '-' || c.i || '.example'
    WHEN c.i % 50 = 2 THEN 'p' || c.i || '@nxdomain-' || (c.i % 300) || '.example'
    WHEN c.i % 50 = 3 THEN 'p' || c.i || '@gmail.con'
    WHEN c.i % 50 = 4 THEN 'p' || c.i || '@mailinator.com'
    WHEN c.i % 50 = 5 THEN 'p' || c.i || ' at example.com'
    WHEN c.i % 50 = 6 THEN 'p' || c.i || '@no-mail-' || (c.i % 100) || '.example'
    WHEN c.i % 50 = 7 THEN 'P' || c.i || '@Gmail.COM'
    ELSE 'person' || c.i || '@d' || (c.i % 2000) || '.example' END AS address) AS a;

INSERT INTO "CustomerPhone" (id, "customerId", e164, kind)
SELECT gen_random_uuid(), c.id,
       CASE
         WHEN c.i % 40 = 0 THEN '+4420718' || lpad((c.i % 100000)::text, 5, '0')     -- London landline
         WHEN c.i % 40 = 1 THEN '+44207'                                             -- too short
         WHEN c.i % 40 = 2 THEN '+4456' || lpad((c.i % 100000000)::text, 8, '0')     -- VoIP
         WHEN c.i % 40 = 3 THEN '07' || lpad((c.i % 1000000000)::text, 9, '0')       -- national form
         WHEN c.i % 40 = 4 THEN '+44 7' || lpad((400000000 + c.i)::text, 9, '0')     -- spaced, not E.164
         ELSE '+447' || lpad((400000000 + c.i)::text, 9, '0')
       END,
       (CASE WHEN c.i % 40 = 0 OR c.i % 3 = 0 THEN 'mobile' WHEN c.i % 3 = 1 THEN 'fixed' ELSE 'other' END)::"PhoneKind"
  FROM numbered c;

-- 1 in 400 customers has a number another customer also has.
UPDATE "CustomerPhone" p SET e164 = '+447' || lpad((400000000 + c.i - 1)::text, 9, '0')
  FROM numbered c WHERE p."customerId" = c.id AND c.i % 400 = 6;
`;

async function main() {
  log(`throwaway database ${url.replace(/^.*@/, "")}; ${customers.toLocaleString("en")} customers, one email and one phone each`);
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const filling = Date.now();
  await client.query(FILL(customers));
  for (const table of ["Customer", "CustomerEmail", "CustomerPhone"]) await client.query(`VACUUM ANALYZE "${table}"`);
  await client.end();
  const { db } = await import("@/platform/db/client");
  const [emails, phones] = await Promise.all([db.customerEmail.count(), db.customerPhone.count()]);
  log(`filled in ${((Date.now() - filling) / 1000).toFixed(1)} s: ${emails.toLocaleString("en")} emails, ${phones.toLocaleString("en")} phones`);

  const { enqueueJob } = await import("@/platform/jobs/queue");
  const { registerJobHandler, runJobsUntilIdle } = await import("@/platform/jobs/runner");
  const { contactValidationHandler, VALIDATION_JOB_KIND } = await import("@/features/data-quality/validation/run");
  const { createNodeResolver } = await import("@/platform/dns/mail-domains");
  const { readCounts } = await import("@/features/data-quality/validation/counts");

  const measure = async (label: string, resolver: ReturnType<typeof createNodeResolver> | null) => {
    registerJobHandler(VALIDATION_JOB_KIND, contactValidationHandler({ resolver }));
    const job = await enqueueJob(VALIDATION_JOB_KIND, { trigger: "manual" });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    await runJobsUntilIdle({ kinds: [VALIDATION_JOB_KIND] });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const done = await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } });
    if (done.status !== "succeeded") throw new Error(`the run ended ${done.status}: ${done.error}`);
    const run = await db.validationRun.findUniqueOrThrow({ where: { jobId: job.id } });
    const counts = readCounts(run.counts);
    const contacts = counts.email.total + counts.phone.total;
    log(
      `${label}: ${contacts.toLocaleString("en")} contacts in ${seconds.toFixed(1)} s = ${Math.round(contacts / seconds).toLocaleString("en")} contacts/s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (this process; ${(rssBefore / 2 ** 20).toFixed(0)} MB before)`,
    );
    log(
      `  email valid/doubtful/invalid ${counts.email.valid}/${counts.email.doubtful}/${counts.email.invalid}; phone ${counts.phone.valid}/${counts.phone.doubtful}/${counts.phone.invalid}; duplicate phones ${counts.duplicates.phones}, likely duplicate customers ${counts.duplicates.customers}`,
    );
    log(`  top email reasons ${JSON.stringify(counts.email.reasons)}`);
    log(`  top phone reasons ${JSON.stringify(counts.phone.reasons)}`);
    return seconds;
  };

  try {
    await measure("DNS off", null);
    const dns = await startLoopbackDnsServer(conventionalZone);
    try {
      await measure("DNS on (loopback server)", createNodeResolver({ servers: [dns.address], timeoutMs: 2_000 }));
      log(`  the DNS server was asked ${dns.queries.length.toLocaleString("en")} questions`);
    } finally {
      await dns.close();
    }
  } finally {
    await cleanUp();
  }
}

await main();
process.exit(0);
