import { randomInt } from "node:crypto";
import { generate } from "otplib";
import { test as base, type CreatedUser, type Credentials, expect, type Page, type Users } from "./fixtures/test";

/**
 * Account security: mobile verification by SMS, two-factor sign-in (authenticator app and
 * recovery codes), password reset by emailed link, and an email change whose notice to the old
 * address freezes the account ("this wasn't me").
 *
 * Every test makes its own account (the `users` fixture, straight in the database), so turning on
 * two-factor or freezing an account never touches a demo account other specs sign in with. Each
 * test also comes from its own client address (X-Forwarded-For), so the per-IP sign-in and SMS
 * limits of the shared e2e run are never this file's doing.
 */

const test = base.extend<{ account: CreatedUser }>({
  extraHTTPHeaders: async ({}, use) => {
    await use({ "x-forwarded-for": `198.51.100.${randomInt(1, 255)}, 10.0.0.1` });
  },
  /** This test's customer account, with no customer record (the name shows in the dispute ticket). */
  account: async ({ users }, use) => use(await users.create({ role: "customer", name: "Casey Tester" })),
});

const stamp = () => `${Date.now().toString(36)}${randomInt(1000, 9999)}`;

async function signInAndLand(users: Users, page: Page, account: Credentials, landing: RegExp = /\/portal$/) {
  await page.goto("/signin");
  await users.submitSignIn(page, account);
  await expect(page).toHaveURL(landing);
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
}

/** The form's own message (Next keeps an empty route announcer with role "alert" too). */
const formAlert = (page: Page) => page.getByRole("alert").filter({ hasText: /\S/ }).first();

const totpAt = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

test("a customer verifies a mobile number with the code texted to it", async ({ page, users, sms, account }) => {
  const mobile = `+6141${randomInt(2, 10)}${randomInt(100000, 1000000)}`;
  await signInAndLand(users, page, account);
  await page.getByRole("link", { name: /account settings$/ }).click();
  await page.getByRole("link", { name: "Add a mobile number" }).click();
  await expect(page).toHaveURL(/\/account\/phone$/);

  // A landline is refused, with the reason, before anything is sent.
  await page.getByLabel("Country", { exact: true }).selectOption("AU");
  await page.getByLabel("Mobile number", { exact: true }).fill("02 5550 1234");
  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(page.getByText(/This is a landline number, which cannot receive our text messages/)).toBeVisible();
  expect(await sms.sentTo("+61255501234")).toHaveLength(0);

  await page.getByLabel("Mobile number", { exact: true }).fill(`0${mobile.slice(3)}`);
  await page.getByRole("button", { name: "Text me a code" }).click();
  await expect(page.getByRole("status").filter({ hasText: `+61 •••• •••${mobile.slice(-3)}` })).toBeVisible();
  // The resend cooldown is shown as a countdown.
  await expect(page.getByText(/You can ask for a new code in \d+ seconds/)).toBeVisible();

  const code = await sms.latestCode(mobile);
  const codeField = page.getByLabel("Code from the text message");
  await expect(codeField).toHaveAttribute("inputmode", "numeric");
  await expect(codeField).toHaveAttribute("autocomplete", "one-time-code");
  await codeField.fill(code);
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(page.getByText("Your mobile number is verified.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Your number" }).getByText("Verified")).toBeVisible();
  await expect(page.getByRole("region", { name: "Your number" })).toContainText(`+61 4`);
});

test("two-factor sign-in with an authenticator app, then with a recovery code that works once", async ({ page, users, account }) => {
  await signInAndLand(users, page, account);
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code to add Veridesk to your authenticator app" })).toBeVisible();
  const secret = (await page.getByLabel("Key for manual entry").textContent())!.replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong code does not turn it on.
  await page.getByLabel("Code from your authenticator app").fill(await totpAt(secret, 300));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(formAlert(page)).toContainText("not right");

  await page.getByLabel("Code from your authenticator app").fill(await totpAt(secret));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allTextContents();
  await page.getByLabel("I have saved my recovery codes").check();
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("region", { name: "Two-factor sign-in" })).toContainText("You sign in with your password and an authenticator app");
  await signOut(page);

  // Password alone now leads to the second step, and nothing opens before it.
  await page.goto("/signin?callbackUrl=%2Faccount");
  await users.submitSignIn(page, account);
  await expect(page).toHaveURL(/\/signin\/second-factor\?callbackUrl=%2Faccount$/);
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/signin\/second-factor\?callbackUrl=%2Fportal$/);
  // The next time step's code (±1 step is accepted): the set-up code itself can never be used again.
  await page.getByLabel("Code from your authenticator app").fill(await totpAt(secret, 30));
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await signOut(page);

  await users.submitSignIn(page, account);
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await signOut(page);

  // The same recovery code a second time: refused, and the session stays pending.
  await users.submitSignIn(page, account);
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(formAlert(page)).toContainText("already used");
  await page.goto("/portal");
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  // Another of the codes still works.
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(recoveryCodes[1]!);
  await page.getByRole("button", { name: "Use recovery code" }).click();
  await expect(page).toHaveURL(/\/portal$/);
});

test("two-factor sign-in by emailed code: the first sign-in code goes out at once after set-up, and the resend counts down", async ({
  page,
  users,
  mailbox,
  account,
}) => {
  await signInAndLand(users, page, account);
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Use codes by email" }).click();
  const setupCode = await mailbox.latestCode(account.email, { subject: /^Turn on Veridesk two-factor sign-in/ });
  await page.getByLabel("6-digit code").fill(setupCode);
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await page.getByLabel("I have saved my recovery codes").check();
  await page.getByRole("button", { name: "Done" }).click();
  await signOut(page);

  // Seconds after set-up sent its code, the first sign-in code is sent (it used to say "Please wait 51 seconds").
  await users.submitSignIn(page, account);
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  await page.getByRole("button", { name: /^Send a code to / }).click();
  await expect(page.getByRole("status").filter({ hasText: "We sent a code to" })).toBeVisible();
  await expect(page.getByText(/Please wait/)).toHaveCount(0);
  // The resend button counts down, and stays unusable while it does.
  const resend = page.getByRole("button", { name: "Send a new code" });
  await expect(resend).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByText(/You can ask for a new code in \d+ seconds/)).toBeVisible();

  const code = await mailbox.latestCode(account.email, { subject: /^Your Veridesk sign-in code/ });
  expect(code).not.toBe(setupCode);
  await page.getByLabel("6-digit code").fill(code);
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await signOut(page);

  // Signing in again within the minute: the refusal says how long, and the button counts down to it.
  await users.submitSignIn(page, account);
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  const send = page.getByRole("button", { name: /^Send a code to / });
  await send.click();
  await expect(formAlert(page)).toContainText(/Please wait \d+ seconds/);
  await expect(send).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByText(/You can ask for a new code in \d+ seconds/)).toBeVisible();
});

test("the second-factor page is only for a sign-in that owes one", async ({ page, users, account }) => {
  await page.goto("/signin/second-factor");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2F$/);
  await signInAndLand(users, page, account);
  // Without two-factor the sign-in is already complete: the page passes straight on.
  await page.goto("/signin/second-factor?callbackUrl=%2Faccount");
  await expect(page).toHaveURL(/\/account$/);
});

test("a forgotten password is reset with the emailed link, which then stops working", async ({ page, users, mailbox, account }) => {
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);

  // An unknown address gets exactly the same answer.
  await page.getByLabel("Email address").fill(`nobody-${stamp()}@example.test`);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  const answer = page.getByRole("status").filter({ hasText: "If an account uses that address" });
  await expect(answer).toBeVisible();
  const unknownAnswer = await answer.textContent();

  await page.getByLabel("Email address").fill(account.email);
  await page.getByRole("button", { name: "Email me a reset link" }).click();
  await expect(answer).toBeVisible();
  expect(await answer.textContent()).toBe(unknownAnswer);

  const email = await mailbox.latest(account.email, { subject: /^Reset your Veridesk password/ });
  const link = mailbox.link(email, "/reset-password");
  await page.goto(link);
  const newPassword = "amber-falcon-river-204";
  await page.getByLabel("New password", { exact: true }).fill("password123");
  await page.getByLabel("New password again").fill("password123");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/most common ones/)).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("New password again").fill(newPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Your password was changed")).toBeVisible();
  await mailbox.latest(account.email, { subject: /^Your Veridesk password was changed/ });

  // Used once: the link is dead now.
  await page.goto(link);
  await expect(formAlert(page)).toContainText("not valid any more");

  await signInAndLand(users, page, { email: account.email, password: newPassword });
});

test('an email change notifies the old address, whose "this wasn\'t me" link freezes the account', async ({ page, users, mailbox, newPage, account }) => {
  const newEmail = `moved-${stamp()}@example.test`;
  await signInAndLand(users, page, account);
  await page.goto("/account/email");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByLabel("Your password").fill(account.password);
  await page.getByRole("button", { name: "Send a code to the new address" }).click();
  await expect(page.getByRole("status").filter({ hasText: "We sent a code to m•••@example.test" })).toBeVisible();

  const code = await mailbox.latestCode(newEmail, { subject: /^Confirm your new Veridesk email address/ });
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Verify code and change address" }).click();
  await expect(page.getByText(`Your email address is now ${newEmail}.`)).toBeVisible();

  const notice = await mailbox.latest(account.email, { subject: /^The email address of your Veridesk account was changed/ });
  const disputeLink = mailbox.link(notice, "/security/dispute");

  // The owner of the old address opens the link on another device.
  const ownerPage = await newPage();
  await ownerPage.goto(disputeLink);
  await expect(ownerPage.getByRole("heading", { name: "Didn't change your email address?" })).toBeVisible();
  await ownerPage.getByRole("button", { name: "Freeze my account" }).click();
  await expect(ownerPage.getByText("Your account is frozen")).toBeVisible();
  await expect(ownerPage.getByText("Your previous email address is back on the account.")).toBeVisible();
  await ownerPage.context().close();

  // Whoever was signed in is out, and the account (back on its old address) cannot sign in.
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount$/);
  await users.submitSignIn(page, account);
  await expect(formAlert(page)).toContainText("This account is frozen");

  // Staff see it: an urgent internal ticket in the queue.
  await page.goto("/signin");
  await users.signIn(page, "agent");
  await page.goto("/console");
  await expect(page.getByText("Disputed email address change: Casey Tester's account is frozen").first()).toBeVisible();
});
