import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { expect, type Locator, type Page, test } from "./fixtures/test";
import { parseCsv } from "@/platform/testing/csv-reader";

/**
 * The supervisor's audit log, CSV export, reports and staff unlocks, in the browser; and an agent
 * refused all of it. Rows this spec reads are rows it made, so other specs' data cannot change
 * what it asserts (report figures are asserted as before + what this spec added).
 */

const EXPORT_HEADER = ["id", "time_utc", "action", "actor_email", "actor_name", "actor_role", "actor_id", "subject_type", "subject_id", "ip", "details"];

const auditTable = (page: Page) => page.getByRole("table", { name: /Audit events/ });
const auditRows = (page: Page) => auditTable(page).locator("tbody tr");

test("a supervisor finds a failed sign-in in the audit log, exports it as CSV, and the export is audited", async ({ page, users, customers }) => {
  const customer = await customers.create("audit");
  const wrongPassword = `wrong-${randomUUID()}`;
  await users.submitSignIn(page, { email: customer.user.email, password: wrongPassword });
  await expect(page.getByRole("alert").filter({ hasText: "do not match an account" })).toBeVisible();

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/audit");
  const nav = page.getByRole("navigation", { name: "Supervisor sections" });
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Reports" })).not.toHaveAttribute("aria-current", "page");

  // Filter by action: the failure is among the sign-in failures, shown with its account and reason.
  await page.getByLabel("Action").fill("auth.sign_in_failed");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]action=auth\.sign_in_failed/);
  const row = auditRows(page).filter({ hasText: customer.user.email });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("auth.sign_in_failed");
  await expect(row).toContainText("No signed-in person");
  await expect(row).toContainText("reason: wrong_password");
  await expect(auditRows(page).filter({ hasNotText: "auth.sign_in_failed" })).toHaveCount(0);

  // Narrow to this account: exactly one row, and the filters are in the URL (shareable).
  await page.getByLabel("Subject type").fill("User");
  await page.getByLabel("Subject id").fill(customer.user.id);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`subjectId=${customer.user.id}`));
  await expect(auditRows(page)).toHaveCount(1);
  await expect(page.getByRole("status").filter({ hasText: "Showing 1 event matching the filters" })).toBeVisible();

  // Export with the same filters.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV (these filters)" }).click()]);
  expect(download.suggestedFilename()).toBe(`veridesk-audit-${new Date().toISOString().slice(0, 10)}.csv`);
  const text = await readFile((await download.path())!, "utf8");
  const records = parseCsv(text);
  expect(records[0]).toEqual(EXPORT_HEADER);
  expect(records).toHaveLength(2);
  const exported = Object.fromEntries(EXPORT_HEADER.map((column, index) => [column, records[1]![index]]));
  expect(exported).toMatchObject({ action: "auth.sign_in_failed", actor_email: "", actor_role: "", subject_type: "User", subject_id: customer.user.id });
  expect(JSON.parse(exported.details!)).toEqual({ reason: "wrong_password" });
  // Neither the typed password nor the real one is in the file, and the details hold only the reason.
  expect(text).not.toContain(wrongPassword);
  expect(text).not.toContain(customer.user.password);

  // The export itself is in the log, with its filter.
  await page.goto("/supervisor/audit?action=audit.exported");
  const supervisor = users.demo("supervisor");
  const exportRow = auditRows(page).first();
  await expect(exportRow).toContainText("audit.exported");
  await expect(exportRow).toContainText(supervisor.email);
  await expect(exportRow).toContainText(customer.user.id);
});

/** The cells of a report row, by the row's label, as text. */
async function reportRow(table: Locator, label: string): Promise<string[]> {
  const row = table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name: label, exact: true }) });
  await expect(row).toHaveCount(1);
  return (await row.getByRole("cell").allTextContents()).map((cell) => cell.trim());
}

test("a supervisor sees the reports as charts with their numbers", async ({ page, users, db }) => {
  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/reports");
  await expect(page.getByRole("navigation", { name: "Report period" }).getByRole("link", { name: "Last 30 days" })).toHaveAttribute("aria-current", "page");
  const verification = page.getByRole("table", { name: "Verification success by channel" });
  const reasons = page.getByRole("table", { name: "Escalations by reason" });
  const [passedBefore, checksBefore] = (await reportRow(verification, "Portal")).map((cell) => Number.parseInt(cell, 10));
  const [technicalBefore] = (await reportRow(reasons, "Technical")).map((cell) => Number.parseInt(cell, 10));

  // Three passed and one failed check on portal conversations, and a technical escalation resolved after 2 h.
  const now = Date.now();
  for (const outcome of ["passed", "passed", "passed", "failed"] as const) {
    await db.identityCheck.create({
      data: { method: "caller_fields", outcome, conversationChannel: "web", createdAt: new Date(now - 3_600_000), expiresAt: new Date(now + 3_600_000) },
    });
  }
  const ticket = await db.ticket.create({ data: { subject: `Report e2e ${randomUUID()}`, channel: "web", status: "solved" } });
  await db.escalation.create({
    data: {
      ticketId: ticket.id,
      reason: "technical",
      note: "e2e",
      status: "resolved",
      raisedAt: new Date(now - 3 * 3_600_000),
      resolvedAt: new Date(now - 3_600_000),
    },
  });

  await page.reload();
  const passed = passedBefore! + 3;
  const checks = checksBefore! + 4;
  expect(await reportRow(verification, "Portal")).toEqual([String(passed), String(checks), `${Math.round((passed / checks) * 100)}%`]);
  expect(await reportRow(reasons, "Technical")).toEqual([String(technicalBefore! + 1)]);

  // Every chart has its heading and its table; the demo's resolved escalation and bounces show.
  for (const name of [
    "Open tickets by identity status",
    "Verification success by channel",
    "Escalations by reason",
    "Time to resolve escalations",
    "SLA breaches",
    "Bouncing addresses",
  ]) {
    await expect(page.getByRole("heading", { name, level: 2 })).toBeVisible();
  }
  await expect(page.getByRole("table", { name: "Open tickets by identity status" }).getByRole("rowheader", { name: "Bouncing address" })).toBeVisible();
  const resolved = page.getByRole("region", { name: "Time to resolve escalations" });
  expect(Number(await resolved.locator("dt", { hasText: "Resolved" }).locator("xpath=following-sibling::dd").textContent())).toBeGreaterThanOrEqual(1);
  await expect(page.getByRole("list", { name: "Most recent" })).toContainText("sofia.andersson@harbour-logistics.example");

  await page.getByRole("link", { name: "Last 7 days" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
  // The rows made an hour ago are within 7 days too.
  expect(Number.parseInt((await reportRow(verification, "Portal"))[1]!, 10)).toBeGreaterThanOrEqual(4);
});

test("a supervisor unlocks an account locked for codes and unfreezes a frozen one, each with a reason", async ({ page, users, db }) => {
  const name = `Locked Person ${randomUUID().slice(0, 6)}`;
  const locked = await db.user.create({
    data: { email: `locked-${randomUUID()}@e2e.example`, name, role: "customer", codeLockedAt: new Date(), codeFailureCount: 100 },
  });

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/unlocks");
  const item = page.getByRole("list", { name: "Accounts with code verification locked" }).getByRole("listitem").filter({ hasText: locked.email });
  await expect(item).toContainText("after 100 wrong codes in a row");
  const button = item.getByRole("button", { name: `Unlock code verification for ${name}` });

  await button.click();
  await expect(item.getByRole("alert").filter({ hasText: "Say why you are unlocking this account." })).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: locked.id } })).codeLockedAt).not.toBeNull();

  await item.getByLabel(`Reason for unlocking ${name}`).fill("Confirmed on a call back to the number on file");
  await button.click();
  await expect(page.getByRole("status").filter({ hasText: `Code verification unlocked for ${name}. 100 failed attempts cleared` })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: locked.email })).toHaveCount(0);
  expect(await db.user.findUniqueOrThrow({ where: { id: locked.id } })).toMatchObject({ codeLockedAt: null, codeFailureCount: 0 });
  const event = await db.auditEvent.findFirstOrThrow({ where: { action: "identity.code_verification_unlocked", subjectId: locked.id } });
  // The append-only audit says a reason was given, never its text (it may name the person).
  expect(event.details).toEqual({ failuresCleared: 100, reasonGiven: true });

  // An account frozen by "this wasn't me" is released the same way, after the review.
  const frozenName = `Frozen Person ${randomUUID().slice(0, 6)}`;
  const frozen = await db.user.create({ data: { email: `frozen-${randomUUID()}@e2e.example`, name: frozenName, role: "customer", frozenAt: new Date() } });
  await page.reload();
  const frozenItem = page.getByRole("list", { name: "Frozen accounts" }).getByRole("listitem").filter({ hasText: frozen.email });
  await frozenItem.getByLabel(`Reason for unfreezing ${frozenName}'s account`).fill("Owner confirmed by phone; password changed");
  await frozenItem.getByRole("button", { name: `Unfreeze the account of ${frozenName}` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${frozenName}'s account is unfrozen.` })).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: frozen.id } })).frozenAt).toBeNull();
  expect((await db.auditEvent.findFirstOrThrow({ where: { action: "identity.account_unfrozen", subjectId: frozen.id } })).details).toMatchObject({
    reasonGiven: true,
  });
});

test("an agent is refused the audit log page and its CSV export", async ({ page, users }) => {
  // Not signed in: the export answers 401 and carries no CSV.
  const anonymous = await page.request.get("/supervisor/audit/export");
  expect(anonymous.status()).toBe(401);

  await users.signIn(page, "agent");
  const response = await page.goto("/supervisor/audit?action=auth.");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);

  // The export with the agent's own session cookie: 403 JSON, never a file.
  const exported = await page.request.get("/supervisor/audit/export?action=auth.");
  expect(exported.status()).toBe(403);
  expect(exported.headers()["content-disposition"]).toBeUndefined();
  expect(await exported.json()).toEqual({ error: "Your account is not allowed to do this." });

  for (const path of ["/supervisor/reports", "/supervisor/unlocks"]) expect((await page.goto(path))?.status()).toBe(403);
});
