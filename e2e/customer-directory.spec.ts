import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * The customer directory (/console/customers) and the customer page in the browser: an agent
 * filters by organisation and agreement state (the view lives in the URL), pages through 53
 * customers of one organisation ("1–50", "51–53" and back), opens a customer and sees the tickets
 * (open first) and the contact details (the editor: primary/alias, verified, deliverability).
 */

test("an agent browses the directory by organisation and agreement, pages, and opens a customer", async ({ page, users, db }) => {
  test.slow(); // many pages on a shared machine
  const id = randomUUID().slice(0, 8);
  const orgName = `Directory Org ${id}`;
  const organisation = await db.organisation.create({ data: { name: orgName, normalizedName: orgName.toLowerCase() } });
  const alpha = await db.customer.create({
    data: {
      accountNumber: `E2E-DIR-${id}-A`,
      name: `Aaron Directory ${id}`,
      organisationId: organisation.id,
      emails: {
        create: [
          { address: `aaron@dir-${id}.example`, normalized: `aaron@dir-${id}.example`, isPrimary: true, verifiedAt: new Date(), deliverability: "delivering" },
          { address: `old@dir-${id}.example`, normalized: `old@dir-${id}.example`, isPrimary: false, deliverability: "bouncing", bounceCount: 2 },
        ],
      },
      phones: { create: [{ e164: "+447700900987", kind: "mobile", verifiedAt: null }] },
      agreements: { create: { reference: `E2E-DIR-${id}`, tier: "premium", startsOn: new Date("2020-01-01"), endsOn: new Date("2099-12-31") } },
    },
  });
  await db.customer.createMany({
    data: Array.from({ length: 52 }, (_, i) => ({
      accountNumber: `E2E-DIR-${id}-${String(i).padStart(2, "0")}`,
      name: `Filler Directory ${id} ${String(i).padStart(2, "0")}`,
      organisationId: organisation.id,
    })),
  });
  const open = await db.ticket.create({ data: { subject: `Router keeps rebooting ${id}`, channel: "email", status: "open", customerId: alpha.id } });
  await db.ticket.create({
    data: { subject: `Invoice copy ${id}`, channel: "web", status: "solved", customerId: alpha.id, lastActivityAt: new Date(Date.now() + 60_000) },
  });

  await users.signIn(page, "agent");
  await page.goto("/console/customers");
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Customers 1–/ })).toBeVisible();

  // Filter by organisation: 53 customers, 50 a page.
  await page.getByLabel("Organisation").selectOption({ label: orgName });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`org=${organisation.id}`));
  await expect(page.getByRole("heading", { name: "Customers 1–50" })).toBeVisible();
  const rows = page.locator("tr[data-customer-row]");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText(`Aaron Directory ${id}`);
  await expect(rows.first()).toContainText(orgName);
  await page.getByRole("link", { name: "Next page →" }).click();
  await expect(page.getByRole("heading", { name: "Customers 51–53" })).toBeVisible();
  await expect(rows).toHaveCount(3);
  await expect(rows.last()).toContainText(`Filler Directory ${id} 51`);
  await expect(page.getByRole("link", { name: "Next page →" })).toHaveCount(0);
  await page.getByRole("link", { name: "← Previous page" }).click();
  await expect(page.getByRole("heading", { name: "Customers 1–50" })).toBeVisible();
  await expect(page.getByRole("link", { name: "← Previous page" })).toHaveCount(0);

  // And by agreement state: only Aaron has a valid one (the view is shareable: it is all in the URL).
  await page.getByLabel("Support agreement").selectOption("valid");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/agreement=valid/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Valid");
  await expect(rows.first()).toContainText("1 bouncing");
  const shared = page.url();
  await page.goto("/console/customers");
  await page.goto(shared);
  await expect(page.getByLabel("Support agreement")).toHaveValue("valid");
  await expect(rows).toHaveCount(1);

  await page.setViewportSize({ width: 390, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 900 });

  // The customer page: header with the organisation, tickets (open first), contact details.
  await page.getByRole("link", { name: `Aaron Directory ${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`/console/customers/${alpha.id}$`));
  await expect(page.getByRole("heading", { name: `Aaron Directory ${id}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: orgName }).first()).toHaveAttribute("href", `/console/organisations/${organisation.id}`);
  const tickets = page.getByRole("list", { name: "Tickets of this customer" }).getByRole("listitem");
  await expect(tickets).toHaveCount(2);
  await expect(tickets.first()).toContainText(`Router keeps rebooting ${id}`);
  await expect(tickets.first()).toContainText("Open");
  await expect(tickets.nth(1)).toContainText(`Invoice copy ${id}`);
  const emails = page.getByRole("list", { name: "Email addresses" }).getByRole("listitem");
  await expect(emails.first()).toContainText(`aaron@dir-${id}.example`);
  await expect(emails.first()).toContainText("Primary");
  await expect(emails.first()).toContainText("Verified");
  await expect(emails.nth(1)).toContainText("Alias");
  await expect(emails.nth(1)).toContainText("Not verified");
  await expect(emails.nth(1)).toContainText("Bouncing");
  const phones = page.getByRole("list", { name: "Phone numbers" }).getByRole("listitem");
  await expect(phones.first()).toContainText("+44 7700 900987");
  await expect(phones.first()).toContainText("Mobile");
  await page.getByRole("link", { name: `Router keeps rebooting ${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`/console/tickets/${open.id}`));
});

test("an absorbed customer's page points at the survivor, and the directory shows the survivor in its place", async ({ page, users, db }) => {
  const id = randomUUID().slice(0, 8);
  const survivor = await db.customer.create({ data: { accountNumber: `E2E-SRV-${id}`, name: `Survivor ${id}` } });
  const absorbed = await db.customer.create({ data: { accountNumber: `E2E-ABS-${id}`, name: `Absorbed ${id}`, mergedIntoId: survivor.id } });
  await users.signIn(page, "agent");
  // Its old account number finds the record it was merged into, never the absorbed one.
  await page.goto(`/console/customers?q=${encodeURIComponent(absorbed.accountNumber)}`);
  await expect(page.getByRole("link", { name: `Survivor ${id}` }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: `Absorbed ${id}` })).toHaveCount(0);
  await page.goto(`/console/customers/${absorbed.id}`);
  await expect(page.getByText("Merged into another customer")).toBeVisible();
  await page.getByRole("link", { name: `Survivor ${id} (E2E-SRV-${id})` }).click();
  await expect(page.getByRole("heading", { name: `Survivor ${id}`, level: 1 })).toBeVisible();
});
