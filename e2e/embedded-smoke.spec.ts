import { existsSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures/test";

test("the embedded default serves the seeded app from an empty data folder", async ({ page, users }) => {
  const dataDir = process.env.SMOKE_DATA_DIR!;
  expect(existsSync(path.join(dataDir, "postgres", "PG_VERSION"))).toBe(true);
  expect(existsSync(path.join(dataDir, "veridesk.lock"))).toBe(true);

  await page.goto("/signin");
  await users.signIn(page, "agent");
  await expect(page).toHaveURL(/\/console$/);
  await expect(page.getByRole("table", { name: "Open tickets" }).getByRole("row")).not.toHaveCount(1);

  // Demo mode without a provider key: email goes to the development mailbox.
  await page.goto("/dev/mailbox");
  await expect(page.getByRole("heading", { name: "Development mailbox" })).toBeVisible();
});
