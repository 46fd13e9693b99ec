import { expect, test } from "./fixtures/test";

test("an anonymous visitor is sent to sign-in and back to the page afterwards", async ({ page, users }) => {
  await page.goto("/console");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fconsole$/);
  await expect(page.getByText("Sign in to continue to the page you asked for.")).toBeVisible();
  await users.submitSignIn(page, "agent");
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByRole("heading", { name: "Ticket queue" })).toBeVisible();
});

test("an agent signs in and lands on the console with the open queue", async ({ page, users }) => {
  await users.signIn(page, "agent");
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByRole("table", { name: "Open tickets" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Open tickets" }).getByRole("row")).not.toHaveCount(1);
});

test("a customer lands on the portal and is refused the staff pages", async ({ page, users }) => {
  await users.signIn(page, "customer");
  await expect(page).toHaveURL(/\/portal$/);
  for (const path of ["/console", "/supervisor"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  }
});

test("an agent is refused the supervisor area", async ({ page, users }) => {
  await users.signIn(page, "agent");
  const response = await page.goto("/supervisor");
  expect(response?.status()).toBe(403);
});

test("a wrong password and an unknown account get the same answer", async ({ page, users }) => {
  const agent = users.demo("agent");
  await page.goto("/signin");
  // Next.js keeps an empty route announcer with role "alert"; the form's message is the one with text.
  const formAlert = page.getByRole("alert").filter({ hasText: /\S/ });
  await users.submitSignIn(page, { email: agent.email, password: "not-the-password-123" });
  const wrongPassword = await formAlert.textContent();
  await page.goto("/signin");
  await users.submitSignIn(page, { email: "nobody-here@example.com", password: "not-the-password-123" });
  const unknownAccount = await formAlert.textContent();
  expect(wrongPassword).toContain("do not match an account");
  expect(unknownAccount).toBe(wrongPassword);
  await expect(page).toHaveURL(/\/signin/);
});

test("the sign-in form explains empty and malformed fields", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your email address.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await page.getByLabel("Email address").fill("not-an-address");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter an email address like name@example.com.")).toBeVisible();
});

test("an email sent by the app arrives at the Resend fake with the right recipient and subject", async ({ page, users, mailbox }) => {
  const supervisor = await users.signIn(page, "supervisor");
  await page.goto("/supervisor");
  await page.getByRole("button", { name: "Send a test email to myself" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test email queued" })).toBeVisible();
  const email = await mailbox.latest(supervisor.email, { subject: /^Veridesk test email/ });
  expect(email.to).toEqual([supervisor.email]);
  expect(email.from).toBe("Veridesk Support <support@veridesk.test>");
  expect(email.text).toContain("delivery is working");
  await page.reload();
  await expect(
    page
      .getByRole("definition")
      .filter({ hasText: /^[1-9]\d*$/ })
      .first(),
  ).toBeVisible();
});

test("signing out ends the session", async ({ page, users }) => {
  await users.signIn(page, "agent");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await page.goto("/console");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
});
