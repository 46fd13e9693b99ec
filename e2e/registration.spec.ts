import { DEMO_CUSTOMERS, DEMO_USERS } from "@/features/demo/demo-data";
import { expect, otherCode, type Page, test } from "./fixtures/test";

/**
 * Registration, email verification (code and link), "Wrong address?", alias matching, the agents'
 * review of unmatched accounts, and what the portal then allows. Each run uses fresh addresses;
 * the aliases come from the demo data and belong to no demo account.
 */

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
const PASSWORD = "saffron-lantern-93";
const VERIFY_SUBJECT = /^Verify your email address/;

/** Northwind Traders' personal alias (premium agreement valid); no demo account uses it. */
const NORTHWIND = DEMO_CUSTOMERS.find((customer) => customer.accountNumber === "ACC-10001")!;
const NORTHWIND_ALIAS = NORTHWIND.emails.find((email) => !email.isPrimary && email.address.startsWith("maya.p.home"))!.address;
const QUARRY_HILL = DEMO_CUSTOMERS.find((customer) => customer.accountNumber === "ACC-10006")!;
const TOM = DEMO_USERS.find((user) => user.key === "tom")!;

interface Registration {
  name: string;
  email: string;
  password?: string;
  country?: string;
  phone?: string;
  hint?: string;
}

async function register(page: Page, registration: Registration) {
  await page.goto("/register");
  await page.getByLabel("Full name").fill(registration.name);
  await page.getByLabel("Email address").fill(registration.email);
  await page.getByLabel("Password", { exact: true }).fill(registration.password ?? PASSWORD);
  if (registration.country) await page.getByLabel("Country or region").selectOption(registration.country);
  if (registration.phone) await page.getByLabel("Mobile number", { exact: true }).fill(registration.phone);
  if (registration.hint) await page.getByLabel("Account number or company (optional)").fill(registration.hint);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/verify\/email$/);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
}

async function enterCode(page: Page, code: string) {
  await page.getByLabel("6-digit code").fill(code);
  await page.getByRole("button", { name: "Verify email address" }).click();
}

/** The code field's announced error (TextField gives it the id "<field id>-error"). */
const codeError = (page: Page) => page.locator("#verification-code-error");

test("register with a customer's alias, verify through the emailed link in another browser, then Downloads", async ({ page, users, mailbox, newPage }) => {
  const address = NORTHWIND_ALIAS.replace("maya.p.home", "Maya.P.Home");
  await register(page, { name: "Maya Patel", email: address, country: "AU", phone: "0491 570 199", hint: "Northwind" });
  await expect(page.getByText("We sent a 6-digit code to m•••@mail.example")).toBeVisible();
  await expect(page.getByLabel("6-digit code")).toBeFocused();

  const email = await mailbox.latest(NORTHWIND_ALIAS, { subject: VERIFY_SUBJECT });
  const link = mailbox.link(email, "/verify/email");
  expect(link).toContain("#code=");

  // Another browser: no cookie from the registration, only the link.
  const other = await newPage();
  await other.goto(link);
  await expect(other).toHaveURL(/\/signin\?verified=1$/);
  await expect(other.getByText("Your email address is verified")).toBeVisible();

  await users.submitSignIn(other, { email: NORTHWIND_ALIAS, password: PASSWORD });
  await expect(other).toHaveURL(/\/portal$/);
  const status = other.getByRole("region", { name: "Account status" });
  await expect(status.getByText("Northwind Traders (ACC-10001)")).toBeVisible();
  await expect(status.getByText("Valid (premium)")).toBeVisible();
  await expect(status.getByText("Full support")).toBeVisible();
  // In the page itself: Next's route announcer (role=alert, outside <main>) may still read out an earlier title.
  await expect(other.locator("main").getByText("Verify your email address")).toHaveCount(0);

  await other.getByRole("link", { name: "Open Downloads" }).click();
  await expect(other.getByRole("heading", { name: "Downloads", level: 1 })).toBeVisible();
  await expect(other.getByRole("list", { name: "Available downloads" }).getByRole("listitem")).toHaveCount(3);
  const file = await other.request.get("/portal/downloads/admin-guide-2026.txt");
  expect(file.status()).toBe(200);
  expect(await file.text()).toContain("Administrator guide");
  await other.context().close();

  // The first browser still shows the code form: the address is verified already, so it moves on.
  await enterCode(page, mailbox.code(email));
  await expect(page).toHaveURL(/\/signin\?verified=1$/);
});

test("an address that matches nobody waits for an agent, who links it; the customer then sees the agreement", async ({ page, users, mailbox, newPage }) => {
  const address = `newcomer.${stamp}@fresh-startup.example`;
  await register(page, { name: "Nia Newcomer", email: address, hint: "Quarry Hill Books" });
  const code = await mailbox.latestCode(address, { subject: VERIFY_SUBJECT });
  await enterCode(page, code);
  await expect(page).toHaveURL(/\/signin\?verified=1$/);

  await users.submitSignIn(page, { email: address, password: PASSWORD });
  await expect(page).toHaveURL(/\/portal$/);
  const status = page.getByRole("region", { name: "Account status" });
  await expect(status.getByText("Awaiting match")).toBeVisible();
  await expect(status.getByText("Not entitled")).toBeVisible();
  await expect(page.getByRole("region", { name: "Downloads" })).toContainText("not linked to a customer record yet");
  await page.goto("/portal/downloads");
  await expect(page.getByText("Downloads are not available for your account")).toBeVisible();

  // The agent's review list, in the agent's own browser.
  const agent = await newPage();
  await users.signIn(agent, "agent");
  await agent.getByRole("link", { name: "Registrations", exact: true }).click();
  const row = agent.getByRole("row").filter({ hasText: address });
  await expect(row).toContainText("Quarry Hill Books");
  await row.getByRole("link", { name: /^Review/ }).click();
  await expect(agent.getByText("A hint, not proof")).toBeVisible();
  await agent.getByLabel("Account number, name or organisation").fill(QUARRY_HILL.accountNumber);
  await agent.getByRole("button", { name: "Search customers" }).click();
  await agent
    .getByRole("list", { name: "Search results" })
    .getByRole("button", { name: `Link to ${QUARRY_HILL.organisation} (${QUARRY_HILL.accountNumber})` })
    .click();
  await expect(agent).toHaveURL(/\/console\/registrations\?done=/);
  await expect(agent.getByRole("status").filter({ hasText: `is now linked to ${QUARRY_HILL.organisation}` })).toBeVisible();
  await expect(agent.getByRole("row").filter({ hasText: address })).toHaveCount(0);
  await agent.context().close();

  await page.goto("/portal");
  await expect(status.getByText(`${QUARRY_HILL.organisation} (${QUARRY_HILL.accountNumber})`)).toBeVisible();
  await expect(status.getByText("Valid (standard)")).toBeVisible();
  await expect(page.getByRole("link", { name: "Open Downloads" })).toBeVisible();
});

test("five wrong codes kill the code: the sixth try, with the right code, fails", async ({ page, mailbox }) => {
  const address = `five.tries.${stamp}@registrant.example`;
  await register(page, { name: "Fay Fivetries", email: address });
  const code = await mailbox.latestCode(address, { subject: VERIFY_SUBJECT });
  const wrong = otherCode(code);

  for (const triesLeft of [4, 3, 2, 1]) {
    await enterCode(page, wrong);
    await expect(codeError(page)).toHaveText(`That code is not right. ${triesLeft} ${triesLeft === 1 ? "try" : "tries"} left.`);
    await expect(page.getByLabel("6-digit code")).toBeFocused();
  }
  await enterCode(page, wrong);
  await expect(codeError(page)).toHaveText("That code is not right, and after 5 wrong tries it no longer works. Send a new code.");

  await enterCode(page, code);
  await expect(codeError(page)).toHaveText("This code no longer works after too many wrong tries. Send a new code.");
  await expect(page).toHaveURL(/\/verify\/email$/);
});

test("a mistyped address can be corrected: the new address gets a new code, the old code and link are dead", async ({ page, users, mailbox, newPage }) => {
  const mistyped = `typo.${stamp}@registrant-typo.example`;
  const corrected = `fixed.${stamp}@registrant.example`;
  await register(page, { name: "Tia Typo", email: mistyped });
  const old = await mailbox.latest(mistyped, { subject: VERIFY_SUBJECT });

  await page.getByRole("button", { name: "Wrong address?" }).click();
  await expect(page.getByLabel("Correct email address")).toBeFocused();
  await page.getByLabel("Correct email address").fill(corrected);
  await page.getByRole("button", { name: "Send a code to this address" }).click();
  await expect(page.getByRole("status").filter({ hasText: "We sent a new code to f•••@registrant.example" })).toBeVisible();
  await expect(page.getByText("We sent a 6-digit code to f•••@registrant.example")).toBeVisible();
  await expect(page.getByLabel("6-digit code")).toBeFocused();

  const fresh = await mailbox.latest(corrected, { subject: VERIFY_SUBJECT });
  if (mailbox.code(old) !== mailbox.code(fresh)) {
    await enterCode(page, mailbox.code(old));
    await expect(codeError(page)).toHaveText("That code is not right. 4 tries left.");
  }
  const other = await newPage();
  await other.goto(mailbox.link(old, "/verify/email"));
  await expect(other.getByRole("alert").filter({ hasText: "replaced by a newer one" })).toBeVisible();
  await expect(other).toHaveURL(/\/verify\/email\?token=/);
  await other.context().close();

  await enterCode(page, mailbox.code(fresh));
  await expect(page).toHaveURL(/\/signin\?verified=1$/);
  await users.submitSignIn(page, { email: corrected, password: PASSWORD });
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole("region", { name: "Account status" }).getByText("Awaiting match")).toBeVisible();
});

test("registering with an existing address shows exactly what a new address shows; its owner is told instead", async ({ mailbox, newPage }) => {
  const visible = async (registration: Registration) => {
    const page = await newPage();
    const started = Date.now();
    await register(page, registration);
    const elapsed = Date.now() - started;
    const text = (await page.locator("main").innerText())
      .replace(/\S•••@\S+?(?=\.\s)/g, "<address>")
      // The countdown moves on between the two pages.
      .replace(/in \d+ seconds/g, "in N seconds");
    // A code typed for either is simply not right, in the same words.
    const url = new URL(page.url()).pathname;
    await enterCode(page, "000000");
    await expect(codeError(page)).toBeVisible();
    const answer = await codeError(page).innerText();
    await page.context().close();
    return { url, text, answer, elapsed };
  };

  const fresh = await visible({ name: "Tom Reilly", email: `tom.${stamp}@bluebell-bakery.example` });
  const taken = await visible({ name: "Tom Reilly", email: TOM.email });
  expect(taken.url).toBe(fresh.url);
  expect(taken.text).toBe(fresh.text);
  expect(taken.answer).toBe(fresh.answer);
  expect(taken.answer).toBe("That code is not right. 4 tries left.");
  // About the same time (both hash the password; the taken one waits as long as a send).
  expect(taken.elapsed).toBeLessThan(fresh.elapsed * 3 + 1000);
  expect(fresh.elapsed).toBeLessThan(taken.elapsed * 3 + 1000);

  const notice = await mailbox.latest(TOM.email, { subject: /^Someone tried to register with your email address/ });
  expect(notice.text).toContain("If it was you, sign in with your password");
  expect(notice.text).not.toMatch(/^\s*\d{6}\s*$/m);
  expect((await mailbox.all(TOM.email)).filter((email) => VERIFY_SUBJECT.test(email.subject))).toHaveLength(0);
});

test("the form explains bad input, suggests a fix for a mistyped domain and refuses throwaway addresses", async ({ page }) => {
  await page.goto("/register");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your full name.")).toBeVisible();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter a password.")).toBeVisible();
  await expect(page.getByLabel("Full name")).toBeFocused();

  await page.getByLabel("Full name").fill("<b>Bold</b>");
  await page.getByLabel("Email address").fill(`someone.${stamp}@gmial.com`);
  await page.getByLabel("Password", { exact: true }).fill("password123");
  await page.getByLabel("Mobile number", { exact: true }).fill("12");
  await page.getByLabel("Full name").focus();
  await expect(page.getByText(`Did you mean someone.${stamp}@gmail.com?`)).toBeVisible();
  await page.getByRole("button", { name: `Yes, use someone.${stamp}@gmail.com` }).click();
  await expect(page.getByLabel("Email address")).toHaveValue(`someone.${stamp}@gmail.com`);
  await expect(page.getByText("Did you mean")).toHaveCount(0);

  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use plain text: the characters < and > are not allowed.")).toBeVisible();
  await expect(page.getByText(/one of the most common/)).toBeVisible();
  await expect(page.getByText(/not a valid number for the country/)).toBeVisible();

  await page.getByLabel("Full name").fill("Dee Disposable");
  await page.getByLabel("Email address").fill(`dee.${stamp}@mailinator.com`);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Mobile number", { exact: true }).fill("");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/can't accept a disposable/)).toBeVisible();
  await expect(page.getByLabel("Email address")).toBeFocused();
  await expect(page).toHaveURL(/\/register$/);
});

test("unverified: the portal asks to verify and allows no tickets; the resend countdown announces when a new code is possible", async ({ page, users }) => {
  await page.clock.install();
  const address = `later.${stamp}@registrant.example`;
  await register(page, { name: "Lee Later", email: address });

  const resend = page.getByRole("button", { name: "Send a new code" });
  await expect(resend).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByText(/You can ask for a new code in \d+ seconds\./)).toBeVisible();
  await page.clock.fastForward("01:05");
  await expect(page.getByRole("status").filter({ hasText: "You can now ask for a new code." })).toBeAttached();
  await expect(resend).toHaveAttribute("aria-disabled", "false");
  await expect(page.getByText(/You can ask for a new code in/)).toHaveCount(0);

  await page.goto("/signin");
  await users.submitSignIn(page, { email: address, password: PASSWORD });
  await expect(page).toHaveURL(/\/portal$/);
  const banner = page.getByRole("status").filter({ hasText: "Verify your email address" });
  await expect(banner).toBeVisible();
  await expect(page.getByRole("region", { name: "Account status" }).getByText("No tickets yet")).toBeVisible();
  await banner.getByRole("link", { name: "Verify your email address" }).click();
  await expect(page).toHaveURL(/\/verify\/email$/);
  await expect(page.getByText("We sent a 6-digit code to l•••@registrant.example")).toBeVisible();
});
