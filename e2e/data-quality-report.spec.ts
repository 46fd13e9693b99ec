import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "./fixtures/test";
import { parseCsv } from "@/platform/testing/csv-reader";

/**
 * The data-quality report in the browser: charts and their tables with figures that move exactly
 * by the rows this spec plants (other specs' and the demo's contacts are counted too, so figures
 * are asserted as before + planted), the drill-down to invalid addresses, its CSV export, bad
 * filters, and who may see it.
 */

const HEADER = [
  "contact_id",
  "customer_id",
  "account_number",
  "customer_name",
  "channel",
  "kind",
  "value",
  "verified_at",
  "validity",
  "reasons",
  "reason_labels",
  "suggestion",
  "line_type",
  "validated_at",
];

const sharesTable = (page: Page) => page.getByRole("table", { name: "Contacts by verdict, in numbers" });

/** A category row's cells as numbers (the count before each share): total, verified, valid, doubtful, invalid, not validated. */
async function shareRow(table: Locator, label: string): Promise<number[]> {
  const row = table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name: label, exact: true }) });
  await expect(row).toHaveCount(1);
  return (await row.getByRole("cell").allTextContents()).map((cell) => Number.parseInt(cell, 10));
}

test("a supervisor reads the report, drills down to the invalid addresses and exports them", async ({ page, users, db, customers }, testInfo) => {
  const problems: string[] = [];
  // Console errors (a CSP refusal shows there) and failed requests. The other data-quality tabs
  // (import, validation, cleansing, re-verification) are built on other branches: until they are
  // merged, the prefetch of their links is a 404, the only failure allowed here.
  const unbuiltTab = /\/supervisor\/data-quality\/(import|validation|cleansing|campaigns)(\?|$)/;
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !unbuiltTab.test(new URL(response.url()).pathname + (new URL(response.url()).search ? "?" : "")))
      if (!response.url().includes("/contacts?channel=fax") && !response.url().includes("/export?channel=email&reason=phone_voip"))
        problems.push(`${response.status()} ${response.url()}`);
  });
  page.on("pageerror", (error) => problems.push(error.message));

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/data-quality");
  await expect(page.getByRole("navigation", { name: "Data quality pages" }).getByRole("link", { name: "Report" })).toHaveAttribute("aria-current", "page");
  const emailBefore = await shareRow(sharesTable(page), "Email addresses");
  const mobileBefore = await shareRow(sharesTable(page), "Mobile phones");

  const planted = await customers.plantDataQuality("report");
  await db.validationRun.create({
    data: {
      jobId: randomUUID(),
      trigger: "manual",
      finishedAt: new Date(),
      counts: {
        email: { total: 40, verified: 10, valid: 20, doubtful: 6, invalid: 4, reasons: {} },
        phone: { total: 20, verified: 5, valid: 10, doubtful: 3, invalid: 2, reasons: {} },
        duplicates: { phones: 0, customers: 0 },
      },
    },
  });
  await page.reload();

  // The figures moved by exactly the planted rows: the verified-but-bouncing address counts once, as verified.
  const [total, verified, valid, doubtful, invalid, unvalidated] = emailBefore as [number, number, number, number, number, number];
  expect(await shareRow(sharesTable(page), "Email addresses")).toEqual([total + 4, verified + 1, valid, doubtful + 1, invalid + 2, unvalidated]);
  const mobile = mobileBefore as [number, number, number, number, number, number];
  expect(await shareRow(sharesTable(page), "Mobile phones")).toEqual([mobile[0] + 1, mobile[1], mobile[2], mobile[3], mobile[4] + 1, mobile[5]]);

  // Both charts drew (recharts, SVG), each an image with a text summary; the trend's table has the planted run.
  const shareChart = page.getByRole("img", { name: /^Share of contacts by verdict\. Email addresses: \d+ in all/ });
  await expect(shareChart).toBeVisible();
  await expect(shareChart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const emailTrend = page.getByRole("img", { name: /^Email addresses over \d+ runs|^Email addresses at the one finished run/ });
  await expect(emailTrend.locator(".recharts-line-curve").first()).toBeVisible();
  const trendTable = page.getByRole("table", { name: "Email addresses per run, in numbers" });
  await expect(trendTable.getByRole("row").nth(1)).toContainText("(manual)");
  await expect(trendTable.getByRole("row").nth(1).getByRole("cell").first()).toHaveText("40");
  await expect(page.getByRole("table", { name: "Why email addresses were flagged" }).getByRole("rowheader", { name: "Domain does not exist" })).toBeVisible();

  await page.screenshot({ path: testInfo.outputPath("report-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(shareChart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  // No sideways scrolling of the page at phone width: wide tables scroll inside themselves.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath("report-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload();

  // Drill down: the invalid (unverified) email addresses, the planted ones among them.
  const invalidNow = invalid + 2;
  await sharesTable(page)
    .getByRole("link", { name: `${invalidNow} invalid email addresses: list them` })
    .click();
  await expect(page).toHaveURL(/\/supervisor\/data-quality\/contacts\?channel=email&validity=invalid&verified=no$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Invalid email addresses, not verified");
  const list = page.getByRole("table", { name: "Invalid email addresses, not verified" });
  for (const address of planted.invalidEmails) {
    const row = list.getByRole("row").filter({ hasText: address });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Domain does not exist");
    await expect(row.getByRole("link", { name: planted.name })).toHaveAttribute("href", `/console/customers/${planted.customerId}`);
  }
  await expect(list.getByRole("row").filter({ hasText: planted.verifiedEmail })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("contacts-1280.png"), fullPage: true });

  // The CSV export of exactly this list.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV (this list)" }).click()]);
  expect(download.suggestedFilename()).toBe(`veridesk-invalid-email-${new Date().toISOString().slice(0, 10)}.csv`);
  const records = parseCsv(await readFile((await download.path())!, "utf8"));
  expect(records[0]).toEqual(HEADER);
  expect(records).toHaveLength(1 + invalidNow);
  const exported = records.slice(1).map((record) => Object.fromEntries(HEADER.map((column, index) => [column, record[index]])));
  expect(exported.every((record) => record.validity === "invalid" && record.verified_at === "")).toBe(true);
  const mine = exported.filter((record) => record.customer_id === planted.customerId);
  expect(mine.map((record) => record.value).sort()).toEqual([...planted.invalidEmails].sort());
  // The formula-looking name is text in a spreadsheet.
  expect(mine[0]).toMatchObject({
    customer_name: `'${planted.name}`,
    reasons: "email_domain_not_found",
    reason_labels: "Domain does not exist",
    channel: "email",
  });

  // A bad filter is a clear message, not an error page.
  const bad = await page.goto("/supervisor/data-quality/contacts?channel=fax&validity=awful");
  expect(bad?.status()).toBe(200);
  const alert = page.getByRole("alert").filter({ hasText: "needs attention" });
  await expect(alert).toContainText("Channel: Choose email addresses (channel=email) or phone numbers (channel=phone).");
  await expect(alert).toContainText("Verdict: The verdict is valid, doubtful, invalid or unvalidated.");
  const badExport = await page.request.get("/supervisor/data-quality/contacts/export?channel=email&reason=phone_voip");
  expect(badExport.status()).toBe(400);
  expect(await badExport.json()).toMatchObject({ fieldErrors: { reason: "That reason is about phone numbers, not email addresses." } });

  expect(problems).toEqual([]);
});

test("an admin may read the report; an agent is refused it, its lists and its export", async ({ page, users }) => {
  await users.signIn(page, "admin");
  expect((await page.goto("/supervisor/data-quality"))?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Data quality" })).toBeVisible();
  expect((await page.request.get("/supervisor/data-quality/contacts/export?channel=phone")).status()).toBe(200);

  await page.context().clearCookies();
  await users.signIn(page, "agent");
  for (const path of ["/supervisor/data-quality", "/supervisor/data-quality/contacts?channel=email&validity=invalid"]) {
    expect((await page.goto(path))?.status()).toBe(403);
  }
  const exported = await page.request.get("/supervisor/data-quality/contacts/export?channel=email");
  expect(exported.status()).toBe(403);
  expect(exported.headers()["content-type"]).toContain("application/json");
  expect(await exported.json()).toEqual({ error: "Your account is not allowed to do this." });
});
