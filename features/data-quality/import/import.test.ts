import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { JobInterrupted } from "@/platform/jobs/queue";
import { runJobsUntilIdle } from "@/platform/jobs/runner";
import { parseCsv } from "@/platform/testing/csv-reader";
import { COMMIT_BATCH, COMMIT_JOB, runCommit } from "./commit";
import { DRY_RUN_JOB } from "./dry-run";
import { registerCustomerImportJobs } from "./jobs";
import { createImport, errorReportLines, initialMapping, startCommit, startDryRun, undoImport } from "./imports";
import { receiveImportUpload } from "./upload-route";
import type { ImportField } from "./fields";

const KINDS = [DRY_RUN_JOB, COMMIT_JOB];
let actor: { userId: string; role: "supervisor" };

beforeAll(async () => {
  registerCustomerImportJobs();
  const user = await db.user.create({ data: { email: `import-${randomUUID().slice(0, 8)}@staff.test`, name: "Import supervisor", role: "supervisor" } });
  actor = { userId: user.id, role: "supervisor" };
});

const tag = () => randomUUID().slice(0, 8);
let phoneSeq = Math.floor(Math.random() * 800_000);
/** A valid UK mobile number nobody else in the test database has. */
const mobile = () => `+447400${String(100_000 + (phoneSeq++ % 899_999)).padStart(6, "0")}`;

async function dryRun(csv: string | Uint8Array, overrides: Record<string, ImportField> = {}) {
  const bytes = typeof csv === "string" ? new TextEncoder().encode(csv) : csv;
  const uploaded = await createImport(actor, "test.csv", bytes);
  if (!uploaded.ok) throw new Error(uploaded.message);
  const found = await db.customerImport.findUniqueOrThrow({ where: { id: uploaded.importId } });
  const mapping = await initialMapping(found.headers);
  const columns = found.headers.map((header) => ({ header, field: overrides[header] ?? mapping.columns[header] ?? "ignore" }));
  await startDryRun(actor, { importId: found.id, columns, defaultCountry: "GB" });
  await runJobsUntilIdle({ kinds: KINDS });
  const after = await db.customerImport.findUniqueOrThrow({ where: { id: found.id } });
  const rows = await db.customerImportRow.findMany({ where: { importId: found.id }, orderBy: { rowNumber: "asc" } });
  return { importId: found.id, status: after.status, summary: after.summary as Record<string, number>, rows };
}

async function commit(importId: string) {
  await startCommit(actor, { importId });
  await runJobsUntilIdle({ kinds: KINDS });
  return db.customerImport.findUniqueOrThrow({ where: { id: importId } });
}

async function customer(data: {
  account?: string;
  name?: string;
  email?: string;
  emailVerified?: boolean;
  mobile?: string;
  mobileVerified?: boolean;
  aliases?: string[];
}) {
  const emails = [
    ...(data.email ? [{ address: data.email, normalized: data.email.toLowerCase(), isPrimary: true, verifiedAt: data.emailVerified ? new Date() : null }] : []),
    ...(data.aliases ?? []).map((address) => ({ address, normalized: address.toLowerCase(), isPrimary: false })),
  ];
  return db.customer.create({
    data: {
      accountNumber: data.account ?? `T-${tag()}`,
      name: data.name ?? "Existing",
      emails: { create: emails },
      phones: data.mobile ? { create: { e164: data.mobile, kind: "mobile", verifiedAt: data.mobileVerified ? new Date() : null } } : undefined,
    },
    include: { emails: true, phones: true },
  });
}

const reasons = (row: { issues: unknown }) => (row.issues as { reason: string }[]).map((issue) => issue.reason).join(" | ");

describe("customer import: matching", () => {
  it("matches by account number first, then by any address (an alias too), then by phone", async () => {
    const t = tag();
    const byAccount = await customer({ account: `ACC-A-${t}`, email: `a-${t}@example.com` });
    const byAlias = await customer({ email: `b-${t}@example.com`, aliases: [`b-alias-${t}@example.com`] });
    const phone = mobile();
    const byPhone = await customer({ mobile: phone });
    const csv = [
      "Account,Name,Email,Mobile",
      // Account number wins even though the address belongs to byAlias… which makes it another customer's address: flagged.
      `ACC-A-${t},Renamed A,,`,
      `,Renamed B,B-ALIAS-${t}@example.com,`,
      `,Renamed C,,${phone}`,
      `,New D,d-${t}@example.com,`,
    ].join("\n");
    const { rows, summary } = await dryRun(csv);
    expect(rows.map((row) => [row.outcome, row.matchedBy, row.customerId])).toEqual([
      ["update", "account_number", byAccount.id],
      ["update", "email", byAlias.id],
      ["update", "phone", byPhone.id],
      ["new", null, null],
    ]);
    expect(summary).toMatchObject({ new: 1, update: 3 });
  });

  it("skips a row whose address belongs to a customer with another account number", async () => {
    const t = tag();
    const holder = await customer({ account: `H-${t}`, email: `h-${t}@example.com` });
    const { rows } = await dryRun(`Account,Name,Email\nOTHER-${t},Someone,h-${t}@example.com\n`);
    expect(rows[0]?.outcome).toBe("skipped");
    expect(reasons(rows[0]!)).toContain(`belongs to account ${holder.accountNumber}, not OTHER-${t}`);
  });
});

describe("customer import: what is never overwritten", () => {
  it("never lets a blank cell overwrite a value", async () => {
    const t = tag();
    const existing = await customer({ account: `BL-${t}`, name: "Keeps Name", email: `bl-${t}@example.com`, mobile: mobile() });
    const { importId, rows } = await dryRun(`Account,Name,Email,Mobile\nBL-${t},,,\n`);
    expect(rows[0]?.outcome).toBe("unchanged");
    await commit(importId);
    const after = await db.customer.findUniqueOrThrow({ where: { id: existing.id }, include: { emails: true, phones: true } });
    expect(after.name).toBe("Keeps Name");
    expect(after.emails.map((email) => email.normalized)).toEqual([`bl-${t}@example.com`]);
    expect(after.phones).toEqual(existing.phones);
  });

  it("never overwrites a verified address or mobile: the row is flagged and the rest written", async () => {
    const t = tag();
    const verifiedMobile = mobile();
    const existing = await customer({
      account: `V-${t}`,
      name: "Old",
      email: `v-${t}@example.com`,
      emailVerified: true,
      mobile: verifiedMobile,
      mobileVerified: true,
    });
    const { importId, rows } = await dryRun(`Account,Name,Email,Mobile\nV-${t},New Name,other-${t}@example.com,${mobile()}\n`);
    expect(rows[0]?.outcome).toBe("flagged");
    expect(reasons(rows[0]!)).toContain("primary address is verified and is never overwritten");
    expect(reasons(rows[0]!)).toContain("mobile number is verified and is never overwritten");
    await commit(importId);
    const after = await db.customer.findUniqueOrThrow({ where: { id: existing.id }, include: { emails: true, phones: true } });
    expect(after.name).toBe("New Name");
    expect(after.emails.map((email) => [email.normalized, email.isPrimary])).toEqual([[`v-${t}@example.com`, true]]);
    expect(after.phones.map((phone) => phone.e164)).toEqual([verifiedMobile]);
  });

  it("never moves an address another customer holds", async () => {
    const t = tag();
    const holder = await customer({ email: `held-${t}@example.com` });
    const target = await customer({ account: `MV-${t}` });
    const { importId, rows } = await dryRun(`Account,Name,Other emails\nMV-${t},Target,held-${t}@example.com\n`);
    expect(rows[0]?.outcome).toBe("flagged");
    expect(reasons(rows[0]!)).toContain("already has this address; it was not moved");
    await commit(importId);
    expect((await db.customerEmail.findUniqueOrThrow({ where: { normalized: `held-${t}@example.com` } })).customerId).toBe(holder.id);
    expect(await db.customerEmail.count({ where: { customerId: target.id } })).toBe(0);
  });

  it("makes an unverified primary an alias when the file gives another primary", async () => {
    const t = tag();
    const existing = await customer({ account: `P-${t}`, email: `old-${t}@example.com` });
    const { importId, rows } = await dryRun(`Account,Email\nP-${t},new-${t}@example.com\n`);
    expect(rows[0]?.outcome).toBe("update");
    await commit(importId);
    const emails = await db.customerEmail.findMany({ where: { customerId: existing.id }, orderBy: { normalized: "asc" } });
    expect(emails.map((email) => [email.normalized, email.isPrimary])).toEqual([
      [`new-${t}@example.com`, true],
      [`old-${t}@example.com`, false],
    ]);
  });
});

describe("customer import: the file against itself", () => {
  it("merges exact duplicates into their first row and skips a second, different row for the same address", async () => {
    const t = tag();
    const csv = [
      "Account,Name,Email",
      `D1-${t},Dana,dana-${t}@example.com`,
      `D1-${t},Dana,DANA-${t}@example.com `, // same once cleaned
      `D2-${t},Other,dana-${t}@example.com`,
      `D1-${t},Dana Changed,`, // same account, different values
    ].join("\n");
    const { importId, rows, summary } = await dryRun(csv);
    expect(rows.map((row) => row.outcome)).toEqual(["new", "duplicate", "skipped", "skipped"]);
    expect(reasons(rows[1]!)).toBe("Same as row 1: merged into it.");
    expect(reasons(rows[2]!)).toContain("Row 1 gives this address to another customer");
    expect(reasons(rows[3]!)).toContain("Row 1 is about the same customer");
    expect(summary).toMatchObject({ new: 1, duplicate: 1, skipped: 2 });
    await commit(importId);
    expect(await db.customer.count({ where: { accountNumber: { in: [`D1-${t}`, `D2-${t}`] } } })).toBe(1);
  });

  it("skips a new customer without a name, and a row with the wrong number of cells, with their reasons", async () => {
    const t = tag();
    const { rows } = await dryRun(`Name,Email\n,noname-${t}@example.com\nToo,many,cells\n`);
    expect(rows.map((row) => row.outcome)).toEqual(["skipped", "skipped"]);
    expect(reasons(rows[0]!)).toContain("needs a name");
    expect(reasons(rows[1]!)).toContain("has 3 cells where the header has 2");
  });
});

describe("customer import: file handling", () => {
  it("imports Windows-1252 and semicolon files", async () => {
    const t = tag();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(`Kundennummer;Name;E-Mail\r\nW-${t};J`),
      0xfc,
      ...new TextEncoder().encode(`rgen M`),
      0xfc,
      ...new TextEncoder().encode(`ller;w-${t}@example.com\r\n`),
    ]);
    const { importId, rows } = await dryRun(bytes);
    expect(rows[0]?.outcome).toBe("new");
    await commit(importId);
    expect((await db.customer.findUniqueOrThrow({ where: { accountNumber: `W-${t}` } })).name).toBe("Jürgen Müller");
  });

  it("refuses an oversized body while it streams, and a binary file, storing nothing", async () => {
    const before = await db.customerImport.count();
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024).fill(0x61));
        if (sent > 2 * 1024 * 1024 * 1024) controller.close();
      },
    });
    const big = await receiveImportUpload(new Request("http://x/api/data-quality/imports", { method: "POST", body: endless, duplex: "half" } as RequestInit), {
      ...actor,
    } as never);
    expect(big.status).toBe(413);
    expect((await big.json()).error).toContain("larger than 50 MB");
    expect(sent).toBeLessThan(60 * 1024 * 1024); // cut off at the limit, never read to 2 GB
    const binary = await receiveImportUpload(new Request("http://x/", { method: "POST", body: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]) }), {
      ...actor,
    } as never);
    expect(binary.status).toBe(422);
    expect(await db.customerImport.count()).toBe(before);
  });

  it("writes formula-looking values as data and neutralises them in the error report", async () => {
    const t = tag();
    const { importId, rows } = await dryRun(`Account,Name,Mobile\nF-${t},=cmd|'/c calc'!A1,+not-a-number\n`);
    expect(rows[0]?.outcome).toBe("new");
    await commit(importId);
    expect((await db.customer.findUniqueOrThrow({ where: { accountNumber: `F-${t}` } })).name).toBe("=cmd|'/c calc'!A1");
    let report = "";
    for await (const chunk of errorReportLines(importId)) report += chunk;
    const lines = parseCsv(report);
    expect(lines[0]).toEqual(["Row", "Column", "Value", "Outcome", "Reason"]);
    expect(lines[1]?.slice(0, 4)).toEqual(["1", "Mobile", "'+not-a-number", "new"]);
  });

  it("remembers the last mapping for the same headers", async () => {
    const t = tag();
    await dryRun(`Ref,Whatever\nR-${t},x-${t}@example.com\n`, { Ref: "accountNumber", Whatever: "email" });
    const mapping = await initialMapping(["Ref", "Whatever"]);
    expect(mapping.remembered).toBe("these_headers");
    expect(mapping.columns).toEqual({ Ref: "accountNumber", Whatever: "email" });
  });
});

describe("customer import: commit and undo", () => {
  it("resumes an interrupted commit where it stopped, without writing a row twice", async () => {
    const t = tag();
    const count = COMMIT_BATCH * 2 + 10;
    const lines = ["Account,Name,Email"];
    for (let index = 0; index < count; index++) lines.push(`R-${t}-${index},Person ${index},r-${t}-${index}@example.com`);
    const { importId } = await dryRun(lines.join("\n"));
    await startCommit(actor, { importId });

    // The first runner loses its lease after its first batch (another instance took the job over):
    // from then on its checkpoints find the job no longer theirs, so its second batch rolls back.
    const job = await db.backgroundJob.findFirstOrThrow({ where: { kind: COMMIT_JOB, payload: { equals: { importId } } } });
    await db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_lose_lease() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.id = '${job.id}' AND OLD."leaseOwner" = 'first-runner' AND OLD."progressDone" >= ${COMMIT_BATCH} THEN RETURN NULL; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER test_lose_lease BEFORE UPDATE ON "BackgroundJob" FOR EACH ROW EXECUTE FUNCTION test_lose_lease()`);
    try {
      await runJobsUntilIdle({ kinds: [COMMIT_JOB], owner: "first-runner" });
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_lose_lease ON "BackgroundJob"`);
      await db.$executeRawUnsafe(`DROP FUNCTION test_lose_lease()`);
    }

    const midway = await db.customer.count({ where: { accountNumber: { startsWith: `R-${t}-` } } });
    expect(midway).toBe(COMMIT_BATCH);
    // The lease runs out; the next runner resumes from the checkpoint.
    await db.backgroundJob.update({ where: { id: job.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await runJobsUntilIdle({ kinds: [COMMIT_JOB] });

    expect(await db.customer.count({ where: { accountNumber: { startsWith: `R-${t}-` } } })).toBe(count);
    expect(await db.customerEmail.count({ where: { normalized: { startsWith: `r-${t}-` } } })).toBe(count);
    const finished = await db.customerImport.findUniqueOrThrow({ where: { id: importId } });
    expect(finished.status).toBe("committed");
    expect(await db.changeSetEntry.count({ where: { changeSetId: finished.changeSetId!, tableName: "Customer" } })).toBe(count);
  });

  it("undoes what a commit wrote before its job failed part-way", async () => {
    const t = tag();
    const count = COMMIT_BATCH + 5;
    const lines = ["Account,Name,Email"];
    for (let index = 0; index < count; index++) lines.push(`F-${t}-${index},Person ${index},f-${t}-${index}@example.com`);
    const { importId } = await dryRun(lines.join("\n"));
    await startCommit(actor, { importId });
    const job = await db.backgroundJob.findFirstOrThrow({ where: { kind: COMMIT_JOB, payload: { equals: { importId } } } });
    // The first batch commits, then the job dies for good (as after five crashes).
    await db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.id = '${job.id}' AND OLD."progressDone" >= ${COMMIT_BATCH} AND NEW.status = 'running' THEN RETURN NULL; END IF;
        RETURN NEW;
      END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER test_fail_commit BEFORE UPDATE ON "BackgroundJob" FOR EACH ROW EXECUTE FUNCTION test_fail_commit()`);
    try {
      await runJobsUntilIdle({ kinds: [COMMIT_JOB], owner: "doomed-runner" });
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_fail_commit ON "BackgroundJob"`);
      await db.$executeRawUnsafe(`DROP FUNCTION test_fail_commit()`);
    }
    await db.backgroundJob.update({ where: { id: job.id }, data: { status: "failed", leaseOwner: null, error: "gave up" } });
    expect(await db.customer.count({ where: { accountNumber: { startsWith: `F-${t}-` } } })).toBe(COMMIT_BATCH);
    expect((await db.customerImport.findUniqueOrThrow({ where: { id: importId } })).status).toBe("committing");

    const undone = await undoImport(actor, { importId });
    expect(undone.conflicts).toEqual([]);
    expect(await db.customer.count({ where: { accountNumber: { startsWith: `F-${t}-` } } })).toBe(0);
    expect(await db.customerEmail.count({ where: { normalized: { startsWith: `f-${t}-` } } })).toBe(0);
    expect((await db.customerImport.findUniqueOrThrow({ where: { id: importId } })).status).toBe("undone");
  });

  it("stops at a lost lease inside the batch transaction: that batch is not written", async () => {
    const t = tag();
    const { importId } = await dryRun(`Account,Name\nL-${t},Lease Lost\n`);
    await startCommit(actor, { importId });
    const job = await db.backgroundJob.findFirstOrThrow({ where: { kind: COMMIT_JOB, payload: { equals: { importId } } } });
    await db.backgroundJob.update({
      where: { id: job.id },
      data: { status: "running", leaseOwner: "me", leaseExpiresAt: new Date(Date.now() + 60_000), attempts: 1 },
    });
    const claimed = await db.backgroundJob.findUniqueOrThrow({ where: { id: job.id } });
    // Another instance takes the job right after this one read it.
    await db.backgroundJob.update({ where: { id: job.id }, data: { leaseOwner: "someone-else" } });
    await expect(runCommit({ job: claimed, owner: "me", checkpoint: async () => {} })).rejects.toBeInstanceOf(JobInterrupted);
    expect(await db.customer.count({ where: { accountNumber: `L-${t}` } })).toBe(0);
    await db.backgroundJob.update({ where: { id: job.id }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    await runJobsUntilIdle({ kinds: [COMMIT_JOB] });
    expect(await db.customer.count({ where: { accountNumber: `L-${t}` } })).toBe(1);
  });

  it("undo restores every row the import touched and reports the ones changed since", async () => {
    const t = tag();
    const existing = await customer({ account: `U-${t}`, name: "Before", email: `u-${t}@example.com`, mobile: mobile() });
    const csv = [
      `Account,Name,Email,Other emails,Mobile,Company`,
      `U-${t},After,u2-${t}@example.com,u3-${t}@example.com,${mobile()},Undo Org ${t}`,
      `N-${t},Brand New,n-${t}@example.com,,,Undo Org ${t}`,
      `N2-${t},Edited Later,,,,`,
    ].join("\n");
    const { importId } = await dryRun(csv);
    const committed = await commit(importId);
    expect(committed.status).toBe("committed");
    const edited = await db.customer.findUniqueOrThrow({ where: { accountNumber: `N2-${t}` } });
    await db.customer.update({ where: { id: edited.id }, data: { name: "Changed by an agent" } });

    const result = await undoImport(actor, { importId });
    expect(result.conflicts).toEqual([{ table: "Customer", rowId: edited.id, reason: "changed since" }]);
    const after = await db.customer.findUniqueOrThrow({ where: { id: existing.id }, include: { emails: true, phones: true } });
    expect({ name: after.name, organisationId: after.organisationId }).toEqual({ name: existing.name, organisationId: null });
    expect(after.emails.map(({ updatedAt, ...email }) => email)).toEqual(existing.emails.map(({ updatedAt, ...email }) => email));
    expect(after.phones.map(({ updatedAt, ...phone }) => phone)).toEqual(existing.phones.map(({ updatedAt, ...phone }) => phone));
    expect(await db.customer.findUnique({ where: { accountNumber: `N-${t}` } })).toBeNull();
    expect(await db.organisation.findUnique({ where: { normalizedName: `undo org ${t}` } })).toBeNull();
    expect((await db.customerImport.findUniqueOrThrow({ where: { id: importId } })).status).toBe("undone");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "customer_import.undone", subjectId: importId } });
    expect(JSON.stringify(audit.details)).not.toContain("@");
  });

  it("enqueues nothing twice: a second commit request is refused", async () => {
    const t = tag();
    const { importId } = await dryRun(`Account,Name\nQ-${t},Once\n`);
    await startCommit(actor, { importId });
    await expect(startCommit(actor, { importId })).rejects.toThrow(/cannot be imported: it is being written/);
    await runJobsUntilIdle({ kinds: KINDS });
  });
});
