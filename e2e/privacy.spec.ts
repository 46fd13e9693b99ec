import { readFile } from "node:fs/promises";
import { unzipSync } from "fflate";
import { tinyPdf } from "../platform/testing/sample-files";
import { findTraces } from "../features/privacy/testing/find-traces";
import { expect, test } from "./fixtures/test";

/**
 * GDPR Art. 15 and 17 end to end: a customer downloads their data (the ZIP and its data.json are
 * parsed here), then a supervisor erases them by typing their name (a wrong name is refused), and a
 * search of every text column of every table finds no trace of their addresses or name.
 */

const pdf = tinyPdf("Privacy statement");

test("a customer downloads their data; a supervisor erases them and no trace is left", async ({ users, customers, newPage, db }) => {
  test.setTimeout(180_000); // many steps on a shared, busy machine
  const customer = await customers.create("privacy");
  const name = customer.user.name;

  // The customer opens a ticket with an attachment.
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(`Broken scanner for ${name}`);
  await customerPage.getByLabel("Describe the problem or question").fill(`Hello, this is ${name}, write to ${customer.alias}.`);
  await customerPage.getByLabel("Attach files", { exact: true }).setInputFiles([{ name: "statement.pdf", mimeType: "application/pdf", buffer: pdf }]);
  await expect(customerPage.getByRole("list", { name: "Attached files" }).getByRole("listitem").filter({ hasText: "statement.pdf" })).toContainText("Uploaded");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop()!;
  // An internal note the customer must never get.
  await db.ticketMessage.create({ data: { ticketId, kind: "internal_note", body: `STAFF-ONLY note about ${name}` } });

  // Export: the portal page's link downloads a ZIP with data.json and the attachment.
  await customerPage.goto("/portal");
  const [download] = await Promise.all([customerPage.waitForEvent("download"), customerPage.getByRole("link", { name: "Download my data" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^veridesk-my-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
  const data = JSON.parse(new TextDecoder().decode(files["data.json"]));
  expect(data.account).toMatchObject({ email: customer.primary, name });
  expect(data.customer.emails.map((e: { address: string }) => e.address).sort()).toEqual([customer.alias, customer.primary].sort());
  expect(data.tickets).toHaveLength(1);
  expect(data.tickets[0].subject).toBe(`Broken scanner for ${name}`);
  const attachment = data.tickets[0].messages[0].attachments[0];
  expect(Buffer.from(files[attachment.path]!).equals(pdf)).toBe(true);
  expect(JSON.stringify(data)).not.toContain("STAFF-ONLY");

  // Erasure: from the customer page, confirm by typing the name.
  const supervisorPage = await newPage();
  await users.signIn(supervisorPage, "supervisor");
  await supervisorPage.goto(`/console/customers/${customer.customerId}`);
  await supervisorPage.getByRole("link", { name: `Erase customer ${name}…` }).click();
  await expect(supervisorPage.getByRole("heading", { name: `Erase ${name}` })).toBeVisible();
  await expect(supervisorPage.getByText("This cannot be undone")).toBeVisible();
  const confirm = supervisorPage.getByLabel("Type the customer's name to confirm");
  await confirm.fill(`${name} typo`);
  await supervisorPage.getByRole("button", { name: "Erase customer permanently" }).click();
  await expect(supervisorPage.getByRole("alert").filter({ hasText: "Type the customer's name exactly as shown." })).toBeVisible();
  await expect(confirm).toBeFocused();
  expect(await db.customer.findUniqueOrThrow({ where: { id: customer.customerId } })).toMatchObject({ name, erasedAt: null });

  await confirm.fill(name);
  await supervisorPage.getByRole("button", { name: "Erase customer permanently" }).click();
  await expect(supervisorPage.getByRole("status").getByText("Customer erased")).toBeVisible();

  // Nothing left anywhere: every text, json, array and bytea column of every table.
  expect(await findTraces(db, [customer.primary, customer.alias, name, customer.domain])).toEqual([]);
  // Their session is over; erasing again gets a clear answer.
  await customerPage.goto("/portal");
  await expect(customerPage).toHaveURL(/\/signin/);
  await supervisorPage.goto(`/supervisor/customers/${customer.customerId}/erase`);
  await expect(supervisorPage.getByText(/This customer was erased on/)).toBeVisible();
});
