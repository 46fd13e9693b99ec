import { readFile } from "node:fs/promises";
import { tinyExe, tinyPdf, tinyPng } from "../platform/testing/sample-files";
import { expect, type Page, test } from "./fixtures/test";

/**
 * Attachments uploaded from the portal and the console: real files, each with its progress bar, a
 * refused program with its error (and nothing stored), downloads for both sides, the agent's file
 * at the fake Resend, internal-note files kept from the customer, and no sideways scroll at 390 px.
 */

const pdf = tinyPdf("Invoice 2026-118");
const png = tinyPng();

async function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[], label = "Attach files") {
  await page.getByLabel(label, { exact: true }).setInputFiles(files);
}

async function expectUploaded(page: Page, name: string) {
  const item = page.getByRole("list", { name: "Attached files" }).getByRole("listitem").filter({ hasText: name });
  await expect(item).toContainText("Uploaded");
  await expect(item.getByRole("progressbar")).toHaveCount(0);
}

async function download(page: Page, name: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Download ${name}` }).click()]);
  expect(file.suggestedFilename()).toBe(name);
  return readFile((await file.path())!);
}

test("a customer attaches a PDF and a PNG to a new ticket; a program renamed .pdf is refused and nothing is stored", async ({
  users,
  customers,
  newPage,
  db,
}) => {
  const customer = await customers.create("uploads");
  const page = await newPage();
  await users.signIn(page, customer.user);
  await page.goto("/portal/tickets/new");
  await page.getByLabel("Subject").fill("Invoice does not match the order");
  await page.getByLabel("Describe the problem or question").fill("The invoice and a photo of the delivery note are attached.");

  // The progress bar is a real one (role, name, values) while the file goes up.
  await page.route("**/api/portal/attachments", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await attach(page, [{ name: "invoice-2026-118.pdf", mimeType: "application/pdf", buffer: pdf }]);
  const bar = page.getByRole("progressbar", { name: "Uploading invoice-2026-118.pdf" });
  await expect(bar).toHaveAttribute("aria-valuemin", "0");
  await expect(bar).toHaveAttribute("aria-valuemax", "100");
  await expect(bar).toHaveAttribute("aria-valuenow", /^\d+$/);
  await expectUploaded(page, "invoice-2026-118.pdf");
  await page.unroute("**/api/portal/attachments");

  // Dropped on the drop zone.
  const dataTransfer = await page.evaluateHandle((base64) => {
    const transfer = new DataTransfer();
    const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
    transfer.items.add(new File([bytes], "delivery-note.png", { type: "image/png" }));
    return transfer;
  }, png.toString("base64"));
  await page.getByTestId("attachment-drop-zone").dispatchEvent("drop", { dataTransfer });
  await expectUploaded(page, "delivery-note.png");

  // A Windows program named .pdf: refused from its content, with the reason on the file.
  await attach(page, [{ name: "statement.pdf", mimeType: "application/pdf", buffer: tinyExe() }]);
  await expect(page.getByRole("alert").filter({ hasText: "statement.pdf" })).toHaveText('"statement.pdf" is a Windows program. Programs cannot be attached.');
  expect(await db.ticketAttachment.count({ where: { filename: "statement.pdf", uploaderUserId: customer.user.id } })).toBe(0);
  // An empty file is refused before it is even sent.
  await attach(page, [{ name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) }]);
  await expect(page.getByRole("alert").filter({ hasText: "empty.txt" })).toHaveText('"empty.txt" is empty (0 bytes). Choose a file with something in it.');
  // Remove puts the refused files away and focus back on the file input.
  await page.getByRole("button", { name: "Remove statement.pdf" }).click();
  await expect(page.getByLabel("Attach files", { exact: true })).toBeFocused();
  await page.getByRole("button", { name: "Remove empty.txt" }).click();

  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText(/Ticket VD-\d+ is open/)).toBeVisible();

  // Both files are in the thread and download byte for byte.
  expect((await download(page, "invoice-2026-118.pdf")).equals(pdf)).toBe(true);
  expect((await download(page, "delivery-note.png")).equals(png)).toBe(true);
  const ticketId = new URL(page.url()).pathname.split("/").pop()!;
  const stored = await db.ticketAttachment.findMany({ where: { message: { ticketId } }, orderBy: { filename: "asc" } });
  expect(stored.map((file) => [file.filename, file.contentType, file.sizeBytes])).toEqual([
    ["delivery-note.png", "image/png", png.byteLength],
    ["invoice-2026-118.pdf", "application/pdf", pdf.byteLength],
  ]);
});

test("an agent's reply carries its file to the customer's email; a note's file stays with the staff", async ({ users, customers, mailbox, newPage }) => {
  const customer = await customers.create("agent-files");
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(`Where is the driver ${customer.accountNumber}`);
  await customerPage.getByLabel("Describe the problem or question").fill("Please send me the driver guide.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop()!;

  const agentPage = await newPage();
  await users.signIn(agentPage, "agent");
  await agentPage.goto(`/console/tickets/${ticketId}`);
  const guide = tinyPdf("Driver guide");
  await attach(agentPage, [{ name: "driver-guide.pdf", mimeType: "application/pdf", buffer: guide }], "Attach files (sent with the email)");
  await expectUploaded(agentPage, "driver-guide.pdf");
  await agentPage.getByLabel(`Reply to ${customer.primary}`).fill("Here is the guide.");
  await agentPage.getByRole("region", { name: "Answer" }).screenshot({ path: "/tmp/uploads-agent-1280.png" });
  await agentPage.getByRole("button", { name: "Send reply" }).click();
  await expect(agentPage.getByText(`Reply saved and emailed to ${customer.primary}.`)).toBeVisible();
  await expect(agentPage.getByRole("list", { name: "Attached files" })).toHaveCount(0);

  const email = await mailbox.latest(customer.primary, { subject: /^Re: \[VD-\d+\]/ });
  expect(email.attachments.map((file) => [file.filename, file.contentType])).toEqual([["driver-guide.pdf", "application/pdf"]]);
  expect(Buffer.from(email.attachments[0]!.contentBase64, "base64").equals(guide)).toBe(true);

  // An internal note with a screenshot.
  await agentPage.getByText("Internal note", { exact: true }).click();
  await attach(agentPage, [{ name: "crm-screenshot.png", mimeType: "image/png", buffer: png }], "Attach files to the note");
  await expectUploaded(agentPage, "crm-screenshot.png");
  await agentPage.getByLabel("Note for the team (the customer never sees it)").fill("Customer is on the old firmware.");
  await agentPage.getByRole("button", { name: "Add internal note" }).click();
  await expect(agentPage.getByText("Internal note added.")).toBeVisible();
  expect((await download(agentPage, "crm-screenshot.png")).equals(png)).toBe(true);
  const noteHref = await agentPage.getByRole("link", { name: "Download crm-screenshot.png" }).getAttribute("href");

  // The customer gets the reply's file, and neither sees nor fetches the note's.
  await customerPage.reload();
  expect((await download(customerPage, "driver-guide.pdf")).equals(guide)).toBe(true);
  await expect(customerPage.getByRole("link", { name: "Download crm-screenshot.png" })).toHaveCount(0);
  const stolen = await customerPage.request.get(noteHref!.replace("/console/", "/portal/"));
  expect(stolen.status()).toBe(404);
});

test("uploads are refused without a session or with a path in the name, and the phone-sized forms never scroll sideways", async ({
  request,
  db,
  users,
  customers,
  newPage,
}) => {
  const anonymous = await request.post("/api/portal/attachments", { data: pdf, headers: { "X-File-Name": "a.pdf" } });
  expect(anonymous.status()).toBe(401);

  const customer = await customers.create("phone-files");
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await users.signIn(page, customer.user);
  const pathName = await page.request.post("/api/portal/attachments", { data: pdf, headers: { "X-File-Name": encodeURIComponent("../../etc/invoice.pdf") } });
  expect(pathName.status()).toBe(400);
  expect((await pathName.json()).error).toContain('may not contain "/" or "\\"');
  // A customer cannot upload through the staff endpoint.
  expect((await page.request.post("/api/console/attachments", { data: pdf, headers: { "X-File-Name": "a.pdf" } })).status()).toBe(403);

  await page.goto("/portal/tickets/new");
  const longName = `${"quarterly-statement-with-a-very-long-name-".repeat(3)}.pdf`;
  await attach(page, [
    { name: longName, mimeType: "application/pdf", buffer: pdf },
    { name: "setup.pdf", mimeType: "application/pdf", buffer: tinyExe() },
  ]);
  await expectUploaded(page, "quarterly-statement");
  await expect(page.getByRole("alert").filter({ hasText: "setup.pdf" })).toBeVisible();
  await page.screenshot({ path: "/tmp/uploads-portal-390.png", fullPage: true });
  const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
  expect(widths.document).toBeLessThanOrEqual(390);
  expect(widths.body).toBeLessThanOrEqual(390);
  // Removing an uploaded file removes the server's pending copy too.
  await page.getByRole("button", { name: /^Remove quarterly-statement/ }).click();
  await expect.poll(() => db.ticketAttachment.count({ where: { uploaderUserId: customer.user.id, filename: { startsWith: "quarterly-statement" } } })).toBe(0);

  // The agent's composer with a file on a phone.
  await page.goto("/portal/tickets/new");
  await page.getByLabel("Subject").fill("Phone-sized attachments");
  await page.getByLabel("Describe the problem or question").fill("Checking the composer on a phone.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(page.url()).pathname.split("/").pop()!;
  const agentPage = await newPage({ viewport: { width: 390, height: 844 } });
  await users.signIn(agentPage, "agent");
  await agentPage.goto(`/console/tickets/${ticketId}`);
  await attach(agentPage, [{ name: longName, mimeType: "application/pdf", buffer: pdf }], "Attach files (sent with the email)");
  await expectUploaded(agentPage, "quarterly-statement");
  await agentPage.getByRole("region", { name: "Answer" }).screenshot({ path: "/tmp/uploads-agent-390.png" });
  expect(await agentPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
