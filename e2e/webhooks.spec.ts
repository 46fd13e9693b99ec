import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { E2E, expect, test } from "./fixtures/test";

/**
 * Outgoing webhooks in the browser (issue 14.4): an admin allows private addresses (the receiver
 * is the loopback fake), adds an endpoint, copies the secret shown once, sends a test event and
 * sees it in the delivery log; the fake receiver verifies the signature with the standardwebhooks
 * library. An agent cannot open the page.
 */

type ReceivedHook = { headers: Record<string, string>; body: string };

test("an admin adds an endpoint, sends a test event that arrives signed, and reads the delivery log", async ({ page, users }) => {
  const receiver = `e2e-${randomUUID().slice(0, 8)}`;
  const receiverUrl = `${E2E.fakeProviders}/__fake/webhooks/${receiver}`;
  await users.signIn(page, "admin");
  await expect(page).toHaveURL(/\/console$/);
  await page.goto("/admin/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

  // The receiver is on loopback: refused until an admin allows private addresses.
  const privateToggle = page.getByRole("button", { name: "Allow private addresses too" });
  if (await privateToggle.isVisible()) {
    await privateToggle.click();
    await expect(page.getByText("Webhooks may now reach private and loopback addresses.")).toBeVisible();
  }

  // A bad URL is refused on its field.
  await page.getByLabel("URL", { exact: true }).fill("ftp://example.com/hooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText("The URL must start with https:// (or http://).")).toBeVisible();
  await expect(page.getByText("Choose at least one event.")).toBeVisible();

  await page.getByLabel("URL", { exact: true }).fill(receiverUrl);
  await page.getByLabel("Description (optional)").fill("E2E receiver");
  await page.getByRole("checkbox", { name: /ticket\.created/ }).check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secretCell = page.getByLabel("The signing secret");
  await expect(secretCell).toBeVisible();
  const secret = (await secretCell.textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_/);

  await page.getByRole("link", { name: receiverUrl }).click();
  await expect(page.getByRole("heading", { name: "Webhook endpoint" })).toBeVisible();
  await page.getByRole("button", { name: "Send a test event" }).click();
  await expect(page.getByText(/Test event queued/)).toBeVisible();

  // The outbox worker delivers within seconds; the log shows the answer.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("list", { name: "Deliveries" }).getByText("HTTP 200")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });

  const received = (await (await fetch(receiverUrl)).json()) as ReceivedHook[];
  expect(received).toHaveLength(1);
  const [hook] = received;
  const verified = new Webhook(secret).verify(hook!.body, hook!.headers) as { type: string };
  expect(verified.type).toBe("ping");
  expect(() => new Webhook(`whsec_${Buffer.from("not-the-secret-at-all-000").toString("base64")}`).verify(hook!.body, hook!.headers)).toThrow();

  // Resend delivers the same event again, with the same webhook-id.
  await page
    .getByRole("button", { name: /^Resend delivery/ })
    .first()
    .click();
  await expect(async () => {
    const again = (await (await fetch(receiverUrl)).json()) as ReceivedHook[];
    expect(again).toHaveLength(2);
    expect(again[1]!.headers["webhook-id"]).toBe(hook!.headers["webhook-id"]);
  }).toPass({ timeout: 30_000 });

  // The private-address switch works both ways without a reload (each click asks for the opposite).
  await page.goto("/admin/webhooks");
  await page.getByRole("button", { name: "Allow public addresses only" }).click();
  await expect(page.getByText("Webhooks may reach public addresses only.", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Allow private addresses too" }).click();
  await expect(page.getByText("Webhooks may now reach private and loopback addresses.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Allow public addresses only" })).toBeVisible();
});

test("agents cannot manage webhooks", async ({ page, users }) => {
  await users.signIn(page, "agent");
  await expect(page).toHaveURL(/\/console$/);
  const response = await page.goto("/admin/webhooks");
  expect(response?.status()).toBe(403);
});
