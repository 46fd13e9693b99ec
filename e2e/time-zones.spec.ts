import { expect, test } from "./fixtures/test";

/**
 * Time zones (issue 10 item 5): a person's zone comes from their browser on first sign-in, every
 * time on their pages is written in it with the absolute time on hover, and they can change it.
 */
test("a customer in Berlin sees times in Berlin time, absolute on hover, and can change the zone", async ({ users, customers, db, newPage }) => {
  const customer = await customers.create("tz");
  expect((await db.user.findUniqueOrThrow({ where: { id: customer.user.id } })).timeZone).toBeNull();

  const page = await newPage({ timezoneId: "Europe/Berlin" });
  await users.signIn(page, customer.user);
  // The browser's zone becomes the account's, without anyone choosing it.
  await expect.poll(async () => (await db.user.findUniqueOrThrow({ where: { id: customer.user.id } })).timeZone).toBe("Europe/Berlin");

  await page.goto("/portal/tickets/new");
  await page.getByLabel("Subject").fill(`Clock check ${customer.accountNumber}`);
  await page.getByLabel("Describe the problem or question").fill("When did I write this, in my own time?");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(page.url()).pathname.split("/").pop()!;
  // A summer instant: Berlin is UTC+2 (CEST) then.
  const at = new Date("2026-07-01T10:00:00Z");
  await db.ticketMessage.updateMany({ where: { ticketId }, data: { createdAt: at } });

  await page.reload();
  const time = page.locator(`main time[datetime="${at.toISOString()}"]`).first();
  await expect(time).toHaveText("1 Jul 2026, 12:00");
  await expect(time).toHaveAttribute("title", "Wed, 1 Jul 2026, 12:00:00 CEST (Europe/Berlin)");

  // Changed on the account page: the same message now reads in New York time.
  await page.goto("/account");
  const section = page.getByRole("region", { name: "Time zone" });
  await expect(section).toContainText("Times are shown in Europe/Berlin");
  await section.getByLabel("Time zone").selectOption("America/New_York");
  await section.getByRole("button", { name: "Save time zone" }).click();
  await expect(section.getByRole("status")).toHaveText("Times are now shown in America/New_York.");
  await page.goto(`/portal/tickets/${ticketId}`);
  await expect(time).toHaveText("1 Jul 2026, 06:00");
  await expect(time).toHaveAttribute("title", "Wed, 1 Jul 2026, 06:00:00 GMT-4 (America/New_York)");

  // A later browser in another zone does not overwrite a zone already set.
  const laptop = await newPage({ timezoneId: "Asia/Tokyo" });
  await users.signIn(laptop, customer.user);
  await laptop.goto(`/portal/tickets/${ticketId}`);
  await expect(laptop.locator(`main time[datetime="${at.toISOString()}"]`).first()).toHaveText("1 Jul 2026, 06:00");
  expect((await db.user.findUniqueOrThrow({ where: { id: customer.user.id } })).timeZone).toBe("America/New_York");
});

test("without a zone, times are shown in UTC and say so", async ({ users, db, newPage }) => {
  const agent = await users.create({ role: "agent" });
  // An offset zone is not on the list: the schema refuses it and the account stays unset, on UTC.
  const page = await newPage({ timezoneId: "Etc/GMT+5" });
  await users.signIn(page, agent);
  await page.goto("/console");
  await expect(page.locator("main time").first()).toHaveAttribute("title", /\(UTC\)$/);
  await page.goto("/account");
  await expect(page.getByRole("region", { name: "Time zone" })).toContainText("No time zone set yet: times are shown in UTC.");
  expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).timeZone).toBeNull();
});
