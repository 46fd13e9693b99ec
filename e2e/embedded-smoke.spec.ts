import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures/test";

test("the embedded default serves the seeded app from an empty data folder", async ({ page, users }) => {
  const dataDir = process.env.SMOKE_DATA_DIR!;
  expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
  expect(existsSync(path.join(dataDir, "veridesk.lock"))).toBe(true);

  // A fresh browser is a new device (features/accounts/devices/): the code goes to the agent's
  // verified address, which demo mode keeps in the development mailbox instead of sending it.
  // (The users fixture cannot mark this browser as known: its database is the e2e one, not this.)
  const agent = users.demo("agent");
  await page.goto("/signin");
  await users.submitSignIn(page, "agent", { newBrowser: true });
  await expect(page).toHaveURL(/\/signin\/second-factor/);
  await page.getByRole("button", { name: /^Send a code to / }).click();
  await expect(page.getByLabel("6-digit code")).toBeVisible();

  const mailbox = await page.context().newPage();
  // The outbox worker delivers a moment later: reload the mailbox until the code's email is there.
  await expect(async () => {
    await mailbox.goto(`/dev/mailbox?to=${encodeURIComponent(agent.email)}`);
    await expect(mailbox.getByRole("link", { name: /code for a new sign-in/ }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(mailbox.getByRole("heading", { name: "Development mailbox" })).toBeVisible();
  await mailbox
    .getByRole("link", { name: /code for a new sign-in/ })
    .first()
    .click();
  const body = await mailbox.locator("pre").first().innerText();
  const code = /^\s*(\d{6})\s*$/m.exec(body)?.[1];
  expect(code, "the new-device email carries a 6-digit code").toBeTruthy();
  await mailbox.close();

  await page.getByLabel("6-digit code").fill(code!);
  await page.getByRole("button", { name: "Verify code" }).click();
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByRole("table", { name: "Open tickets" }).getByRole("row")).not.toHaveCount(1);
});
