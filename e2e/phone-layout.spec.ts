import { expect, type Page, test } from "./fixtures/test";

/**
 * Phone-sized screens (390 × 844, an iPhone 12–15): no page scrolls sideways, and the main
 * navigation folds behind an accessible "Menu" button that opens and closes with the keyboard;
 * the agent ticket page puts the reply box and controls first and folds the checks.
 */

test.use({ viewport: { width: 390, height: 844 } });

const PHONE_WIDTH = 390;

async function expectNoSidewaysScroll(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("main")).toBeVisible();
  const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  expect(widths.document, `${path} scrolls sideways`).toBeLessThanOrEqual(PHONE_WIDTH);
  expect(widths.body, `${path} scrolls sideways`).toBeLessThanOrEqual(PHONE_WIDTH);
}

/** The menu button opens the navigation, Escape closes it and gives focus back, and the links keep aria-current. */
async function expectMenu(page: Page, current: string) {
  const nav = page.getByRole("navigation", { name: "Main" });
  const menu = nav.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  const list = page.locator(`#${CSS.escape(await menu.getAttribute("aria-controls").then((id) => id ?? ""))}`);
  await expect(list).toBeHidden();

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(list).toBeVisible();
  await expect(nav.getByRole("link", { name: current })).toHaveAttribute("aria-current", "page");
  // The open menu does not widen the page either.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_WIDTH);

  await page.keyboard.press("Tab");
  await expect(nav.getByRole("link").first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(list).toBeHidden();
  await expect(menu).toBeFocused();

  // By keyboard alone: Enter opens it, a link leads on, and the new page starts with it closed.
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
}

/** The names Chromium's accessibility tree gives the table cells (what a screen reader reads). */
async function cellNames(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: { role?: { value?: string }; name?: { value?: string } }[] };
  await cdp.detach();
  return nodes.filter((node) => node.role?.value === "cell").map((node) => node.name?.value ?? "");
}

/**
 * On a phone each queue row is a card whose values show their column's name (the cell's
 * data-label, drawn by CSS) and screen readers read it with the value; on a wide screen the
 * table head names the columns and the cells hold the values alone.
 */
async function expectCellLabels(page: Page) {
  const priority = page.getByRole("table").locator('td[data-label="Priority"]').first();
  const label = () =>
    priority.evaluate((cell) => ({ content: getComputedStyle(cell, "::before").content, display: getComputedStyle(cell, "::before").display }));
  expect(await label()).toEqual({ content: '"Priority"', display: "inline" });
  await expect(page.getByRole("table").locator("thead")).toBeHidden();
  expect(await cellNames(page)).toContainEqual(expect.stringMatching(/^Priority (Low|Normal|High|Urgent)$/));

  await page.setViewportSize({ width: 1280, height: 844 });
  expect((await label()).display).toBe("none");
  await expect(page.getByRole("table").getByRole("columnheader", { name: "Priority", exact: true })).toBeVisible();
  const wide = await cellNames(page);
  expect(wide).toContainEqual(expect.stringMatching(/^(Low|Normal|High|Urgent)$/));
  expect(wide.filter((name) => name.startsWith("Priority"))).toEqual([]);
  await page.setViewportSize({ width: PHONE_WIDTH, height: 844 });
}

// CSS.escape for the page's useId ids (":r1:"), in Node.
const CSS = { escape: (id: string) => id.replace(/[^a-zA-Z0-9_-]/g, (character) => `\\${character}`) };

test("an agent's pages fit a phone, and the menu button opens the navigation", async ({ page, users }) => {
  await users.signIn(page, "agent");
  await expectNoSidewaysScroll(page, "/console");
  await expectMenu(page, "Ticket queue");

  await expectCellLabels(page);

  const ticket = page.locator('main a[href^="/console/tickets/"]').first();
  const href = await ticket.getAttribute("href");
  expect(href).toMatch(/^\/console\/tickets\//);
  await expectNoSidewaysScroll(page, href!);
  await expectNoSidewaysScroll(page, "/console/registrations");
  await expectNoSidewaysScroll(page, "/console/customers");
  await expectNoSidewaysScroll(page, "/account");

  // Following a link from the menu closes it on the next page.
  await page.goto("/console");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("button", { name: "Menu" }).click();
  await nav.getByRole("link", { name: "Customers" }).click();
  await expect(page).toHaveURL(/\/console\/customers$/);
  await expect(nav.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Customers" })).toBeHidden();
});

test("a supervisor's pages fit a phone", async ({ page, users }) => {
  await users.signIn(page, "supervisor");
  await expectNoSidewaysScroll(page, "/supervisor");
  await expectMenu(page, "Supervisor");
  await expectNoSidewaysScroll(page, "/console/registrations");
  await expectNoSidewaysScroll(page, "/account");
});

test("a customer's pages fit a phone", async ({ page, users }) => {
  await users.signIn(page, "customer");
  await expectNoSidewaysScroll(page, "/portal");
  await expectMenu(page, "My support");
  const ticket = page.locator('main a[href^="/portal/tickets/"]:not([href="/portal/tickets/new"])').first();
  if ((await ticket.count()) > 0) await expectNoSidewaysScroll(page, (await ticket.getAttribute("href"))!);
  await expectNoSidewaysScroll(page, "/account");
});

test("on a wide screen the navigation is one row of links, with no menu button", async ({ page, users }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await users.signIn(page, "agent");
  await page.goto("/console");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("button", { name: "Menu" })).toBeHidden();
  await expect(nav.getByRole("link", { name: "Ticket queue" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Customers" })).toBeVisible();
});

test("every main page of every role fits a phone (scrollWidth ≤ 390)", async ({ users, customers, newPage, db }) => {
  // About thirty pages in four browsers: more than the default minute on a shared machine.
  test.setTimeout(300_000);
  const customer = await customers.create("phone");
  // A registrant waiting for a match with long unbroken text, as the registrations table once overflowed on.
  const waiting = await users.create({ role: "customer", name: "Registrant-with-a-very-long-unbroken-name-that-must-wrap" });
  await db.user.update({
    where: { id: waiting.id },
    data: { matchStatus: "awaiting_match", accountHint: "ACCOUNT-NUMBER-0000000000000000000000000000-TYPED" },
  });

  const agent = await newPage({ viewport: { width: PHONE_WIDTH, height: 844 } });
  await users.signIn(agent, "agent");
  for (const path of [
    "/console",
    "/console/customers",
    `/console/customers/${customer.customerId}`,
    `/console/customers/${customer.customerId}/new-ticket`,
    "/console/registrations",
    `/console/registrations/${waiting.id}`,
    "/console/inbound",
    "/console/canned-replies",
    "/account",
    "/account/security",
    "/account/email",
    "/account/phone",
  ])
    await expectNoSidewaysScroll(agent, path);

  const supervisor = await newPage({ viewport: { width: PHONE_WIDTH, height: 844 } });
  await users.signIn(supervisor, "supervisor");
  for (const path of ["/supervisor", "/supervisor/audit", "/supervisor/outbox", "/supervisor/reports", "/supervisor/sla", "/supervisor/unlocks"])
    await expectNoSidewaysScroll(supervisor, path);

  const admin = await newPage({ viewport: { width: PHONE_WIDTH, height: 844 } });
  await users.signIn(admin, "admin");
  await expectNoSidewaysScroll(admin, "/admin/staff");
  await expectNoSidewaysScroll(admin, "/admin/api");

  const portal = await newPage({ viewport: { width: PHONE_WIDTH, height: 844 } });
  await users.signIn(portal, customer.user);
  for (const path of ["/portal", "/portal/tickets/new", "/portal/downloads", "/account"]) await expectNoSidewaysScroll(portal, path);
});

test("on a phone the agent ticket page puts the thread, the reply box and the controls first, the rest folded", async ({ page, users }) => {
  await users.signIn(page, "agent");
  await page.goto("/console");
  const href = await page.locator('main a[href^="/console/tickets/"]').first().getAttribute("href");
  await expectNoSidewaysScroll(page, href!);

  const top = async (locator: ReturnType<Page["locator"]>) => (await locator.boundingBox())!.y;
  const thread = page.getByRole("list", { name: "Conversation" });
  const reply = page.getByRole("button", { name: "Send reply" });
  const controls = page.getByRole("heading", { name: "Ticket", exact: true });
  const identity = page.locator("summary", { hasText: "Identity details" });
  const caller = page.locator("summary", { hasText: "Caller check" });
  const escalation = page.locator("summary", { hasText: "Escalation" });
  expect(await top(thread)).toBeLessThan(await top(reply));
  expect(await top(reply)).toBeLessThan(await top(controls));
  expect(await top(controls)).toBeLessThan(await top(caller));
  expect(await top(reply)).toBeLessThan(await top(identity));
  expect(await top(reply)).toBeLessThan(await top(escalation));

  // Folded on a phone, and opened with the keyboard.
  await expect(page.getByRole("heading", { name: "Who is this?" })).toBeHidden();
  await identity.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Who is this?" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_WIDTH);
});

test("on a wide screen the agent ticket page shows every section open", async ({ page, users }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await users.signIn(page, "agent");
  await page.goto("/console");
  await page.locator('main a[href^="/console/tickets/"]').first().click();
  await expect(page.getByRole("heading", { name: "Who is this?" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Verify caller" })).toBeVisible();
});
