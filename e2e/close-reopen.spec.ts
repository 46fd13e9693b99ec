import { expect, test } from "./fixtures/test";

/**
 * Close and reopen (issue 10 item 6): a customer confirms before closing, reopens a solved ticket
 * within the window (7 days), and after it gets a follow-up ticket that refers to the old one;
 * an agent sends a reply and sets the status in one step.
 */

test("a customer confirms before closing, and a closed ticket continues as a follow-up the agent sees linked", async ({ users, customers, db, newPage }) => {
  const customer = await customers.create("close");
  const page = await newPage();
  await users.signIn(page, customer.user);
  await page.goto("/portal/tickets/new");
  const subject = `Toner smears ${customer.accountNumber}`;
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Describe the problem or question").fill("Grey stripes on every page.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(page.url()).pathname.split("/").pop()!;
  const { number } = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  const reference = `VD-${number}`;

  // The first click only asks; Escape takes the question back and nothing changes.
  const close = page.getByRole("button", { name: "Close this ticket" });
  await close.click();
  const dialog = page.getByRole("alertdialog", { name: `Close ${reference}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Yes, close ticket" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(close).toBeFocused();
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("new");

  await close.click();
  await dialog.getByRole("button", { name: "Yes, close ticket" }).click();
  await expect(page.getByText("This ticket is closed. If you need more help with it, open a follow-up ticket")).toBeVisible();
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("closed");
  await expect(page.getByLabel("Your message")).toHaveCount(0);

  // The follow-up form starts from the old ticket's reference.
  await page.getByRole("link", { name: "Open a follow-up ticket" }).click();
  await expect(page.getByLabel("Subject")).toHaveValue(`Follow-up to ${reference}: ${subject}`);
  await expect(page.getByText(`This ticket continues ${reference}`)).toBeVisible();
  await page.getByLabel("Describe the problem or question").fill("The stripes are back after a week.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const followUpId = new URL(page.url()).pathname.split("/").pop()!;
  expect((await db.ticket.findUniqueOrThrow({ where: { id: followUpId } })).followUpToTicketId).toBe(ticketId);

  // The agent sees the link both ways.
  const agent = await newPage();
  await users.signIn(agent, "agent");
  await agent.goto(`/console/tickets/${followUpId}`);
  await agent.getByRole("link", { name: `${reference}: ${subject}` }).click();
  await expect(agent).toHaveURL(new RegExp(`/console/tickets/${ticketId}$`));
  await expect(agent.getByText("Followed up in")).toBeVisible();
});

test("send and mark solved in one step; the customer reopens within the window, and after it gets a follow-up link", async ({
  users,
  customers,
  db,
  mailbox,
  appClock,
  newPage,
}) => {
  const customer = await customers.create("reopen");
  const page = await newPage();
  await users.signIn(page, customer.user);
  await page.goto("/portal/tickets/new");
  await page.getByLabel("Subject").fill(`Fax keeps dialling ${customer.accountNumber}`);
  await page.getByLabel("Describe the problem or question").fill("It calls the same number at night.");
  await page.getByRole("button", { name: "Submit ticket" }).click();
  await expect(page.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(page.url()).pathname.split("/").pop()!;

  const agent = await newPage();
  await users.signIn(agent, "agent");
  await agent.goto(`/console/tickets/${ticketId}`);
  await agent.getByLabel(`Reply to ${customer.primary}`).fill("Cleared the redial list; it should stay quiet now.");
  await agent.getByRole("button", { name: "Send and mark solved" }).click();
  await expect(agent.getByText(`Reply saved and emailed to ${customer.primary}. Ticket marked solved.`)).toBeVisible();
  const solved = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  expect(solved.status).toBe("solved");
  expect(solved.solvedAt).not.toBeNull();
  expect((await mailbox.latest(customer.primary, { subject: /^Re: \[VD-\d+\]/ })).text).toContain("Cleared the redial list");
  expect(await db.auditEvent.count({ where: { subjectId: ticketId, action: { in: ["ticket.replied", "ticket.updated"] } } })).toBe(2);

  // Within the window: the customer reopens it.
  await page.reload();
  await expect(page.getByText(/Reply or reopen it until \d{1,2} \w{3} \d{4}, \d\d:\d\d/)).toBeVisible();
  await page.getByRole("button", { name: "Reopen ticket" }).click();
  await expect(page.getByText("Ticket reopened. We will get back to you.")).toBeVisible();
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("open");

  // Solved again, then eight days pass on the app clock: no reopening, a follow-up instead.
  await agent.reload();
  await agent.getByLabel(`Reply to ${customer.primary}`).fill("Replaced the fax board.");
  await agent.getByRole("button", { name: "Send and mark solved" }).click();
  await expect(agent.getByText("Ticket marked solved.")).toBeVisible();
  await appClock.move(8 * 86_400_000);
  await expect
    .poll(async () => {
      await page.reload();
      return page.getByRole("link", { name: "Open a follow-up ticket" }).count();
    })
    .toBe(1);
  await expect(page.getByText("This ticket was solved more than 7 days ago, so it can no longer be reopened.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Reopen ticket" })).toHaveCount(0);
  expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("solved");
});
