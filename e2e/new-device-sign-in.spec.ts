import { randomInt } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Issue 13 items 3 and 4: a sign-in from a browser the account has not used asks for a code sent to
 * the verified email (accounts without two-factor), then tells the owner; the same browser signs in
 * again with the password alone; the security page lists the browser and forgets it. A mobile
 * changed minutes ago shows on the agent's identity panel, and the caller check sends no code to it.
 */

test("a new browser asks for the emailed code, gets a notice with a dispute link, is known next time, and can be forgotten", async ({
  newPage,
  customers,
  mailbox,
  users,
}) => {
  const customer = await customers.create("newdevice");
  const page = await newPage();

  await users.submitSignIn(page, customer.user, { newBrowser: true });
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  await expect(page.getByText("You are signing in from a browser this account has not used before.")).toBeVisible();
  // Nothing opens before the code: the portal sends this session back to the code step.
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/signin\/second-factor/);

  await page.getByRole("button", { name: /^Send a code to / }).click();
  const code = await mailbox.latestCode(customer.primary, { subject: /code for a new sign-in/ });
  await page.getByLabel("6-digit code").fill(code);
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(page).toHaveURL(/\/portal$/);

  const notice = await mailbox.latest(customer.primary, { subject: /^New sign-in to your Veridesk account/ });
  expect(notice.text).toContain("Chrome on Linux");
  expect(notice.text).toMatch(/\/security\/dispute\?token=/);
  expect(notice.text).not.toContain(code);

  // The same browser again: the password alone.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await users.submitSignIn(page, customer.user, { newBrowser: true });
  await expect(page).toHaveURL(/\/portal$/);

  // The security page lists the browser and this session, and forgets the browser.
  await page.goto("/account/security");
  const devices = page.getByRole("list", { name: "Known browsers" });
  await expect(devices.getByRole("listitem")).toHaveCount(1);
  await expect(devices).toContainText("Chrome on Linux");
  await expect(devices).toContainText("This browser");
  await expect(page.getByRole("list", { name: "Active sessions" })).toContainText("This session");
  await page.getByRole("button", { name: "Forget browser: Chrome on Linux (this browser)" }).click();
  await expect(page).toHaveURL(/\/signin/);

  // Forgotten: the next sign-in from it asks for a code again.
  await users.submitSignIn(page, customer.user, { newBrowser: true });
  await expect(page).toHaveURL(/\/signin\/second-factor/);
});

test("the agent sees 'mobile changed … before this ticket' on the panel, and the caller check refuses the new number", async ({
  page,
  newPage,
  customers,
  users,
  sms,
  db,
}) => {
  const customer = await customers.create("riskymobile");
  const oldMobile = `+6141${randomInt(2, 10)}${randomInt(100000, 1000000)}`;
  const newMobile = `+6142${randomInt(2, 10)}${randomInt(100000, 1000000)}`;
  await db.user.update({ where: { id: customer.user.id }, data: { phoneE164: oldMobile, phoneVerifiedAt: new Date(Date.now() - 30 * 86_400_000) } });

  // The customer changes the mobile (a known browser: the fixture trusts it).
  const person = await newPage();
  await users.signIn(person, customer.user);
  await person.goto("/account/phone");
  await person.getByLabel("Country", { exact: true }).selectOption("AU");
  await person.getByLabel("Mobile number", { exact: true }).fill(`0${newMobile.slice(3)}`);
  await person.getByLabel("Your password").fill(customer.user.password);
  await person.getByRole("button", { name: "Text me a code" }).click();
  await person.getByLabel("Code from the text message").fill(await sms.latestCode(newMobile));
  await person.getByRole("button", { name: "Verify code" }).click();
  // The old, verified number approves the change by text (features/accounts/text-confirmation/).
  await expect(person.getByText(/To finish, reply to the text we sent to \+61 •••• •••\d{3}/)).toBeVisible();
  expect((await sms.reply(oldMobile, await sms.latestMatch(oldMobile, /Reply (\d{6}) within/))).status).toBe(200);
  await person.reload();
  await expect(person.getByRole("region", { name: "Your number" })).toContainText(newMobile.slice(-3));

  // Minutes later, a ticket in the customer's name.
  const ticket = await db.ticket.create({
    data: {
      subject: "Please send the refund to a new bank account",
      channel: "phone",
      status: "open",
      customerId: customer.customerId,
      requesterName: customer.user.name,
      requesterUserId: customer.user.id,
      createdAt: new Date(Date.now() + 60_000),
    },
  });

  await users.signIn(page, "agent");
  await page.goto(`/console/tickets/${ticket.id}`);
  const risk = page.getByTestId("identity-recent-risk");
  await expect(risk).toContainText(/Mobile changed (just|\d+ min) before this ticket/);

  // The caller check: the new number is listed, with why no code can go there.
  const tool = page.getByRole("region", { name: "Verify caller" });
  const masked = `+61 •••• •••${newMobile.slice(-3)}`;
  const newNumber = tool.getByRole("radio", { name: new RegExp(`Text message to ${masked.replace(/[+]/g, "\\+")}`) });
  await expect(newNumber).toBeDisabled();
  await expect(tool).toContainText(/Mobile changed (a moment|\d+ min) ago: a recently changed channel proves nothing, so no code can go there/);
  expect(await sms.sentTo(newMobile)).toHaveLength(1);
});
