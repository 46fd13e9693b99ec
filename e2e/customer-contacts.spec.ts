import { expect, test } from "./fixtures/test";

/**
 * Contact details edited by an agent on the customer's page: an alias added, a duplicate refused
 * naming its holder, a number typed in national form stored as E.164, a verification request
 * emailed and confirmed by the customer from the link, and then a portal registration with the
 * alias matched to the customer without an agent.
 */

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

test("agent edits contact details; the customer confirms the alias from the email; a registrant with that alias is matched", async ({
  page,
  users,
  customers,
  mailbox,
  newPage,
  db,
}) => {
  // Two browsers, an email round trip and a registration: longer than the default on a busy machine.
  test.setTimeout(240_000);
  const customer = await customers.create("contacts");
  const holder = await customers.create("holder");
  const holderRecord = await db.customer.findUniqueOrThrow({ where: { id: holder.customerId } });
  const alias = `alias.${stamp}@contacts-${stamp}.example`;

  await users.signIn(page, "agent");
  await page.goto(`/console/customers/${customer.customerId}`);
  const editor = page.getByRole("region", { name: "Contact details" });
  await expect(editor).toBeVisible();

  // An alias.
  await editor.getByLabel("Add an alias").fill(alias);
  await editor.getByRole("button", { name: "Add address" }).click();
  await expect(editor.getByText("Address added as an alias.")).toBeVisible();
  const aliasItem = editor.getByRole("list", { name: "Email addresses" }).getByRole("listitem").filter({ hasText: alias });
  await expect(aliasItem.getByText("Alias", { exact: true })).toBeVisible();
  await expect(aliasItem.getByText("Not verified")).toBeVisible();

  // Another customer's address: refused on the field, naming the holder with a link; nothing moved.
  await editor.getByLabel("Add an alias").fill(holder.primary.toUpperCase());
  await editor.getByRole("button", { name: "Add address" }).click();
  await expect(editor.getByText(`That address already belongs to ${holderRecord.name} (account ${holderRecord.accountNumber})`)).toBeVisible();
  await expect(editor.getByLabel("Add an alias")).toBeFocused();
  await expect(editor.getByRole("link", { name: `Open ${holderRecord.name}’s record` })).toHaveAttribute("href", `/console/customers/${holder.customerId}`);
  expect(await db.customerEmail.findUniqueOrThrow({ where: { normalized: holder.primary } })).toMatchObject({ customerId: holder.customerId });

  // A phone number in national form, read in the preselected country (the browser's, en-US here).
  const suffix = String(Math.floor(Math.random() * 100)).padStart(2, "0");
  await expect(editor.getByLabel("Country")).toHaveValue("US");
  await editor.getByRole("textbox", { name: "Add a phone number" }).fill(`(201) 555-01${suffix}`);
  await editor.getByRole("button", { name: "Add number" }).click();
  await expect(editor.getByText("Number added as +1 201 555 01")).toBeVisible();
  await expect
    .poll(async () => (await db.customerPhone.findMany({ where: { customerId: customer.customerId }, select: { e164: true } })).map((row) => row.e164))
    .toEqual([`+120155501${suffix}`]);
  await expect(editor.getByRole("list", { name: "Phone numbers" }).getByText(`+120155501${suffix}`)).toBeVisible();

  // A verification request to the alias, by email.
  await aliasItem.getByRole("button", { name: `Send a verification request to ${alias}` }).click();
  await expect(editor.getByText(/Verification request sent to a•••@/)).toBeVisible();

  const email = await mailbox.latest(alias, { subject: /^Confirm your contact details/ });
  const link = mailbox.link(email, "/verify/contact");
  expect(link).toContain("#code=");
  const customerBrowser = await newPage();
  await customerBrowser.goto(link);
  await expect(customerBrowser.getByText("Your email address is confirmed.")).toBeVisible();
  await expect.poll(async () => (await db.customerEmail.findUniqueOrThrow({ where: { normalized: alias } })).verifiedAt).not.toBeNull();

  await page.reload();
  await expect(
    page
      .getByRole("region", { name: "Contact details" })
      .getByRole("list", { name: "Email addresses" })
      .getByRole("listitem")
      .filter({ hasText: alias })
      .getByText("Verified", { exact: true }),
  ).toBeVisible();

  // A new portal registration with the alias is matched to the customer by itself.
  const registrant = await newPage();
  await registrant.goto("/register");
  await registrant.getByLabel("Full name").fill("Alias Registrant");
  await registrant.getByLabel("Email address").fill(alias);
  await registrant.getByLabel("Password", { exact: true }).fill(`saffron-lantern-${stamp}`);
  await registrant.getByRole("button", { name: "Create account" }).click();
  await expect(registrant).toHaveURL(/\/verify\/email$/);
  const verifyEmail = await mailbox.latest(alias, { subject: /^Verify your email address/ });
  await registrant.goto(mailbox.link(verifyEmail, "/verify/email"));
  await expect(registrant).toHaveURL(/\/signin\?verified=1$/);
  await expect
    .poll(async () => db.user.findUnique({ where: { email: alias }, select: { customerId: true, matchStatus: true } }))
    .toEqual({ customerId: customer.customerId, matchStatus: "matched" });
});
