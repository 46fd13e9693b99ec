import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Organisations (/console/organisations): a supervisor creates one, gives it a mail domain (a
 * public free-mail domain is refused), adds two contacts who hold no agreement of their own, and
 * gives the organisation an agreement: both contacts are then covered, on their customer pages
 * and on a ticket's identity panel.
 */

test("an organisation's agreement covers every contact; gmail.com is refused as its domain", async ({ page, users, db }) => {
  // A dozen page loads and form round trips: more than the default minute on a busy machine.
  test.slow();
  const id = randomUUID().slice(0, 8);
  const orgName = `Acme Widgets ${id}`;
  const domain = `acme-${id}.example`;
  const contacts = await Promise.all(
    ["Ada", "Bo"].map((first, i) =>
      db.customer.create({
        data: {
          accountNumber: `ORG-E2E-${id}-${i}`,
          name: `${first} Contact ${id}`,
          emails: { create: { address: `${first.toLowerCase()}@${domain}`, normalized: `${first.toLowerCase()}@${domain}`, isPrimary: true } },
        },
      }),
    ),
  );
  const [ada, bo] = contacts as [(typeof contacts)[0], (typeof contacts)[0]];
  const ticket = await db.ticket.create({
    data: { subject: `Org ticket ${id}`, channel: "email", status: "open", customerId: bo.id, requesterAddress: `bo@${domain}` },
  });

  await users.signIn(page, "supervisor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisations", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Organisations", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: "New organisation" }).click();
  await expect(page.getByRole("heading", { name: "New organisation", level: 1 })).toBeVisible();
  await page.getByLabel("Name").fill(orgName);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("heading", { name: orgName, level: 1 })).toBeVisible();
  const org = await db.organisation.findUniqueOrThrow({ where: { normalizedName: orgName.toLowerCase() } });
  await expect(page).toHaveURL(new RegExp(`/console/organisations/${org.id}`));

  // A domain of its own is accepted; gmail.com is refused on the field.
  const domainField = page.getByLabel("Add a mail domain");
  await domainField.fill(domain.toUpperCase());
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByRole("list", { name: "Mail domains" })).toContainText(domain);
  await domainField.fill("gmail.com");
  await page.getByRole("button", { name: "Add domain" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "gmail.com is a public email provider" })).toBeVisible();
  await expect(domainField).toBeFocused();
  await expect(page.getByRole("list", { name: "Mail domains" })).not.toContainText("gmail.com");
  expect(await db.organisationDomain.findMany({ where: { organisationId: org.id }, select: { domain: true } })).toEqual([{ domain }]);

  // Two contacts by account number.
  const contactField = page.getByLabel("Add a contact by account number");
  for (const contact of [ada, bo]) {
    await contactField.fill(contact.accountNumber);
    await page.getByRole("button", { name: "Add contact" }).click();
    await expect(page.getByRole("list", { name: "Contacts" }).getByRole("link", { name: contact.name })).toBeVisible();
  }

  // Not covered yet.
  await page.goto(`/console/customers/${ada.id}`);
  await expect(page.getByText("no support agreement is valid today")).toBeVisible();

  // The organisation's agreement.
  await page.goto(`/console/organisations/${org.id}`);
  const reference = `SA-ORG-${id}`.toUpperCase();
  await page.getByLabel("Tier").selectOption("premium");
  await page.getByLabel("Reference").fill(reference);
  await page.getByLabel("First day covered").fill("2020-01-01");
  await page.getByLabel("Last day covered").fill("2099-12-31");
  await page.getByRole("button", { name: "Add agreement" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Agreement ${reference} (premium) added` })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(orgName);

  // Both contacts are covered, on their pages and on a ticket.
  for (const contact of [ada, bo]) {
    await page.goto(`/console/customers/${contact.id}`);
    await expect(page.getByRole("heading", { name: contact.name, level: 1 })).toBeVisible();
    await expect(page.getByText("premium agreement, valid until 2099-12-31")).toBeVisible();
    await expect(page.getByRole("link", { name: orgName }).first()).toBeVisible();
  }
  await page.goto(`/console/tickets/${ticket.id}`);
  await expect(page.getByText("premium · valid until 2099-12-31")).toBeVisible();
});
