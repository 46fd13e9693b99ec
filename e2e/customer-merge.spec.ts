import { expect, test } from "./fixtures/test";

/**
 * Merging two customer records end to end: a supervisor finds the other record, previews what
 * moves and the conflicts, chooses the survivor, merges (a reason is required: both records have
 * verified primary addresses), sees the merge in the survivor's history, undoes it, and both
 * records are back. Agents cannot open the merge page.
 */

test("a supervisor previews, merges with a reason, sees the history, undoes, and both records are back", async ({ page, users, customers, db, newPage }) => {
  test.slow();
  const kept = await customers.create("keep");
  const gone = await customers.create("gone");
  const ticket = await db.ticket.create({ data: { subject: "Invoice question from the duplicate", channel: "email", customerId: gone.customerId } });
  const keptRow = await db.customer.findUniqueOrThrow({ where: { id: kept.customerId } });
  const goneRow = await db.customer.findUniqueOrThrow({ where: { id: gone.customerId } });

  await users.signIn(page, "supervisor");
  await page.goto(`/console/customers/${kept.customerId}`);
  await page.getByRole("link", { name: "Merge with…" }).click();
  await expect(page.getByRole("heading", { name: `Merge ${keptRow.name}` })).toBeVisible();

  // Find the other record by its account number and preview.
  await page.getByLabel("Find the other record: name, account number, email or phone").fill(gone.accountNumber);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: `Preview merge with ${goneRow.name} (${gone.accountNumber})` }).click();
  const moves = page.getByRole("region", { name: `What moves from ${gone.accountNumber} to ${kept.accountNumber}` });
  await expect(moves).toContainText("Tickets (1)");
  await expect(moves).toContainText(`#${ticket.number} Invoice question from the duplicate`);
  await expect(moves).toContainText("Email addresses (2)");
  await expect(moves).toContainText("(primary: becomes an alias)");
  await expect(moves).toContainText("Portal accounts (1)");
  await expect(moves).toContainText("Support agreements (1)");
  const conflicts = page.getByRole("region", { name: /Conflicts/ });
  await expect(conflicts).toContainText("Both records have a verified primary address, and they differ");
  await expect(conflicts).toContainText(`the survivor keeps ${kept.accountNumber}`);

  // The supervisor can choose the other record as survivor, and back.
  await page.getByRole("link", { name: new RegExp(`${goneRow.name}.*Keep this one instead`) }).click();
  await expect(page.getByRole("region", { name: `What moves from ${kept.accountNumber} to ${gone.accountNumber}` })).toBeVisible();
  await page.getByRole("link", { name: new RegExp(`${keptRow.name}.*Keep this one instead`) }).click();
  await expect(moves).toBeVisible();

  // Disagreeing verified identities: the merge needs a reason.
  const merge = page.getByRole("button", { name: `Merge ${gone.accountNumber} into ${kept.accountNumber}` });
  await merge.click();
  await expect(page.getByRole("alert").filter({ hasText: "verified identities that disagree" }).first()).toBeVisible();
  expect((await db.customer.findUniqueOrThrow({ where: { id: gone.customerId } })).mergedIntoId).toBeNull();
  const reason = "Same person: she called from both addresses and confirmed the old account.";
  await page.getByLabel("Why are these the same person? (required)").fill(reason);
  await merge.click();

  // The survivor's page shows the merge: who, when, reason, undo.
  await expect(page).toHaveURL(new RegExp(`/console/customers/${kept.customerId}`));
  const history = page.getByRole("region", { name: "Merges" });
  await expect(history).toContainText(`Merged in ${goneRow.name} (${gone.accountNumber})`);
  await expect(history).toContainText("identity override");
  await expect(history).toContainText(`Reason: ${reason}`);
  await expect(history).toContainText(/By .+, .*\d/);
  await expect(history).toContainText(/Can be undone for 29 d 23 h more\./);
  expect((await db.customer.findUniqueOrThrow({ where: { id: gone.customerId } })).mergedIntoId).toBe(kept.customerId);
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).customerId).toBe(kept.customerId);

  // The directory finds the survivor by the absorbed record's account number, never the absorbed record.
  await page.goto(`/console/customers?q=${encodeURIComponent(gone.accountNumber)}`);
  await expect(page.getByRole("link", { name: keptRow.name, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: goneRow.name, exact: true })).toHaveCount(0);

  // Undo: both records back as they were.
  await page.goto(`/console/customers/${kept.customerId}`);
  await history.getByRole("button", { name: `Undo merge of ${gone.accountNumber}` }).click();
  // The page refreshes into the undone state, and the confirmation stays on it.
  await expect(history).toContainText(/Undone by .+/);
  await expect(history.getByText("Merge undone: both records are back as they were.")).toBeVisible();
  await expect(history.getByRole("button", { name: `Undo merge of ${gone.accountNumber}` })).toHaveCount(0);
  expect((await db.customer.findUniqueOrThrow({ where: { id: gone.customerId } })).mergedIntoId).toBeNull();
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).customerId).toBe(gone.customerId);
  const goneEmails = await db.customerEmail.findMany({ where: { customerId: gone.customerId }, orderBy: { normalized: "asc" } });
  expect(goneEmails.map((email) => [email.normalized, email.isPrimary])).toEqual([
    [gone.alias, false],
    [gone.primary, true],
  ]);
  expect((await db.user.findUniqueOrThrow({ where: { id: gone.user.id } })).customerId).toBe(gone.customerId);
  expect(await db.identityCheck.count({ where: { customerId: kept.customerId, outcome: "overridden" } })).toBe(0);
  // Through the navigation (a page.goto could race the undo's refresh of this page).
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).click();
  await page.getByLabel("Name, account number, email or phone").fill(gone.accountNumber);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: goneRow.name, exact: true })).toBeVisible();

  // Agents may not merge.
  const agent = await newPage();
  await users.signIn(agent, "agent");
  const response = await agent.goto(`/console/customers/${kept.customerId}/merge`);
  expect(response?.status()).toBe(403);
});
