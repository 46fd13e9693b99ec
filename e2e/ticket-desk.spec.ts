import { expect, test } from "@playwright/test";
import { signInAndWait, signInAs } from "./fixtures/auth";
import { seedCustomerWithAccount } from "./fixtures/db";
import { waitForEmail } from "./fixtures/mailbox";
import { postInboundJson, postResendEvent, resendEvent } from "./fixtures/webhooks";

const authResults = (domain: string, verdict: "pass" | "fail") => ({
  "Authentication-Results": `mx.veridesk.test; spf=${verdict} smtp.mailfrom=${domain}; dkim=${verdict} header.d=${domain}; dmarc=${verdict} header.from=${domain}`,
});

test("a customer files a ticket; an agent answers by email; bounces, forged webhooks and inbound email are handled", async ({ browser, request }) => {
  const customer = await seedCustomerWithAccount("desk");
  const subject = `Scanner jams on page two ${customer.accountNumber}`;

  // The customer files a ticket in the portal.
  const customerPage = await (await browser.newContext()).newPage();
  await signInAndWait(customerPage, customer.user.email, customer.user.password);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(subject);
  await customerPage.getByLabel("Describe the problem or question").fill("Every second page comes out crumpled since the firmware update.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketUrl = new URL(customerPage.url());
  const ticketId = ticketUrl.pathname.split("/").pop()!;

  // An agent opens it, sees who the requester is, and replies.
  const agentPage = await (await browser.newContext()).newPage();
  await agentPage.goto("/signin");
  await signInAs(agentPage, "agent");
  await agentPage.goto(`/console/tickets/${ticketId}`);
  const panel = agentPage.getByRole("region", { name: "Who is this?" });
  await expect(panel).toContainText("the customer's primary address");
  await expect(panel).toContainText(customer.accountNumber);
  await expect(panel).toContainText("valid until");
  await agentPage.getByLabel(`Reply to ${customer.primary}`).fill("Thanks Pat, please try the attached driver.");
  await agentPage.getByRole("button", { name: "Send reply" }).click();
  await expect(agentPage.getByText(`Reply saved and emailed to ${customer.primary}.`)).toBeVisible();

  const email = await waitForEmail(customer.primary, { subject: /\[VD-\d+\]/ });
  expect(email.subject).toContain(subject);
  expect(email.text).toContain("please try the attached driver");
  const replyMessageId = email.headers["Message-ID"];
  expect(replyMessageId).toMatch(/^<vd-ticket-/);
  await agentPage.reload();
  await expect(agentPage.getByText("Email sent")).toBeVisible();

  // A forged webhook is refused; a signed bounce marks the address and tells the agent.
  const forged = await postResendEvent(request, resendEvent("email.bounced", email.id), {
    secret: "whsec_" + Buffer.from("not-the-real-secret-at-all!").toString("base64"),
  });
  expect(forged.status()).toBe(401);
  const bounce = await postResendEvent(request, resendEvent("email.bounced", email.id, { bounce: { message: "550 5.1.1 mailbox unavailable" } }));
  expect(bounce.status()).toBe(200);
  await agentPage.reload();
  await expect(agentPage.getByText(`Your reply did not reach the customer: ${customer.primary} bounced.`)).toBeVisible();
  await expect(agentPage.getByText("550 5.1.1 mailbox unavailable").first()).toBeVisible();
  await expect(panel.getByText("Bouncing address")).toBeVisible();
  await expect(agentPage.getByRole("alert").filter({ hasText: "bounced" })).toContainText(customer.alias);

  // The customer answers from an alias: the email joins the same ticket.
  const inbound = await postInboundJson(request, {
    from: { address: customer.alias, name: customer.user.name },
    subject: `Re: ${email.subject}`,
    text: "Writing from my other address: the new driver fixed it.",
    inReplyTo: replyMessageId,
    references: [replyMessageId!],
    headers: authResults(customer.domain, "pass"),
  });
  expect(inbound.status()).toBe(200);
  await agentPage.reload();
  await expect(agentPage.getByText("the new driver fixed it")).toBeVisible();

  // Mail claiming the customer's address but failing DKIM/DMARC is held, not attached.
  const spoofText = `Please change the bank details ${customer.accountNumber}`;
  const spoof = await postInboundJson(request, {
    from: customer.primary,
    subject: `Re: ${email.subject}`,
    text: spoofText,
    inReplyTo: replyMessageId,
    headers: authResults(customer.domain, "fail"),
  });
  expect(spoof.status()).toBe(200);
  await agentPage.reload();
  await expect(agentPage.getByText(spoofText)).toHaveCount(0);
  await agentPage.goto("/console/inbound");
  const held = agentPage.locator("details").filter({ hasText: spoofText });
  await held.getByText("Show the text").click();
  await expect(held.getByText(spoofText)).toBeVisible();
});

test("a customer cannot open another customer's ticket by URL", async ({ browser }) => {
  const owner = await seedCustomerWithAccount("owner");
  const other = await seedCustomerWithAccount("other");
  const ownerPage = await (await browser.newContext()).newPage();
  await signInAndWait(ownerPage, owner.user.email, owner.user.password);
  await ownerPage.goto("/portal/tickets/new");
  await ownerPage.getByLabel("Subject").fill("Private matter");
  await ownerPage.getByLabel("Describe the problem or question").fill("Nobody else should read this.");
  await ownerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(ownerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketPath = new URL(ownerPage.url()).pathname;

  const otherPage = await (await browser.newContext()).newPage();
  await signInAndWait(otherPage, other.user.email, other.user.password);
  const response = await otherPage.goto(ticketPath);
  expect(response?.status()).toBe(404);
  await expect(otherPage.getByText("Nobody else should read this.")).toHaveCount(0);
});
