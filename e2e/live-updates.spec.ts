import { E2E, expect, type Page, test } from "./fixtures/test";

// Live pages across instances: changes made through instance A reach pages served by instance B
// (PostgreSQL NOTIFY → B's one LISTEN connection → B's server-sent event streams) without a reload.

/** Waits until the page's event stream is open, so that what happens next cannot be missed. */
async function liveConnected(page: Page) {
  await expect(page.locator("[data-live-connected]")).toHaveAttribute("data-live-connected", "true");
}

/** Marks the document: a reload or a navigation would lose the mark. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { liveMark: string }).liveMark = "same document";
  });
}
async function expectSameDocument(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { liveMark?: string }).liveMark)).toBe("same document");
}

// Several people sign in and act in turn: more steps than most tests, on a machine shared by many.
test.describe.configure({ timeout: 180_000 });

const politeAnnouncement = (page: Page) => page.locator('[aria-live="polite"][data-live-announcement]');

test("a queue on instance B shows a ticket filed and a status changed on instance A, without a reload", async ({ users, customers, newPage }) => {
  const customer = await customers.create("live");
  const token = `livequeue${customer.accountNumber.replace(/\W/g, "").toLowerCase()}`;
  const subject = `Badge reader ${token} blinks red`;

  // Agent on instance B watches a queue filtered to what this test will file: empty at first.
  const watcher = await newPage();
  await users.signIn(watcher, "agent");
  await watcher.goto(`${E2E.instanceB}/console?q=${token}`);
  await expect(watcher.getByText("No tickets match these filters.")).toBeVisible();
  await liveConnected(watcher);
  await markDocument(watcher);

  // The customer files the ticket through instance A.
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto(`${E2E.instanceA}/portal/tickets/new`);
  await customerPage.getByLabel("Subject").fill(subject);
  await customerPage.getByLabel("Describe the problem or question").fill("It blinks red and the door stays shut.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  const opened = await customerPage.getByText(/Ticket VD-\d+ is open/).textContent();
  const reference = /VD-\d+/.exec(opened ?? "")?.[0] as string;
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop() as string;

  const row = watcher.getByRole("row", { name: new RegExp(`^${reference} `) });
  await expect(row).toContainText(subject);
  await expect(politeAnnouncement(watcher)).toHaveText("Queue updated.");
  if (process.env.LIVE_SCREENSHOTS) await watcher.screenshot({ path: "/tmp/live-queue-1280.png" });

  // Another agent, on instance A, puts it on hold: B's queue shows the new status.
  const mover = await newPage();
  await users.signIn(mover, "supervisor");
  await mover.goto(`${E2E.instanceA}/console/tickets/${ticketId}`);
  await mover.getByLabel("Status").selectOption({ label: "On hold" });
  await expect(mover.getByText("Status saved.")).toBeVisible();
  await expect(row.getByRole("cell").filter({ hasText: "On hold" })).toBeVisible();
  await expectSameDocument(watcher);
});

test("a ticket page on instance B shows who else is on it, and a customer's reply arrives without losing a half-typed answer", async ({
  users,
  customers,
  newPage,
}) => {
  const customer = await customers.create("live");
  const subject = `Turnstile counts twice ${customer.accountNumber}`;
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto(`${E2E.instanceA}/portal/tickets/new`);
  await customerPage.getByLabel("Subject").fill(subject);
  await customerPage.getByLabel("Describe the problem or question").fill("Every visitor is counted twice since Monday.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop() as string;

  const sam = await users.create({ role: "agent", name: "Sam Live" });
  const rita = await users.create({ role: "agent", name: "Rita Live" });

  // Sam reads the ticket on instance B.
  const samPage = await newPage();
  await users.signIn(samPage, sam);
  await samPage.goto(`${E2E.instanceB}/console/tickets/${ticketId}`);
  await liveConnected(samPage);
  await markDocument(samPage);
  const samSees = samPage.getByRole("status").filter({ hasText: /Rita Live is/ });

  // Rita opens it on instance A: Sam sees her arrive, then start replying when she types.
  const ritaPage = await newPage();
  await users.signIn(ritaPage, rita);
  await ritaPage.goto(`${E2E.instanceA}/console/tickets/${ticketId}`);
  await expect(samSees).toHaveText("Rita Live is viewing");
  await expect(ritaPage.getByRole("status").filter({ hasText: "Sam Live is viewing" })).toBeVisible();
  await ritaPage.getByLabel(`Reply to ${customer.primary}`).fill("Looking into the counter now");
  await expect(samSees).toHaveText("Rita Live is replying");
  if (process.env.LIVE_SCREENSHOTS) await samPage.screenshot({ path: "/tmp/live-ticket-1280.png" });
  // On a phone the line wraps inside the page: nothing scrolls sideways.
  await samPage.setViewportSize({ width: 390, height: 844 });
  await expect(samSees).toBeVisible();
  if (process.env.LIVE_SCREENSHOTS) await samPage.screenshot({ path: "/tmp/live-ticket-390.png" });
  expect(await samPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await samPage.setViewportSize({ width: 1280, height: 800 });

  // Sam starts an answer; the customer adds a message through instance A meanwhile.
  const samReply = samPage.getByLabel(`Reply to ${customer.primary}`);
  await samReply.fill("Hi Pat, half-typed");
  await samReply.focus();
  await customerPage.getByLabel("Your message").fill("It now counts three times.");
  await customerPage.getByRole("button", { name: "Send reply" }).click();

  await expect(samPage.getByText("It now counts three times.")).toBeVisible();
  await expect(politeAnnouncement(samPage)).toHaveText("New reply from the customer.");
  // The refresh kept Sam's draft, his focus and the document itself.
  await expect(samReply).toHaveValue("Hi Pat, half-typed");
  await expect(samReply).toBeFocused();
  await expectSameDocument(samPage);

  // Rita leaves: Sam no longer sees her.
  await ritaPage.goto(`${E2E.instanceA}/console`);
  await expect(samPage.getByText(/Rita Live is/)).toHaveCount(0);

  // The customer's page (instance A) shows Sam's answer when he sends it, without a reload.
  await markDocument(customerPage);
  await liveConnected(customerPage);
  await samReply.fill("Hi Pat, a firmware fix is on its way.");
  await samPage.getByRole("button", { name: "Send reply" }).click();
  await expect(customerPage.getByText("a firmware fix is on its way")).toBeVisible();
  await expect(politeAnnouncement(customerPage)).toHaveText("New reply from support.");
  await expectSameDocument(customerPage);
});
