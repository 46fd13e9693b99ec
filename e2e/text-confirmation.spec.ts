import { randomInt } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Issue 13 item 2: a customer with a verified mobile asks for a risky change (here a new postal
 * address, an email change); nothing changes until the mobile answers the text. The code sent back
 * makes the change (on either app instance); NO blocks it, freezes the account and alerts staff.
 * Agents see the waiting change on the ticket. The texts go through the real Twilio transport to
 * the loopback fake; the answers come in as signed Twilio webhooks.
 */

const REPLY_CODE = /Reply (\d{6}) within/;
const aMobile = () => `+6141${randomInt(2, 10)}${randomInt(100000, 1000000)}`;

test("a new postal address waits for the owner's text; a cancelled one never lands; the code texted back makes it, and the agent saw it waiting", async ({
  page,
  newPage,
  customers,
  users,
  sms,
  mailbox,
  db,
}) => {
  const customer = await customers.create("textok");
  const mobile = aMobile();
  await db.user.update({ where: { id: customer.user.id }, data: { phoneE164: mobile, phoneVerifiedAt: new Date() } });
  const ticket = await db.ticket.create({
    data: {
      subject: "Please ship the replacement",
      channel: "web",
      status: "open",
      customerId: customer.customerId,
      requesterUserId: customer.user.id,
      requesterName: customer.user.name,
    },
  });

  const person = await newPage();
  await users.signIn(person, customer.user);
  await person.goto("/account");
  const address = person.getByLabel("Postal / shipping address");
  await expect(address).toHaveAccessibleDescription(/approve it by replying to the text/);

  // First a change the customer thinks better of: cancelled on the page, its code approves nothing.
  await address.fill("1 Wrong Road\nNowhere");
  await person.getByLabel("Your password").fill(customer.user.password);
  await person.getByRole("button", { name: "Save address" }).click();
  await expect(person.getByText(/To finish, reply to the text we sent to \+61 •••• •••\d{3} with its code/)).toBeVisible();
  const waiting = person.getByRole("region", { name: "Waiting for your answer by text" });
  await expect(waiting).toContainText('Postal address to "1 Wrong Road"');
  await expect(waiting).toContainText("Text sent");
  const cancelledCode = await sms.latestMatch(mobile, REPLY_CODE);
  await waiting.getByRole("button", { name: "Cancel this change: postal address change" }).click();
  await expect(waiting.getByRole("status")).toHaveText("The change is cancelled. Nothing was changed.");
  await person.reload();
  await expect(waiting).toHaveCount(0);
  expect((await sms.reply(mobile, cancelledCode)).status).toBe(200);

  // The real change. The resend cooldown is per purpose and target: wait it out on the clock of the row.
  await db.verificationChallenge.updateMany({
    where: { userId: customer.user.id, purpose: "change_confirmation" },
    data: { createdAt: new Date(Date.now() - 120_000) },
  });
  await address.fill("12 Harbour Street\nSydney NSW 2000");
  await person.getByLabel("Your password").fill(customer.user.password);
  await person.getByRole("button", { name: "Save address" }).click();
  await expect(person.getByText(/To finish, reply to the text/)).toBeVisible();
  const text = (await sms.sentTo(mobile)).at(-1)!.body;
  expect(text).toContain('postal address to "12 Harbour Street"');
  expect(text).toContain("or NO to block it");
  expect(text).not.toMatch(/\bYES\b/);

  // The agent sees it waiting on the ticket.
  await users.signIn(page, "agent");
  await page.goto(`/console/tickets/${ticket.id}`);
  await expect(page.getByTestId("identity-pending-changes")).toContainText("Postal address change, asked");

  // A wrong code changes nothing; the right one, answered through the other instance, makes the change.
  const code = await sms.latestMatch(mobile, REPLY_CODE);
  const wrong = ((Number(code) + 1) % 1_000_000).toString().padStart(6, "0");
  expect((await sms.reply(mobile, wrong)).status).toBe(200);
  await person.reload();
  await expect(person.getByRole("region", { name: "Waiting for your answer by text" })).toBeVisible();
  const answered = await sms.reply(mobile, code, "B");
  expect(answered.status).toBe(200);
  expect(await answered.text()).toContain("<Response/>");

  await person.reload();
  await expect(person.getByRole("region", { name: "Waiting for your answer by text" })).toHaveCount(0);
  await expect(person.getByLabel("Postal / shipping address")).toHaveValue("12 Harbour Street\nSydney NSW 2000");
  const notice = await mailbox.latest(customer.primary, { subject: /^The postal address of your account was changed/ });
  expect(notice.text).toContain("12 Harbour Street");
  expect((await db.user.findUniqueOrThrow({ where: { id: customer.user.id } })).postalAddress).toBe("12 Harbour Street\nSydney NSW 2000");

  await page.reload();
  await expect(page.getByTestId("identity-pending-changes")).toHaveCount(0);
  await expect(page.getByTestId("identity-recent-risk")).toContainText("Asked for a change that waits for a text answer");
});

test("NO to the text blocks an email change, freezes the account, signs the person out, and staff get an urgent ticket", async ({
  page,
  newPage,
  customers,
  users,
  sms,
  mailbox,
  db,
}) => {
  const customer = await customers.create("textno");
  const mobile = aMobile();
  await db.user.update({ where: { id: customer.user.id }, data: { phoneE164: mobile, phoneVerifiedAt: new Date() } });
  const newEmail = `taken-over-${randomInt(1e9)}@example.test`;

  const person = await newPage();
  await users.signIn(person, customer.user);
  await person.goto("/account/email");
  await person.getByLabel("New email address").fill(newEmail);
  await person.getByLabel("Your password").fill(customer.user.password);
  await person.getByRole("button", { name: "Send a code to the new address" }).click();
  await person.getByLabel("Code from the email").fill(await mailbox.latestCode(newEmail, { subject: /^Confirm your new Veridesk email address/ }));
  await person.getByRole("button", { name: "Verify code and change address" }).click();
  await expect(person.getByText(/To finish, reply to the text we sent to \+61/)).toBeVisible();
  await person.goto("/account");
  await expect(person.getByRole("region", { name: "Waiting for your answer by text" })).toContainText(`Email address to ${newEmail}`);
  await expect(person.getByRole("region", { name: "Email address" })).toContainText(customer.primary);

  // The owner's phone says no: no code needed.
  await sms.latestMatch(mobile, REPLY_CODE);
  expect((await sms.reply(mobile, "no")).status).toBe(200);
  expect(await sms.latestMatch(mobile, /(blocked)\. Nothing was changed/)).toBe("blocked");

  await person.goto("/account");
  await expect(person).toHaveURL(/\/signin/);
  await users.submitSignIn(person, customer.user);
  await expect(person.getByRole("alert").filter({ hasText: "This account is frozen" })).toBeVisible();
  expect((await db.user.findUniqueOrThrow({ where: { id: customer.user.id } })).email).toBe(customer.primary);

  await users.signIn(page, "agent");
  await page.goto("/console");
  await expect(page.getByText(`Change refused by text: ${customer.user.name}'s account is frozen`).first()).toBeVisible();
});

test("STOP: the number gets no more texts, the account pages say so, and the changes it would approve are refused until START", async ({
  customers,
  users,
  sms,
  newPage,
  db,
}) => {
  const customer = await customers.create("textstop");
  const mobile = aMobile();
  await db.user.update({ where: { id: customer.user.id }, data: { phoneE164: mobile, phoneVerifiedAt: new Date() } });
  expect((await sms.reply(mobile, "Stop")).status).toBe(200);

  const person = await newPage();
  await users.signIn(person, customer.user);
  await person.goto("/account");
  const mobilePanel = person.getByRole("region", { name: "Mobile number" });
  await expect(mobilePanel).toContainText("Replied STOP");
  await expect(mobilePanel).toContainText("This number replied STOP, so we send it no texts");

  // Not made at once: otherwise the owner's STOP would be all a password thief needs.
  const address = person.getByLabel("Postal / shipping address");
  await address.fill("7 Quiet Lane");
  await person.getByLabel("Your password").fill(customer.user.password);
  await person.getByRole("button", { name: "Save address" }).click();
  await expect(person.getByRole("alert").filter({ hasText: "Your verified mobile replied STOP, so we cannot text it to approve this change." })).toBeVisible();
  expect(await sms.sentTo(mobile)).toHaveLength(0);
  expect((await db.user.findUniqueOrThrow({ where: { id: customer.user.id } })).postalAddress).toBeNull();

  // START: texts again, so the change waits for the owner's answer.
  expect((await sms.reply(mobile, "START")).status).toBe(200);
  await person.reload();
  await expect(mobilePanel).not.toContainText("Replied STOP");
  await address.fill("8 Loud Lane");
  await person.getByLabel("Your password").fill(customer.user.password);
  await person.getByRole("button", { name: "Save address" }).click();
  await expect(person.getByText(/To finish, reply to the text/)).toBeVisible();
  await sms.latestMatch(mobile, REPLY_CODE);
});
