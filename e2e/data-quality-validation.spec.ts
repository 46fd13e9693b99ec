import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Data quality → Validation in the browser: a supervisor validates every contact, watches the bar
 * and the counts, and the verdict of a contact this spec planted (a role address at a domain the
 * loopback DNS server says does not exist) shows on the ticket's identity panel. DNS answers come
 * from the fake providers' loopback server (e2e/fixtures/environment.ts), never the Internet.
 */

test("a supervisor validates every contact, sees the progress and counts, and a bad contact's verdict on its ticket", async ({
  page,
  users,
  customers,
  db,
}) => {
  const customer = await customers.create("validation");
  const id = randomUUID().slice(0, 8);
  const bad = `info@nxdomain-${id}.example`;
  await db.customerEmail.create({ data: { customerId: customer.customerId, address: bad, normalized: bad, isPrimary: false } });
  const landline = await db.customerPhone.create({ data: { customerId: customer.customerId, e164: "+442071838750", kind: "mobile" } });
  const ticket = await db.ticket.create({
    data: { subject: `Validation ${id}`, channel: "email", customerId: customer.customerId, requesterAddress: bad },
  });

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/data-quality/validation");
  await expect(page.getByRole("heading", { name: "Contact validation", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Data quality pages" }).getByRole("link", { name: "Validation" })).toHaveAttribute("aria-current", "page");

  await page.getByRole("button", { name: "Validate every contact now" }).click();
  const bar = page.getByRole("progressbar");
  await expect(bar).toBeVisible();
  await expect(page.getByTestId("job-progress")).toContainText("Finished", { timeout: 60_000 });
  await expect(bar).toHaveAttribute("aria-valuetext", /^Finished: /);

  // The counts are the run's: every contact in the database, and at least this spec's bad ones.
  const emails = await db.customerEmail.count();
  const phones = await db.customerPhone.count();
  await expect(page.getByTestId("validation-email")).toContainText(`${emails.toLocaleString("en")} checked`);
  await expect(page.getByTestId("validation-phone")).toContainText(`${phones.toLocaleString("en")} checked`);
  expect(Number((await page.getByTestId("validation-email-invalid").innerText()).replace(/,/g, ""))).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId("validation-email")).toContainText("Domain does not exist");
  await expect(page.getByTestId("validation-phone")).toContainText("A landline in the mobile slot");
  // The run is listed with its time, started by this supervisor.
  await expect(page.getByRole("list", { name: "Validation runs, newest first" }).getByRole("listitem").first()).toContainText("Finished");

  // The planted contacts' verdicts, as stored.
  const stored = await db.customerEmail.findUniqueOrThrow({ where: { normalized: bad } });
  expect(stored).toMatchObject({ validity: "invalid", validityReasons: ["email_domain_not_found", "email_role_address"] });
  expect(await db.customerPhone.findUniqueOrThrow({ where: { id: landline.id } })).toMatchObject({
    validity: "doubtful",
    validityReasons: ["phone_landline_as_mobile"],
    lineType: "FIXED_LINE",
  });
  // The verified primary keeps its verification.
  expect((await db.customerEmail.findUniqueOrThrow({ where: { normalized: customer.primary } })).verifiedAt).not.toBeNull();

  // On the ticket, the identity panel gives the requester's address's latest verdict.
  await page.goto(`/console/tickets/${ticket.id}`);
  const verdict = page.getByTestId("identity-contact-validation");
  await expect(verdict).toContainText("Email: invalid — Domain does not exist; Role address (info@, sales@…), not a person · checked");
});

test("the validation page fits a phone screen", async ({ page, users }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/data-quality/validation");
  await expect(page.getByRole("button", { name: /Validate every contact now|Validation running/ })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("an agent is refused the validation page", async ({ page, users }) => {
  await users.signIn(page, "agent");
  const response = await page.goto("/supervisor/data-quality/validation");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("button", { name: "Validate every contact now" })).toHaveCount(0);
});
