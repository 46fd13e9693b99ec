import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";
import { parseCsv } from "@/platform/testing/csv-reader";

/**
 * The supervisor's CSV import in the browser: upload a ~1,000-row file with planted faults, map its
 * columns, read the dry run's counts and reasons, download the error report, import (the progress
 * bar of a running import: the second test), find an imported customer in the directory, validate every contact, accept the
 * cleansing fix for a planted typo, and undo the import (which keeps the corrected customer).
 */

test("a supervisor imports a CSV with faults: mapping, dry run, error report, commit, directory, validation, a cleansing fix, undo", async ({
  page,
  users,
  db,
}) => {
  test.slow(); // a 1,000-row import through two background jobs on a shared machine
  const id = randomUUID().slice(0, 8);
  const existing = await db.customer.create({ data: { accountNumber: `E2E-IMP-${id}-OLD`, name: `Old Name ${id}` } });
  const verified = await db.customer.create({
    data: {
      accountNumber: `E2E-IMP-${id}-VER`,
      name: `Verified ${id}`,
      emails: { create: { address: `ver-${id}@example.com`, normalized: `ver-${id}@example.com`, isPrimary: true, verifiedAt: new Date() } },
    },
  });

  const lines = ["Account number,Full name,E-mail,Company,Notes"];
  for (let i = 1; i <= 980; i++) {
    const email =
      i === 98 ? '=HYPERLINK("http://evil.example")' : i % 98 === 0 ? `broken-${i}@` : i === 5 ? `imp-${id}-5@gmial.com` : `imp-${id}-${i}@example.com`;
    lines.push(`E2E-IMP-${id}-${i},Imported ${id} ${i},"${email.replaceAll('"', '""')}",${i % 2 ? `"Org ${id}, Ltd"` : ""},"note ${i}\nsecond line"`);
  }
  for (let i = 1; i <= 10; i++) lines.push(lines[i] as string); // exact duplicates of rows 1–10
  for (let i = 1; i <= 5; i++) lines.push(`,,noname-${id}-${i}@example.com,,`); // a new customer without a name
  for (let i = 1; i <= 3; i++) lines.push(`E2E-IMP-${id}-X${i},Too Few,x@example.com`); // 3 cells where the header has 5
  lines.push(`E2E-IMP-${id}-OLD,New Name ${id},,,`); // an update by account number
  lines.push(`E2E-IMP-${id}-VER,,other-${id}@example.com,,`); // disagrees with a verified address: flagged
  expect(lines).toHaveLength(1001);
  const csv = `${lines.join("\r\n")}\r\n`;

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/data-quality/import");
  await expect(page.getByRole("navigation", { name: "Data quality pages" }).getByRole("link", { name: "Import" })).toHaveAttribute("aria-current", "page");

  // A file that is not CSV is refused with a reason, and nothing is created.
  await page.getByLabel("CSV file").setInputFiles({ name: "photo.csv", mimeType: "text/csv", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]) });
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not a CSV file: it looks like a PNG image" })).toBeVisible();

  await page.getByLabel("CSV file").setInputFiles({ name: `customers-${id}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  await page.getByRole("button", { name: "Upload and map columns" }).click();
  await expect(page).toHaveURL(/\/supervisor\/data-quality\/import\/[0-9a-f-]{36}$/);
  const importId = page.url().split("/").at(-1) as string;

  // The mapping is suggested from the header names; Notes is ignored.
  await expect(page.getByRole("heading", { name: "Map the columns" })).toBeVisible();
  await expect(page.getByLabel("Account number")).toHaveValue("accountNumber");
  await expect(page.getByLabel("Full name")).toHaveValue("name");
  await expect(page.getByLabel("E-mail")).toHaveValue("email");
  await expect(page.getByLabel("Company")).toHaveValue("organisation");
  await expect(page.getByLabel("Notes")).toHaveValue("ignore");
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/data-quality-import-mapping-390.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole("button", { name: "Check the file (dry run)" }).click();

  // The dry run's counts, once the progress bar is done.
  await expect(page.getByTestId("count-new")).toContainText("980", { timeout: 60_000 });
  await expect(page.getByTestId("count-duplicate")).toContainText("10");
  await expect(page.getByTestId("count-skipped")).toContainText("8");
  await expect(page.getByTestId("count-update")).toContainText("1");
  await expect(page.getByTestId("count-flagged")).toContainText("1");
  expect(await db.customer.count({ where: { accountNumber: { startsWith: `E2E-IMP-${id}-` } } })).toBe(2); // nothing written yet

  // The preview fits a phone's width without sideways scrolling.
  await page.screenshot({ path: "test-results/data-quality-import-preview-1280.png", fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/data-quality-import-preview-390.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Reasons, filtered by outcome.
  await page.getByRole("navigation", { name: "Filter rows by outcome" }).getByRole("link", { name: "Skipped" }).click();
  await expect(page).toHaveURL(/outcome=skipped/);
  await expect(page.getByTestId("import-row")).toHaveCount(8);
  await expect(page.getByTestId("import-row").filter({ hasText: "A new customer needs a name" })).toHaveCount(5);
  await expect(page.getByTestId("import-row").filter({ hasText: "has 3 cells where the header has 5" })).toHaveCount(3);
  await page.getByRole("navigation", { name: "Filter rows by outcome" }).getByRole("link", { name: "Flagged" }).click();
  await expect(page.getByTestId("import-row").filter({ hasText: "primary address is verified and is never overwritten" })).toHaveCount(1);
  await page.getByRole("navigation", { name: "Filter rows by outcome" }).getByRole("link", { name: "Duplicate" }).click();
  await expect(page.getByTestId("import-row").first()).toContainText("Same as row 1: merged into it.");

  // The error report: row, column, value, reason; the formula-looking value neutralised.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download the error report/ }).click()]);
  const report = parseCsv(await readFile((await download.path()) as string, "utf8"));
  expect(report[0]).toEqual(["Row", "Column", "Value", "Outcome", "Reason"]);
  expect(report).toContainEqual(["98", "E-mail", `'=HYPERLINK("http://evil.example")`, "new", "Not an email address one can send to."]);
  expect(report.filter((line) => line[4]?.includes("needs a name"))).toHaveLength(5);

  // Commit, with the progress bar; the page follows the job to its end.
  await page.getByRole("button", { name: "Import 982 rows" }).click();
  // A commit this fast may end before the page's refresh draws its bar (the bar is the next test's).
  await expect(page.getByText("Imported", { exact: true })).toBeVisible({ timeout: 60_000 });
  expect(await db.customer.count({ where: { accountNumber: { startsWith: `E2E-IMP-${id}-` } } })).toBe(982);
  expect((await db.customer.findUniqueOrThrow({ where: { id: existing.id } })).name).toBe(`New Name ${id}`);
  expect((await db.customerEmail.findFirstOrThrow({ where: { customerId: verified.id, isPrimary: true } })).normalized).toBe(`ver-${id}@example.com`);

  // The directory shows an imported customer with their organisation.
  await page.goto(`/console/customers?q=${encodeURIComponent(`E2E-IMP-${id}-7`)}`);
  await expect(page.getByRole("link", { name: `Imported ${id} 7`, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: `Org ${id}, Ltd`, exact: true })).toBeVisible();

  // Validation of every contact finds the planted typo; cleansing proposes its fix, which is accepted.
  const typoAddress = `imp-${id}-5@gmial.com`;
  await page.goto("/supervisor/data-quality/validation");
  await page.getByRole("button", { name: "Validate every contact now" }).click();
  await expect(page.getByTestId("job-progress")).toContainText("Finished", { timeout: 90_000 });
  expect((await db.customerEmail.findUniqueOrThrow({ where: { normalized: typoAddress } })).validityReasons).toContain("email_likely_typo");
  await page.goto("/supervisor/data-quality/cleansing?kind=email_typo");
  const typo = page.getByTestId("suggestion").filter({ hasText: typoAddress });
  await expect(typo.getByText(`imp-${id}-5@gmail.com`)).toBeVisible();
  await typo.getByRole("button", { name: /^Accept/ }).click();
  await expect(page.getByText("Typo fixed: the address is corrected.")).toBeVisible();
  await expect.poll(async () => (await db.customerEmail.findUnique({ where: { normalized: `imp-${id}-5@gmail.com` } }))?.address).toBe(`imp-${id}-5@gmail.com`);

  // Undo: every row back as it was, except the customer whose address was corrected since (reported).
  await page.goto(`/supervisor/data-quality/import/${importId}`);
  await page.getByRole("button", { name: "Undo import" }).click();
  await page.getByRole("button", { name: "Yes, undo the import" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The import was undone" })).toBeVisible();
  await expect(page.getByText("Undone", { exact: true })).toBeVisible();
  expect(await db.customer.count({ where: { accountNumber: { startsWith: `E2E-IMP-${id}-` } } })).toBe(3);
  expect(await db.customer.findUnique({ where: { accountNumber: `E2E-IMP-${id}-5` } })).not.toBeNull();
  expect((await db.customer.findUniqueOrThrow({ where: { id: existing.id } })).name).toBe(`Old Name ${id}`);
  // Customer 5 stays, and with it the organisation the import made for it.
  expect(await db.organisation.count({ where: { normalizedName: `org ${id}, ltd` } })).toBe(1);
  await expect(page.getByText(/3 records were not undone/)).toBeVisible();
});

test("an import being written shows its progress bar, live, and says the supervisor may leave", async ({ page, users, db }) => {
  // A commit another instance holds (its lease runs for an hour), so no worker here takes it and it
  // stays "running" for as long as the test looks.
  const job = await db.backgroundJob.create({
    data: {
      kind: "customer-import.commit",
      status: "running",
      payload: {},
      progressDone: 400,
      progressTotal: 1000,
      leaseOwner: "e2e-another-instance",
      leaseExpiresAt: new Date(Date.now() + 60 * 60 * 1000),
      startedAt: new Date(),
    },
  });
  const found = await db.customerImport.create({
    data: {
      fileName: `running-${randomUUID().slice(0, 8)}.csv`,
      fileKey: `e2e-missing-${randomUUID()}`,
      byteSize: 1000,
      encoding: "utf-8",
      delimiter: ",",
      headers: ["Account", "Name"],
      status: "committing",
      rowCount: 1000,
      summary: { new: 1000, update: 0, unchanged: 0, skipped: 0, flagged: 0, duplicate: 0 },
      commitJobId: job.id,
    },
  });
  try {
    await users.signIn(page, "supervisor");
    await page.goto(`/supervisor/data-quality/import/${found.id}`);
    await expect(page.getByRole("heading", { name: "Importing" })).toBeVisible();
    await expect(page.getByText("You can leave this page; the import goes on")).toBeVisible();
    const bar = page.getByRole("progressbar", { name: "Import" });
    await expect(bar).toHaveAttribute("aria-valuetext", "Running: 400 of 1,000");
    // The bar follows the job without a reload.
    await db.backgroundJob.update({ where: { id: job.id }, data: { progressDone: 700 } });
    await expect(bar).toHaveAttribute("aria-valuetext", "Running: 700 of 1,000", { timeout: 15_000 });
  } finally {
    await db.backgroundJob.update({ where: { id: job.id }, data: { status: "cancelled", leaseOwner: null, leaseExpiresAt: null } });
  }
});
