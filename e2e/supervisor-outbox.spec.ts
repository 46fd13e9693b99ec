import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * The outgoing-messages page: a supervisor sees given-up messages (never a body), cannot pick a
 * one-time-code message whose sealed body is gone, and sends the others again. Rows are this spec's own.
 */
test("a supervisor requeues a failed message; a code message cannot be sent again", async ({ page, users, db }) => {
  const tag = randomUUID().slice(0, 8);
  const plain = await db.outboxMessage.create({
    data: {
      channel: "email",
      kind: "ticket-reply",
      recipient: `outbox-${tag}@example.com`,
      subject: `Re: parcel ${tag}`,
      textBody: `Body that must not show ${tag}`,
      status: "failed",
      attempts: 95,
      maxAttempts: 95,
      lastError: "Fake 503: provider down",
    },
  });
  const code = await db.outboxMessage.create({
    data: {
      channel: "sms",
      kind: "verification-code",
      recipient: "+447700900777",
      textBody: null,
      sensitive: true,
      status: "failed",
      attempts: 3,
      maxAttempts: 95,
      lastError: "Fake 422: invalid number",
      createdAt: new Date(Date.now() + 60_000), // newest first: at the top
    },
  });

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/outbox");
  const nav = page.getByRole("navigation", { name: "Supervisor sections" });
  await expect(nav.getByRole("link", { name: "Outgoing messages" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(`Re: parcel ${tag}`)).toBeVisible();
  await expect(page.getByText(`Body that must not show ${tag}`)).toHaveCount(0);

  const codeBox = page.getByRole("checkbox", { name: "Select verification-code to +447700900777" }).first();
  await expect(codeBox).toBeDisabled();
  await expect(page.getByText("its sealed body was wiped when it failed").first()).toBeVisible();

  await page.getByRole("checkbox", { name: `Select ticket-reply to outbox-${tag}@example.com` }).check();
  await page.getByRole("button", { name: "Requeue selected (1)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 message(s) queued again." })).toBeVisible();

  await expect.poll(async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id: plain.id } })).status).not.toBe("failed");
  expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: code.id } })).status).toBe("failed");
  const audit = await db.auditEvent.findFirst({ where: { action: "outbox.requeued" }, orderBy: { at: "desc" } });
  expect(audit?.details).toMatchObject({ selection: "selected", requeued: 1, requeuedIds: [plain.id] });
});
