import { authenticationResults, expect, resendEvent, test } from "./fixtures/test";

test("a customer files a ticket; an agent answers by email; bounces, forged webhooks and inbound email are handled", async ({
  users,
  customers,
  mailbox,
  webhooks,
  newPage,
}) => {
  const customer = await customers.create("desk");
  const subject = `Scanner jams on page two ${customer.accountNumber}`;

  // The customer files a ticket in the portal.
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(subject);
  await customerPage.getByLabel("Describe the problem or question").fill("Every second page comes out crumpled since the firmware update.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketUrl = new URL(customerPage.url());
  const ticketId = ticketUrl.pathname.split("/").pop()!;

  // An agent opens it, sees who the requester is, and replies.
  const agentPage = await newPage();
  await users.signIn(agentPage, "agent");
  await agentPage.goto(`/console/tickets/${ticketId}`);
  const panel = agentPage.getByRole("region", { name: "Who is this?" });
  await expect(panel).toContainText("the customer's primary address");
  await expect(panel).toContainText(customer.accountNumber);
  await expect(panel).toContainText("valid until");
  await agentPage.getByLabel(`Reply to ${customer.primary}`).fill("Thanks Pat, please try the attached driver.");
  await agentPage.getByRole("button", { name: "Send reply" }).click();
  await expect(agentPage.getByText(`Reply saved and emailed to ${customer.primary}.`)).toBeVisible();

  // "Re: ": the reply, not the acknowledgement of the new ticket (which carries the tag too).
  const email = await mailbox.latest(customer.primary, { subject: /^Re: \[VD-\d+\]/ });
  expect(email.subject).toContain(subject);
  expect(email.text).toContain("please try the attached driver");
  const replyMessageId = email.headers["Message-ID"];
  expect(replyMessageId).toMatch(/^<vd-ticket-/);
  // The fake provider holds the email a moment before the delivery worker records its answer.
  await expect(async () => {
    await agentPage.reload();
    await expect(agentPage.getByText("Email sent")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  // A forged webhook is refused; a signed bounce marks the address and tells the agent.
  const forged = await webhooks.postResendEvent(resendEvent("email.bounced", email.id), {
    secret: "whsec_" + Buffer.from("not-the-real-secret-at-all!").toString("base64"),
  });
  expect(forged.status()).toBe(401);
  const bounce = await webhooks.postResendEvent(resendEvent("email.bounced", email.id, { bounce: { message: "550 5.1.1 mailbox unavailable" } }));
  expect(bounce.status()).toBe(200);
  await agentPage.reload();
  await expect(agentPage.getByText(`Your reply did not reach the customer: ${customer.primary} bounced.`)).toBeVisible();
  await expect(agentPage.getByText("550 5.1.1 mailbox unavailable").first()).toBeVisible();
  await expect(panel.getByText("Bouncing address")).toBeVisible();
  await expect(agentPage.getByRole("alert").filter({ hasText: "bounced" })).toContainText(customer.alias);

  // The customer answers from an alias: the email joins the same ticket.
  const inbound = await webhooks.postInboundJson({
    from: { address: customer.alias, name: customer.user.name },
    subject: `Re: ${email.subject}`,
    text: "Writing from my other address: the new driver fixed it.",
    inReplyTo: replyMessageId,
    references: [replyMessageId!],
    headers: authenticationResults(customer.domain, "pass"),
  });
  expect(inbound.status()).toBe(200);
  await agentPage.reload();
  await expect(agentPage.getByText("the new driver fixed it")).toBeVisible();

  // Mail claiming the customer's address but failing DKIM/DMARC is held, not attached.
  const spoofText = `Please change the bank details ${customer.accountNumber}`;
  const spoof = await webhooks.postInboundJson({
    from: customer.primary,
    subject: `Re: ${email.subject}`,
    text: spoofText,
    inReplyTo: replyMessageId,
    headers: authenticationResults(customer.domain, "fail"),
  });
  expect(spoof.status()).toBe(200);
  await agentPage.reload();
  await expect(agentPage.getByText(spoofText)).toHaveCount(0);
  await agentPage.goto("/console/inbound");
  const held = agentPage.locator("details").filter({ hasText: spoofText });
  await held.getByText("Show the text").click();
  await expect(held.getByText(spoofText)).toBeVisible();
});

test("a customer cannot open another customer's ticket by URL", async ({ users, customers, newPage }) => {
  const owner = await customers.create("owner");
  const other = await customers.create("other");
  const ownerPage = await newPage();
  await users.signIn(ownerPage, owner.user);
  await ownerPage.goto("/portal/tickets/new");
  await ownerPage.getByLabel("Subject").fill("Private matter");
  await ownerPage.getByLabel("Describe the problem or question").fill("Nobody else should read this.");
  await ownerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(ownerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketPath = new URL(ownerPage.url()).pathname;

  const otherPage = await newPage();
  await users.signIn(otherPage, other.user);
  const response = await otherPage.goto(ticketPath);
  expect(response?.status()).toBe(404);
  await expect(otherPage.getByText("Nobody else should read this.")).toHaveCount(0);
});
