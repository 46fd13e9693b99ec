import { randomUUID } from "node:crypto";
import { REPLY_MARKER } from "@/features/tickets/reply-marker";
import { authenticationResults, expect, type FakeEmail, test } from "./fixtures/test";

/** A reply written the way Gmail writes one: multipart/alternative, the attribution wrapped, "> " quotes, div.gmail_quote. */
function gmailStyleReply(options: { from: string; name: string; answer: string; answerHtml: string; quoting: FakeEmail; domain: string }): string {
  const { quoting } = options;
  const wrote = `On Thu, 3 Dec 2026 at 14:00, ${/^"?(.*?)"?\s*</.exec(quoting.from)?.[1]} <\nsupport@veridesk.test> wrote:`;
  const text = `${options.answer}\n\n${wrote}\n\n${(quoting.text ?? "")
    .trimEnd()
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n")}\n`;
  const quotedHtml = /<body[^>]*>([\s\S]*)<\/body>/i.exec(quoting.html ?? "")?.[1] ?? "";
  const html =
    `<div dir="ltr">${options.answerHtml}</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">${wrote.replace("<\n", "&lt;").replace(">", "&gt;")}<br></div>` +
    `<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${quotedHtml}</blockquote></div>`;
  const boundary = `000000000000${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const part = (type: string, body: string) =>
    [`--${boundary}`, `Content-Type: ${type}; charset="UTF-8"`, "Content-Transfer-Encoding: base64", "", Buffer.from(body, "utf8").toString("base64")].join(
      "\r\n",
    );
  const messageId = quoting.headers["Message-ID"]!;
  return [
    ...Object.entries(authenticationResults(options.domain, "pass")).map(([name, value]) => `${name}: ${value}`),
    "MIME-Version: 1.0",
    `References: ${quoting.headers.References ? `${quoting.headers.References} ` : ""}${messageId}`,
    `In-Reply-To: ${messageId}`,
    `From: =?UTF-8?B?${Buffer.from(options.name, "utf8").toString("base64")}?= <${options.from}>`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <CAE2e${randomUUID().replaceAll("-", "")}@mail.gmail.com>`,
    `Subject: Re: ${quoting.subject}`,
    `To: ${quoting.from}`,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    part("text/plain", text),
    part("text/html", html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

test("an agent's reply is an HTML and text email with the conversation quoted; the customer's emailed answer lands without the quote", async ({
  users,
  customers,
  mailbox,
  webhooks,
  newPage,
}) => {
  const customer = await customers.create("thread");
  const dana = await users.create({ role: "agent", name: "Dana Ørsted" });

  // The customer opens a ticket in the portal: the conversation's first public message.
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(`Printer on fire ${customer.accountNumber}`);
  await customerPage.getByLabel("Describe the problem or question").fill("The printer shows error E-42.\nIt smells of smoke.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop()!;

  // Dana adds an internal note, then answers with markup-looking text over two lines.
  const agentPage = await newPage();
  await users.signIn(agentPage, dana);
  await agentPage.goto(`/console/tickets/${ticketId}`);
  await agentPage.getByText("Internal note", { exact: true }).click();
  await agentPage.getByLabel("Note for the team (the customer never sees it)").fill("SECRET: on the old contract");
  await agentPage.getByRole("button", { name: "Add internal note" }).click();
  await expect(agentPage.getByText("Internal note added.")).toBeVisible();
  await agentPage.getByText("Public reply", { exact: true }).click();
  await agentPage.getByLabel(`Reply to ${customer.primary}`).fill("Please switch it off <b>now</b> & wait.\nThen switch it on again.");
  await agentPage.getByRole("button", { name: "Send reply" }).click();
  await expect(agentPage.getByText(`Reply saved and emailed to ${customer.primary}.`)).toBeVisible();

  const first = await mailbox.latest(customer.primary, { subject: /^Re: \[VD-\d+\] Printer on fire/ });
  const reference = /VD-\d+/.exec(first.subject)![0];
  expect(first.from).toBe('"Dana Ørsted from Veridesk Support" <support@veridesk.test>');
  expect(first.headers["Message-ID"]).toMatch(new RegExp(`^<vd-ticket-${reference.slice(3)}\\.`));
  expect(first.text!.split("\n")[0]).toBe(REPLY_MARKER);
  expect(first.text).toContain(`Dana Ørsted (Veridesk Support) replied to your request ${reference}`);
  expect(first.text).toContain("Please switch it off <b>now</b> & wait.\nThen switch it on again.");
  expect(first.text).toMatch(/> The printer shows error E-42\.\n> It smells of smoke\./);
  expect(first.text).toMatch(/\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
  expect(first.html).toContain(REPLY_MARKER);
  expect(first.html).toMatch(/Please switch it off &lt;b&gt;now&lt;\/b&gt; &amp; wait\.<br\s*\/?>Then switch it on again\./);
  expect(first.html).toMatch(/The printer shows error E-42\.<br\s*\/?>It smells of smoke\./);
  for (const body of [first.text!, first.html!]) expect(body).not.toContain("SECRET");

  // The customer answers from Gmail, quoting the whole email.
  const answer = "Thanks Dana — it works now. Schön!";
  const raw = gmailStyleReply({
    from: customer.primary,
    name: `${customer.user.name} Müller`,
    answer,
    answerHtml: answer,
    quoting: first,
    domain: customer.domain,
  });
  const customerMessageId = /^Message-ID: (<[^>]+>)/m.exec(raw)![1];
  const posted = await webhooks.postInboundMime(raw);
  expect(posted.status()).toBe(200);

  await agentPage.reload();
  const thread = agentPage.getByRole("list", { name: "Conversation" });
  const answerItem = thread.getByRole("listitem").filter({ hasText: answer });
  await expect(answerItem).toBeVisible();
  await expect(answerItem.getByText(REPLY_MARKER)).toBeHidden();
  await expect(answerItem.getByText(answer, { exact: true })).toBeVisible();
  // The whole email is one click away, never lost.
  await answerItem.getByText("Show quoted text").click();
  await expect(answerItem.getByText(/wrote:/)).toBeVisible();
  await expect(answerItem.getByText(new RegExp(REPLY_MARKER.replace(/[-#]/g, "\\$&")))).toBeVisible();
  // Opened, the quoted email wraps inside the thread: nothing scrolls sideways on a phone.
  await agentPage.screenshot({ path: test.info().outputPath("thread-1280.png"), fullPage: true });
  await agentPage.setViewportSize({ width: 390, height: 844 });
  expect(await agentPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await answerItem.screenshot({ path: test.info().outputPath("thread-390.png") });
  await agentPage.setViewportSize({ width: 1280, height: 720 });

  // The customer sees only their answer in the portal.
  await customerPage.reload();
  await expect(customerPage.getByText(answer, { exact: true })).toBeVisible();
  await expect(customerPage.getByText(/wrote:/)).toHaveCount(0);

  // Dana answers again: threaded under the customer's email, quoting the stripped answer (the marker once).
  await agentPage.getByLabel(`Reply to ${customer.primary}`).fill("Glad to hear it. Closing the ticket.");
  await agentPage.getByRole("button", { name: "Send reply" }).click();
  await expect(agentPage.getByText(`Reply saved and emailed to ${customer.primary}.`)).toBeVisible();
  let second: FakeEmail | undefined;
  await expect
    .poll(async () => {
      second = (await mailbox.all(customer.primary)).find((email) => email.text?.includes("Glad to hear it."));
      return Boolean(second);
    })
    .toBe(true);
  expect(second!.headers["In-Reply-To"]).toBe(customerMessageId);
  // The thread starts at the new ticket's acknowledgement (its Message-ID is the first message's).
  const acknowledgement = await mailbox.latest(customer.primary, { subject: /^\[VD-\d+\] Printer on fire/ });
  expect(first.headers["In-Reply-To"]).toBe(acknowledgement.headers["Message-ID"]);
  expect(second!.headers.References).toBe(`${acknowledgement.headers["Message-ID"]} ${first.headers["Message-ID"]} ${customerMessageId}`);
  expect(second!.headers["Message-ID"]).toMatch(/^<vd-ticket-/);
  expect(second!.headers["Message-ID"]).not.toBe(first.headers["Message-ID"]);
  expect(second!.text!.split(REPLY_MARKER)).toHaveLength(2);
  expect(second!.text).toContain(`> ${answer}`);
  expect(second!.text!.indexOf(`> ${answer}`)).toBeLessThan(second!.text!.indexOf("> Please switch it off"));
  expect(second!.text).not.toContain("> > ");
});
