import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Notifications end to end (issue 10 item 2): the customer's acknowledgement of a new ticket, the
 * assignee's "assigned to you" and "customer replied", the supervisors' escalation and SLA breach,
 * each seen as an email at the Resend fake; the console bell's unread count and marking read; an
 * email preference turned off stops that email but not the bell.
 */

test("a new ticket is acknowledged; its assignee is emailed and belled on assignment and on the customer's reply, and marks them read", async ({
  users,
  customers,
  mailbox,
  webhooks,
  newPage,
}) => {
  // Three people's browsers and four emails in one story: more than the default minute on a busy machine.
  test.slow();
  const customer = await customers.create("notify");
  const agent = await users.create({ role: "agent" });
  const subject = `Invoice total doubled ${customer.accountNumber}`;

  // The customer files a ticket: the acknowledgement carries the number and threads on it.
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(subject);
  await customerPage.getByLabel("Describe the problem or question").fill("March's invoice charges us twice.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop()!;
  const ack = await mailbox.latest(customer.primary, { subject: /^\[VD-\d+\] Invoice total doubled/ });
  const reference = /VD-\d+/.exec(ack.subject)![0];
  expect(ack.text).toContain(`We have opened ticket ${reference}`);
  expect(ack.html).toContain(`/portal/tickets/${ticketId}`);
  expect(ack.headers["Message-ID"]).toMatch(new RegExp(`^<vd-ticket-${reference.slice(3)}\\.`));

  // A supervisor assigns it to the agent: the agent is emailed.
  const supervisorPage = await newPage();
  await users.signIn(supervisorPage, "supervisor");
  await supervisorPage.goto(`/console/tickets/${ticketId}`);
  await supervisorPage.getByLabel("Assignee").selectOption({ label: agent.name });
  await expect(supervisorPage.getByText("Assignee saved.")).toBeVisible();
  const assigned = await mailbox.latest(agent.email, { subject: new RegExp(`assigned ${reference}: `) });
  expect(assigned.text).toContain(`assigned ticket ${reference} to you`);
  expect(assigned.html).toContain(`/console/tickets/${ticketId}`);

  // The customer answers the acknowledgement by email: it lands on the ticket, the agent is emailed.
  const answer = await webhooks.postInboundJson({
    from: { address: customer.primary, name: customer.user.name },
    subject: `Re: ${ack.subject}`,
    text: "Here is the invoice number: INV-2211.",
    inReplyTo: ack.headers["Message-ID"],
    headers: { "Authentication-Results": `mx.veridesk.test; spf=pass smtp.mailfrom=${customer.domain}; dkim=pass header.d=${customer.domain}; dmarc=pass` },
  });
  expect(await answer.json()).toMatchObject({ status: "message_added", ticket: reference });
  const replied = await mailbox.latest(agent.email, { subject: new RegExp(`replied on ${reference}: `) });
  expect(replied.text).toContain("INV-2211");

  // The agent's bell says 2 unread; marking one, then all, read counts down without a reload.
  const agentPage = await newPage();
  await users.signIn(agentPage, agent);
  await agentPage.goto("/console");
  await expect(agentPage.getByRole("link", { name: "Notifications, 2 unread" })).toBeVisible();
  await agentPage.getByRole("link", { name: "Notifications, 2 unread" }).click();
  await expect(agentPage.getByRole("heading", { name: "2 unread" })).toBeVisible();
  await agentPage.getByRole("button", { name: /^Mark as read: .* assigned / }).click();
  await expect(agentPage.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  await agentPage.getByRole("button", { name: "Mark all as read" }).click();
  await expect(agentPage.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();
  await expect(agentPage.getByRole("heading", { name: "Nothing unread" })).toBeFocused();
  // The list links to the ticket.
  await agentPage.getByRole("link", { name: new RegExp(`replied on ${reference}`) }).click();
  await expect(agentPage).toHaveURL(new RegExp(`/console/tickets/${ticketId}$`));
});

test("supervisors are emailed about an escalation and an SLA breach; one who turned escalation emails off gets only the bell entry", async ({
  users,
  escalations,
  mailbox,
  db,
  page,
  newPage,
}) => {
  const quiet = await users.create({ role: "supervisor" });
  const keen = await users.create({ role: "supervisor" });

  // One supervisor turns escalation emails off on the account page.
  await users.signIn(page, quiet);
  await page.goto("/account");
  const settings = page.getByRole("region", { name: "Notifications" });
  await settings.getByLabel("A ticket is escalated to the supervisors").uncheck();
  await settings.getByRole("button", { name: "Save email choices" }).click();
  await expect(settings.getByText("Saved. 3 of 4 kinds come by email too.")).toBeVisible();

  // An agent escalates a ticket.
  const { ticket, reference } = await escalations.phoneTicket("notify");
  const agentPage = await newPage();
  await users.signIn(agentPage, "agent");
  await agentPage.goto(`/console/tickets/${ticket.id}`);
  const escalate = agentPage.locator("#escalate");
  await escalate.getByLabel("Reason").selectOption({ label: "Identity could not be verified" });
  await escalate.getByLabel("Note for the supervisor").fill("Caller could not give the account number.");
  await escalate.getByRole("button", { name: "Escalate to a supervisor" }).click();
  await expect(escalate.getByText("Escalated. A supervisor will pick it up from the escalation queue.")).toBeVisible();

  const escalated = await mailbox.latest(keen.email, { subject: new RegExp(`escalated ${reference}: `) });
  expect(escalated.text).toContain("Caller could not give the account number.");

  // A ticket whose first response came due a minute ago: the SLA job (every instance, every
  // second) records the breach once, and the supervisors hear of it once.
  const customer = await db.customer.create({ data: { accountNumber: `NTF-${randomUUID().slice(0, 8)}`, name: "Breach customer" } });
  const late = await db.ticket.create({
    data: {
      subject: `Overdue ${randomUUID().slice(0, 8)}`,
      channel: "email",
      customerId: customer.id,
      slaScope: "no_agreement",
      firstResponseDueAt: new Date(Date.now() - 60_000),
      resolutionDueAt: new Date(Date.now() + 24 * 3600_000),
    },
  });
  const breach = await mailbox.latest(quiet.email, { subject: new RegExp(`^SLA missed on VD-${late.number}: `) });
  expect(breach.text).toContain(`Ticket VD-${late.number} missed its SLA target.`);

  // The quiet supervisor got no escalation email, but the bell has both.
  expect((await mailbox.all(quiet.email)).filter((email) => email.subject.includes(`escalated ${reference}`))).toEqual([]);
  await page.goto("/console/notifications");
  // Other specs' tickets may breach meanwhile: the bell counts whatever is unread.
  const unread = await db.notification.count({ where: { recipientId: quiet.id, readAt: null } });
  expect(unread).toBeGreaterThanOrEqual(2);
  await expect(page.getByRole("link", { name: `Notifications, ${unread} unread` })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`escalated ${reference}: `) })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`^SLA missed on VD-${late.number}: `) })).toBeVisible();
  expect(await db.notification.count({ where: { ticketId: late.id, recipientId: keen.id } })).toBe(1);
});
