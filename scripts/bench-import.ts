/**
 * `npm run bench:import [-- --rows 100000 --existing 30000 --keep]`
 *
 * The customer CSV import (features/data-quality/import/) at size, through its real job handlers:
 * a THROWAWAY database on TEST_DATABASE_SERVER (default postgresql://postgres@127.0.0.1:5432),
 * migrated with the real migrations and dropped at the end; `--existing` customers already in it
 * (set-based SQL), some with verified addresses and mobiles; then a generated CSV of `--rows` rows
 * with the faults real exports have (updates by account number, by alias address and by phone,
 * blank cells, exact and conflicting duplicates, broken addresses and numbers, verified values it
 * disagrees with, formula-looking names, national-format numbers, quoted line breaks), uploaded,
 * checked (dry run) and committed. Prints rows per second per phase, the outcome counts and the
 * peak resident memory of this process (which runs the handlers, as the server would).
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";

const { values: args } = parseArgs({
  options: { rows: { type: "string", default: "100000" }, existing: { type: "string", default: "30000" }, keep: { type: "boolean", default: false } },
});
const ROWS = Number(args.rows);
const EXISTING = Number(args.existing);
const server = process.env.TEST_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
const url = `${server.replace(/\/$/, "")}/veridesk_bench_import_${randomBytes(4).toString("hex")}`;
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";

await migrateDatabase(url);
process.env.DATABASE_URL = url;
const { db, disconnectDb } = await import("@/platform/db/client");
const { runJobsUntilIdle } = await import("@/platform/jobs/runner");
const { registerCustomerImportJobs } = await import("@/features/data-quality/import/jobs");
const { createImport, startDryRun, startCommit, undoImport } = await import("@/features/data-quality/import/imports");
const { DRY_RUN_JOB } = await import("@/features/data-quality/import/dry-run");
const { COMMIT_JOB } = await import("@/features/data-quality/import/commit");

const FIRST = ["Maya", "Tom", "Sofia", "Daniel", "Grace", "Oliver", "Ava", "Liam", "Noah", "Emma", "Zoë", "Jürgen", "Łukasz", "Siobhán"];
const LAST = ["Smith", "Jones", "Müller", "García", "Nguyen", "O'Brien", "Kowalski", "Dubois", "Rossi", "Andersson"];
const ORGS = Array.from({ length: 2_000 }, (_, index) => `Company ${index} Ltd`);
const pick = <T>(list: readonly T[], i: number) => list[i % list.length] as T;
/** A valid UK mobile / London number for an index (distinct per index). */
const mobileOf = (i: number) => `+447400${String(i % 1_000_000).padStart(6, "0")}`;
const fixedOf = (i: number) => `+44207946${String(i % 10_000).padStart(4, "0")}`;
const mobileNational = (i: number) => `07400 ${String(i % 1_000_000).padStart(6, "0")}`;

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

try {
  registerCustomerImportJobs();
  const user = await db.user.create({ data: { email: "bench@staff.test", name: "Bench", role: "supervisor" } });
  const actor = { userId: user.id, role: "supervisor" as const };

  // Existing customers, set-based: account E-n, primary e-n@example.com (every 10th verified), alias ea-n@…, mobile (every 7th verified).
  const seedStarted = Date.now();
  await db.$executeRawUnsafe(`
    INSERT INTO "Customer" (id, "accountNumber", name, "createdAt", "updatedAt")
    SELECT gen_random_uuid(), 'E-' || g, 'Existing ' || g, now(), now() FROM generate_series(1, ${EXISTING}) g`);
  await db.$executeRawUnsafe(`
    INSERT INTO "CustomerEmail" (id, "customerId", address, normalized, "isPrimary", "verifiedAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), c.id, 'e-' || n || '@example.com', 'e-' || n || '@example.com', true, CASE WHEN n % 10 = 0 THEN now() END, now(), now()
      FROM (SELECT id, substring("accountNumber" from 3)::int AS n FROM "Customer" WHERE "accountNumber" LIKE 'E-%') c
    UNION ALL
    SELECT gen_random_uuid(), c.id, 'ea-' || n || '@example.com', 'ea-' || n || '@example.com', false, NULL, now(), now()
      FROM (SELECT id, substring("accountNumber" from 3)::int AS n FROM "Customer" WHERE "accountNumber" LIKE 'E-%') c`);
  await db.$executeRawUnsafe(`
    INSERT INTO "CustomerPhone" (id, "customerId", e164, kind, "verifiedAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), c.id, '+447123' || lpad((500000 + n)::text, 6, '0'), 'mobile', CASE WHEN n % 7 = 0 THEN now() END, now(), now()
      FROM (SELECT id, substring("accountNumber" from 3)::int AS n FROM "Customer" WHERE "accountNumber" LIKE 'E-%') c`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Customer", "CustomerEmail", "CustomerPhone"`);
  console.log(`${EXISTING.toLocaleString("en")} existing customers seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  // The CSV.
  const lines = ["Account number,Full name,Company,E-mail,Other emails,Mobile,Phone"];
  let previous = "";
  for (let i = 1; i <= ROWS; i++) {
    const kind = i % 100;
    const name = `${pick(FIRST, i)} ${pick(LAST, i * 7)}`;
    const org = i % 3 === 0 ? pick(ORGS, i) : "";
    let cells: string[];
    const existing = 1 + (i % EXISTING);
    if (kind < 15)
      cells = [`E-${existing}`, `${name} (updated)`, org, "", "", "", ""]; // update by account number, blanks kept
    else if (kind < 18)
      cells = ["", name, org, `EA-${existing}@Example.com`, "", "", ""]; // match by alias, upper-case
    else if (kind < 20)
      cells = ["", name, "", "", "", `+447123${String(500000 + existing).padStart(6, "0")}`, ""]; // match by phone
    else if (kind < 21)
      cells = [`E-${existing}`, name, "", `changed-${i}@example.com`, "", mobileOf(i), ""]; // may hit a verified value → flagged
    else if (kind < 23)
      cells = ["", name, org, `broken-${i}@`, "", "12", ""]; // broken address and number
    else if (kind < 24)
      cells = ["", `=HYPERLINK("http://x.example/${i}")`, "", `f-${i}@example.com`, "", "", ""]; // formula-looking name
    else if (kind < 25 && previous)
      cells = previous.split("\u0001"); // exact duplicate of the previous row
    else if (kind < 26)
      cells = ["", name, "", `e-${existing}@example.com`, "", "", ""]; // address held… by the customer it matches
    else if (kind < 27)
      cells = ["", "", "", "", "", "", ""]; // empty row of cells
    else
      cells = [
        `N-${i}`,
        name,
        org,
        `n-${i}@example.com`,
        i % 4 === 0 ? `n2-${i}@example.com;n3-${i}@example.com` : "",
        i % 2 ? mobileNational(i) : "",
        i % 5 === 0 ? fixedOf(i) : "",
      ];
    if (kind === 99) cells[2] = `${org || "Acme"}\nEurope`; // a quoted line break
    previous = cells.join("\u0001");
    lines.push(cells.map(quote).join(","));
  }
  const bytes = new TextEncoder().encode(`${lines.join("\r\n")}\r\n`);
  console.log(`CSV: ${ROWS.toLocaleString("en")} rows, ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB`);

  const started = Date.now();
  const uploaded = await createImport(actor, "bench.csv", bytes);
  if (!uploaded.ok) throw new Error(uploaded.message);
  const uploadSeconds = (Date.now() - started) / 1000;
  const found = await db.customerImport.findUniqueOrThrow({ where: { id: uploaded.importId } });
  const fields = ["accountNumber", "name", "organisation", "email", "alias", "mobile", "phone"] as const;
  await startDryRun(actor, {
    importId: found.id,
    columns: found.headers.map((header, index) => ({ header, field: fields[index] ?? "ignore" })),
    defaultCountry: "GB",
  });

  const dryStarted = Date.now();
  await runJobsUntilIdle({ kinds: [DRY_RUN_JOB] });
  const drySeconds = (Date.now() - dryStarted) / 1000;
  const checked = await db.customerImport.findUniqueOrThrow({ where: { id: found.id } });
  if (checked.status !== "previewed") throw new Error(`Dry run ended ${checked.status}: ${JSON.stringify(checked.summary)}`);
  console.log("Dry run outcomes:", checked.summary);

  const commitStarted = Date.now();
  await startCommit(actor, { importId: found.id });
  await runJobsUntilIdle({ kinds: [COMMIT_JOB] });
  const commitSeconds = (Date.now() - commitStarted) / 1000;
  const committed = await db.customerImport.findUniqueOrThrow({ where: { id: found.id } });
  if (committed.status !== "committed") throw new Error(`Commit ended ${committed.status}`);
  const job = await db.backgroundJob.findFirst({ where: { kind: COMMIT_JOB }, select: { status: true, error: true, progress: true } });
  console.log("Committed outcomes:", committed.summary, job?.status, job?.error ?? "");
  const entries = await db.changeSetEntry.count({ where: { changeSetId: committed.changeSetId! } });

  const undoStarted = Date.now();
  const undone = await undoImport(actor, { importId: found.id });
  const undoSeconds = (Date.now() - undoStarted) / 1000;
  const left = await db.customer.count({ where: { accountNumber: { startsWith: "N-" } } });

  const rate = (seconds: number) => `${Math.round(ROWS / seconds).toLocaleString("en")} rows/s`;
  console.log("");
  console.log(`upload + inspect   ${uploadSeconds.toFixed(1)} s`);
  const dryJob = await db.backgroundJob.findFirst({ where: { kind: DRY_RUN_JOB }, select: { progress: true } });
  const dryTimings = dryJob?.progress as { parseMs?: number; planMs?: number; saveMs?: number } | null;
  const seconds = (ms?: number) => `${((ms ?? 0) / 1000).toFixed(1)} s`;
  console.log(
    `dry run            ${drySeconds.toFixed(1)} s  (${rate(drySeconds)}); parsing ${seconds(dryTimings?.parseMs)}, planning ${seconds(dryTimings?.planMs)}, saving ${seconds(dryTimings?.saveMs)}`,
  );
  const timings = job?.progress as { writeMs?: number; sealMs?: number } | null;
  console.log(
    `commit             ${commitSeconds.toFixed(1)} s  (${rate(commitSeconds)}), ${entries.toLocaleString("en")} change-set entries; batches ${((timings?.writeMs ?? 0) / 1000).toFixed(1)} s, sealing ${((timings?.sealMs ?? 0) / 1000).toFixed(1)} s`,
  );
  console.log(`total to imported  ${(uploadSeconds + drySeconds + commitSeconds).toFixed(1)} s`);
  console.log(
    `undo               ${undoSeconds.toFixed(1)} s, ${undone.restored.toLocaleString("en")} records restored, ${undone.conflicts.length} not; ${left} imported customers left`,
  );
  console.log(
    `peak RSS           ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; load average ${(await import("node:os"))
      .loadavg()
      .map((value) => value.toFixed(1))
      .join(" ")}`,
  );
} finally {
  await disconnectDb();
  if (!args.keep) await dropDatabase(url);
  else console.log(`kept ${url}`);
}
