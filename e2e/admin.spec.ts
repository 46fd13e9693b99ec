import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "./fixtures/test";

/**
 * Staff roles (/admin/staff) and support agreements (/console/customers/[id]) in the browser, and
 * the audit events they leave. Every account and agreement changed here is one this spec seeded,
 * so the demo people keep their roles for the other specs.
 */

const forbiddenHeading = (page: Page) => page.getByRole("heading", { name: "You do not have access to this page" });
const status = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });
const auditRows = (page: Page) => page.getByRole("table", { name: /Audit events/ }).locator("tbody tr");

async function filterAuditByAction(page: Page, action: string) {
  await page.goto("/supervisor/audit");
  await page.getByLabel("Action").fill(action);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]action=${action.replace(".", "\\.")}`));
}

test("an admin promotes an agent to supervisor; the agent, already signed in, opens /supervisor on the next request and finds the change audited", async ({
  page,
  users,
  db,
  newPage,
}) => {
  const agent = await users.create({ role: "agent" });
  const agentPage = await newPage();
  await users.signIn(agentPage, agent);
  const before = await agentPage.goto("/supervisor");
  expect(before?.status()).toBe(403);
  await expect(forbiddenHeading(agentPage)).toBeVisible();
  await expect(agentPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Supervisor", exact: true })).toHaveCount(0);

  const admin = await users.signIn(page, "admin");
  // Land first: a click while /after-sign-in is still redirecting was overtaken by that redirect (flaky in CI).
  await expect(page).toHaveURL(/\/console$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/staff$/);
  await expect(page.getByRole("heading", { name: "Staff roles" })).toBeVisible();

  // The admin's own row offers no role change.
  const ownRow = page.getByRole("row").filter({ hasText: admin.email });
  await expect(ownRow).toContainText("Your own role can only be changed by another administrator.");
  await expect(ownRow.getByRole("combobox")).toHaveCount(0);

  const row = page.getByRole("row").filter({ hasText: agent.email });
  await expect(row).toContainText("Agent");
  // Choosing the role it already has changes nothing and says why.
  await row.getByRole("button", { name: `Change role of ${agent.name}` }).click();
  await expect(row.getByRole("alert").filter({ hasText: `${agent.name} already has the agent role: choose another role first.` })).toBeVisible();

  await row.getByLabel(`New role for ${agent.name}`).selectOption("supervisor");
  await row.getByRole("button", { name: `Change role of ${agent.name}` }).click();
  const confirmation = row.getByRole("group", { name: `Change ${agent.name} from agent to supervisor?` });
  await expect(confirmation).toContainText("They gain the supervisor console");
  await expect(confirmation).toContainText("It applies on their next page load; they stay signed in.");
  // Not yet changed: the database still says agent until confirmed.
  expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).role).toBe("agent");
  await confirmation.getByRole("button", { name: `Make ${agent.name} supervisor` }).click();

  await expect(status(page, `${agent.name} is now a supervisor (was agent).`)).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: agent.email })).toContainText("Supervisor");
  expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).role).toBe("supervisor");

  // The agent's existing session: the next request has the new role, without signing in again.
  const after = await agentPage.goto("/supervisor");
  expect(after?.status()).toBe(200);
  await expect(agentPage.getByRole("heading", { name: "Supervisor", exact: true })).toBeVisible();
  await expect(agentPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Supervisor", exact: true })).toBeVisible();
  await expect(agentPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);

  // As a supervisor now, they find their own role change in the audit log, filtered by action.
  await filterAuditByAction(agentPage, "user.role_changed");
  const event = auditRows(agentPage).filter({ hasText: agent.email });
  await expect(event).toHaveCount(1);
  await expect(event).toContainText("user.role_changed");
  await expect(event).toContainText(admin.email);
  await expect(event).toContainText("from: agent");
  await expect(event).toContainText("to: supervisor");
  await expect(auditRows(agentPage).filter({ hasNotText: "user.role_changed" })).toHaveCount(0);
});

test("a supervisor cannot open /admin/staff (403) and has no Admin link", async ({ page, users }) => {
  await users.signIn(page, "supervisor");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
  const response = await page.goto("/admin/staff");
  expect(response?.status()).toBe(403);
  await expect(forbiddenHeading(page)).toBeVisible();
  await expect(page.getByRole("table", { name: "Staff and their roles" })).toHaveCount(0);
});

test("a supervisor extends and cancels a customer's agreement (an empty reason refused first) and finds the cancellation in the audit log", async ({
  page,
  users,
  customers,
  db,
}) => {
  const customer = await customers.create("agreements");
  const agreement = await db.supportAgreement.findFirstOrThrow({ where: { customerId: customer.customerId } });
  const reason = `Contract ended by letter ${randomUUID().slice(0, 6)}`;

  const supervisor = await users.signIn(page, "supervisor");
  await page.goto(`/console/customers?q=${encodeURIComponent(customer.accountNumber)}`);
  await page.getByRole("link", { name: customer.user.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/console/customers/${customer.customerId}$`));
  await expect(page.getByRole("heading", { name: customer.user.name, level: 1 })).toBeVisible();
  await expect(page.getByText("Changes here apply to new tickets only: tickets already open keep their due times.")).toBeVisible();

  const item = page
    .getByRole("list", { name: `Support agreements of ${customer.user.name}` })
    .getByRole("listitem")
    .filter({ hasText: agreement.reference });
  await expect(item).toContainText("Valid");
  await expect(item).toContainText("2020-01-01 to 2099-12-31");

  // Extend.
  await item.getByRole("button", { name: `Extend ${agreement.reference}` }).click();
  await item.getByLabel(`New last day of ${agreement.reference}`).fill("2100-06-30");
  await item.getByRole("button", { name: "Save new last day" }).click();
  await expect(status(page, `Agreement ${agreement.reference} now ends on 2100-06-30 (was 2099-12-31).`)).toBeVisible();
  await expect(item).toContainText("2020-01-01 to 2100-06-30");
  expect((await db.supportAgreement.findUniqueOrThrow({ where: { id: agreement.id } })).endsOn.toISOString()).toBe("2100-06-30T00:00:00.000Z");

  // Cancel: an empty reason is refused and nothing changes.
  await item.getByRole("button", { name: `Cancel agreement ${agreement.reference}` }).click();
  const reasonField = item.getByLabel(`Reason for cancelling ${agreement.reference}`);
  await expect(reasonField).toBeFocused();
  await item.getByRole("button", { name: "Cancel from today" }).click();
  await expect(item.getByRole("alert").filter({ hasText: "Say why the agreement is cancelled." })).toBeVisible();
  await expect(reasonField).toHaveAttribute("aria-invalid", "true");
  expect((await db.supportAgreement.findUniqueOrThrow({ where: { id: agreement.id } })).cancelledAt).toBeNull();

  await reasonField.fill(reason);
  await item.getByRole("button", { name: "Cancel from today" }).click();
  await expect(
    status(page, `Agreement ${agreement.reference} is cancelled from today: new tickets no longer get its standard SLA (open tickets keep their due times).`),
  ).toBeVisible();
  await expect(item).toContainText("Cancelled");
  await expect(item).toContainText(reason);
  await expect(item.getByRole("button", { name: `Extend ${agreement.reference}` })).toHaveCount(0);
  await expect(page.getByText("Not covered")).toBeVisible();
  expect((await db.supportAgreement.findUniqueOrThrow({ where: { id: agreement.id } })).cancelledAt).not.toBeNull();

  // The audit log, filtered by action: the cancellation with its before/after state and the reason.
  await filterAuditByAction(page, "agreement.cancelled");
  const event = auditRows(page).filter({ hasText: agreement.reference });
  await expect(event).toHaveCount(1);
  await expect(event).toContainText(supervisor.email);
  await expect(event).toContainText("SupportAgreement");
  await expect(event).toContainText(`reason: ${reason}`);
  await expect(event).toContainText("stateBefore: valid");
  await expect(event).toContainText("stateAfter: cancelled");
  await expect(auditRows(page).filter({ hasNotText: "agreement.cancelled" })).toHaveCount(0);
});

test("an agent sees a customer's agreements read-only", async ({ page, users, customers }) => {
  const customer = await customers.create("agreements-ro");
  await users.signIn(page, "agent");
  await page.goto(`/console/customers/${customer.customerId}`);
  await expect(page.getByRole("heading", { name: "Support agreements" })).toBeVisible();
  await expect(page.getByRole("list", { name: `Support agreements of ${customer.user.name}` })).toContainText(`E2E-AG-`);
  await expect(page.getByText("Only a supervisor or an administrator can change agreements.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Extend|Cancel agreement|Add agreement/ })).toHaveCount(0);
});
