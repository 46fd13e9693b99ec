import { expect, type Page, test, type Users } from "./fixtures/test";

/**
 * The agent queue at /console on the demo data (features/demo/demo-data.ts): 15 tickets across
 * statuses and channels, one from an alias, one from an unknown address, a bouncing customer.
 */

async function openQueue(page: Page, users: Users) {
  await users.signIn(page, "agent");
  await expect(page).toHaveURL(/\/console$/);
}

const queue = (page: Page) => page.getByRole("table", { name: /tickets/i });
const rowLinks = (page: Page) => queue(page).locator("a[data-queue-row]");

test("an agent filters the queue by status and channel, and the URL keeps the view", async ({ page, users }) => {
  await openQueue(page, users);
  await page.getByRole("combobox", { name: "Status", exact: true }).selectOption({ label: "Waiting on customer" });
  await page.getByRole("combobox", { name: "Channel", exact: true }).selectOption({ label: "Email" });
  await page.getByRole("button", { name: "Apply filters" }).click();

  await expect(page).toHaveURL(/status=pending/);
  await expect(page).toHaveURL(/channel=email/);
  await expect(rowLinks(page)).toHaveText(["Missing pallets on yesterday's delivery", "Tracking page shows the wrong time zone"]);
  await expect(page.locator("p[role=status]")).toHaveText("2 tickets");
  // Each row says who the requester is: Harbour's primary address is bouncing, the alias is fine.
  const tracking = queue(page).getByRole("row").filter({ hasText: "Tracking page shows the wrong time zone" });
  await expect(tracking.getByText("Bouncing address")).toBeVisible();
  const pallets = queue(page).getByRole("row").filter({ hasText: "Missing pallets" });
  await expect(pallets.getByText("Partially verified")).toBeVisible();
  // Waiting on the customer: the resolution clock is paused (features/sla/pause.ts), not counting down.
  // The cell shows "Paused"; the sentence is its title and what screen readers hear.
  for (const row of [pallets, tracking]) {
    await expect(row.getByText("Paused", { exact: true })).toBeVisible();
    await expect(row.getByTitle("SLA paused: waiting on customer")).toHaveCount(1);
    await expect(row.getByText("SLA paused: waiting on customer")).toHaveCount(1);
  }

  // The status tabs keep the channel filter; the form follows the link.
  await page
    .getByRole("navigation", { name: "Tickets by status" })
    .getByRole("link", { name: /^All statuses/ })
    .click();
  await expect(page).toHaveURL(/status=all/);
  await expect(page).toHaveURL(/channel=email/);
  await expect(page.getByRole("combobox", { name: "Status", exact: true })).toHaveValue("all");
  await expect(page.getByRole("combobox", { name: "Channel", exact: true })).toHaveValue("email");

  // Back returns to the previous view.
  await page.goBack();
  await expect(page).toHaveURL(/status=pending/);
  await expect(rowLinks(page)).toHaveCount(2);
});

test("an agent searches for a word from a ticket's message and finds the ticket", async ({ page, users }) => {
  await openQueue(page, users);
  await page.getByRole("searchbox", { name: "Search" }).fill("auditors");
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(page).toHaveURL(/q=auditors/);
  await expect(rowLinks(page)).toHaveText(["Invoice export fails with a timeout"]);

  await page.getByRole("searchbox", { name: "Search" }).fill("xylophonequux");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No tickets match these filters.")).toBeVisible();
});

test("an agent filters by identity and by entitlement", async ({ page, users }) => {
  await openQueue(page, users);
  await page.getByRole("combobox", { name: "Identity", exact: true }).selectOption({ label: "Bouncing address" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(rowLinks(page)).toHaveText(["Tracking page shows the wrong time zone"]);

  await page.goto("/console?status=all&entitlement=none&sort=oldest");
  const subjects = await rowLinks(page).allTextContents();
  expect(subjects).toContain("Request for a quote"); // unknown sender, no customer
  expect(subjects).toContain("Card reader stopped syncing sales"); // Bluebell's agreement expired
  expect(subjects).not.toContain("Invoice export fails with a timeout"); // Northwind is covered
});

test("an agent moves through the queue with the keyboard and opens a ticket with Enter", async ({ page, users }) => {
  await openQueue(page, users);
  await expect(page.getByText("Press j / k (or ↓ / ↑) to move, Enter to open.")).toBeVisible();
  const links = rowLinks(page);
  await expect(links.first()).toBeVisible();

  await page.keyboard.press("j");
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(links.nth(2)).toBeFocused();
  await page.keyboard.press("k");
  await expect(links.nth(1)).toBeFocused();
  // Typing in the search box is not navigation.
  await page.getByRole("searchbox", { name: "Search" }).focus();
  await page.keyboard.type("jk");
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue("jk");

  await links.nth(1).focus();
  const href = await links.nth(1).getAttribute("href");
  expect(href).toMatch(/^\/console\/tickets\/[0-9a-f-]{36}$/);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${href}$`));
});
