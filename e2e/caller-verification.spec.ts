import { expect, otherCode, type Page, type Response, test } from "./fixtures/test";

/**
 * "Verify caller" end to end: an agent checks what a caller states (one field close, the others
 * matching), texts a code to the customer's masked verified mobile, types the code read from the
 * SMS outbox, and the identity panel says "verified by phone code … by Alex Morgan". Wrong codes
 * get clear answers with the tries left and, from the third, an offer to escalate. Every
 * server-action response the browser receives is checked for the customer's stored values.
 * Also: a call without a ticket, started from /console/customers.
 */

/** Collects the bodies of every POST response (server actions) from now on. */
function capturePosts(page: Page): () => Promise<string[]> {
  const bodies: Promise<string>[] = [];
  page.on("response", (response: Response) => {
    if (response.request().method() === "POST") bodies.push(response.text().catch(() => ""));
  });
  return () => Promise.all(bodies);
}

async function expectNoStoredValues(collect: () => Promise<string[]>, stored: string[], expectedPosts: number) {
  const bodies = await collect();
  expect(bodies.length).toBeGreaterThanOrEqual(expectedPosts);
  for (const body of bodies) {
    const text = body.toLowerCase();
    for (const value of stored) expect(text, `a response contained ${value}`).not.toContain(value.toLowerCase());
  }
}

test("an agent verifies a caller: details (one close), a code to the masked mobile, the panel shows the phone-code verification", async ({
  page,
  users,
  callers,
  sms,
  db,
}) => {
  const caller = await callers.create("pass");
  await users.signIn(page, "agent");
  const collect = capturePosts(page);
  await page.goto(`/console/tickets/${caller.ticket.id}`);
  const tool = page.getByRole("region", { name: "Verify caller" });
  await expect(tool).toBeVisible();

  // Step 1: the caller's details: a typo in the name, the account number spoken loosely, the mobile in national form.
  await tool.getByLabel("Full name").fill("Imogen Castelano");
  await tool.getByLabel("Account number or email").fill(`cv ${caller.digits}`);
  await tool.getByLabel("Phone number").fill(caller.mobile);
  await tool.getByRole("button", { name: "Check details" }).click();
  const results = tool.getByRole("status").filter({ hasText: "Full name:" });
  await expect(results).toContainText("Full name: close — ask again");
  await expect(results).toContainText("Account number or email: matches");
  await expect(results).toContainText("Phone number: matches");
  await expect(results).toContainText("Not verified yet");

  // Step 2: a code to the verified mobile. Only verified channels are listed, masked: the primary
  // address and the mobile (not the unverified alias, not the landline).
  await expect(tool.getByRole("radio")).toHaveCount(2);
  await expect(tool.getByRole("radio", { name: "Email to i•••@castellano-pass.example" })).toBeChecked();
  await tool.getByRole("radio", { name: `Text message to ${caller.masked}` }).check();
  await tool.getByRole("button", { name: "Send code" }).click();
  await expect(tool.getByText(`Code sent by text message to ${caller.masked}`)).toBeVisible();
  const code = await sms.latestCode(caller.mobile);

  // Step 3: the code the caller reads back.
  await tool.getByLabel("Code the customer reads back").fill(code);
  await tool.getByRole("button", { name: "Check code" }).click();
  await expect(tool.getByRole("status").filter({ hasText: "Caller verified by phone code" })).toBeVisible();
  const panel = page.getByRole("region", { name: "Who is this?" });
  await expect(panel).toContainText(/verified by phone code \d\d:\d\d UTC by Alex Morgan/);
  await expect(panel).toContainText("Verified");

  // The queue row's badge says the same in its tooltip (derived in SQL there).
  await page.goto("/console?status=all&channel=phone&sort=newest");
  const row = page
    .getByRole("table", { name: /tickets/i })
    .getByRole("row")
    .filter({ hasText: caller.ticket.subject });
  await expect(row.locator("span[title]").filter({ hasText: "Verified" })).toHaveAttribute("title", /verified by phone code \d\d:\d\d UTC by Alex Morgan/);

  await expectNoStoredValues(collect, caller.stored, 3);
  const check = await db.identityCheck.findFirstOrThrow({ where: { ticketId: caller.ticket.id, method: "sms_code" } });
  expect(check).toMatchObject({ outcome: "passed", codeChannel: "sms", conversationChannel: "phone" });
});

test("three wrong codes get clear answers with the tries left, then the tool offers escalation", async ({ page, users, callers, sms, db }) => {
  const caller = await callers.create("fail");
  await users.signIn(page, "agent");
  const collect = capturePosts(page);
  await page.goto(`/console/tickets/${caller.ticket.id}`);
  const tool = page.getByRole("region", { name: "Verify caller" });

  // A partial account number never matches, and an impossible phone number is refused.
  await tool.getByLabel("Full name").fill("imogen castellano");
  await tool.getByLabel("Account number or email").fill(caller.digits);
  await tool.getByLabel("Phone number").fill("+61 12");
  await tool.getByRole("button", { name: "Check details" }).click();
  const results = tool.getByRole("status").filter({ hasText: "Full name:" });
  await expect(results).toContainText("Full name: matches");
  await expect(results).toContainText("Account number or email: does not match");
  await expect(results).toContainText("Ask for the whole account number");
  await expect(results).toContainText("Phone number: not given");
  await expect(results).toContainText("That is not a possible phone number");

  await expect(results).toContainText("The details do not match the record.");

  await tool.getByRole("radio", { name: `Text message to ${caller.masked}` }).check();
  await tool.getByRole("button", { name: "Send code" }).click();
  await expect(tool.getByText(`Code sent by text message to ${caller.masked}`)).toBeVisible();
  const code = await sms.latestCode(caller.mobile);
  // Another code to the same number waits for the cooldown; another channel may be used at once.
  await expect(tool.getByText(/You can ask for a new code in \d+ seconds?\./)).toBeVisible();
  await tool.getByRole("radio", { name: "Email to i•••@castellano-fail.example" }).check();
  await expect(tool.getByText(/You can ask for a new code in/)).toHaveCount(0);
  await tool.getByRole("radio", { name: `Text message to ${caller.masked}` }).check();
  await expect(tool.getByText(/You can ask for a new code in/)).toBeVisible();
  const codeField = tool.getByLabel("Code the customer reads back");
  const offer = tool.getByRole("status").filter({ hasText: "Still not verified" });
  const escalate = offer.getByRole("link", { name: "Escalate to a supervisor" });
  for (const [attempt, left] of [
    [1, "4 tries left"],
    [2, "3 tries left"],
    [3, "2 tries left"],
  ] as const) {
    await codeField.fill(otherCode(code, attempt));
    await tool.getByRole("button", { name: "Check code" }).click();
    await expect(tool.getByRole("alert").filter({ hasText: `That code is not right. ${left}.` })).toBeVisible();
    if (attempt < 3) await expect(offer).toHaveCount(0);
  }
  await expect(offer).toContainText("3 wrong codes on this conversation.");
  await expect(escalate).toHaveAttribute("href", "#escalate");
  await escalate.click();
  await expect(page).toHaveURL(/#escalate$/);

  await expectNoStoredValues(collect, caller.stored, 5);
  expect(await db.identityCheck.count({ where: { ticketId: caller.ticket.id, outcome: "passed" } })).toBe(0);
});

test("a call without a ticket: find the customer, start a phone ticket, verify on it", async ({ page, users, callers, db }) => {
  const caller = await callers.create("start");
  await users.signIn(page, "agent");
  const mainNav = page.getByRole("navigation", { name: "Main" });
  await mainNav.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
  // The navigation marks the section being viewed, and only that one.
  await expect(mainNav.getByRole("link", { name: "Customers" })).toHaveAttribute("aria-current", "page");
  await expect(mainNav.locator('[aria-current="page"]')).toHaveCount(1);

  // Part of an account number finds nobody; the whole one finds the customer.
  await page.getByLabel("Name, account number, email or phone").fill(caller.digits.slice(0, 5));
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(/No customer matches/)).toBeVisible();
  await page.getByLabel("Name, account number, email or phone").fill(`cv-${caller.digits}`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText(caller.customer.accountNumber)).toBeVisible();
  await expect(page.getByText("matched by account number")).toBeVisible();
  await expect(page.locator("main")).not.toContainText(caller.primary);

  await page.getByRole("link", { name: "Start phone ticket for Imogen Castellano" }).click();
  await expect(page.getByRole("heading", { name: "Start a ticket for Imogen Castellano" })).toBeVisible();
  await page.getByRole("button", { name: "Start ticket" }).click();
  await expect(page.getByText("Give the ticket a short subject (at least 3 characters).")).toBeVisible();
  await page.getByLabel("Subject").fill("Wants to change the delivery address");
  await page.getByRole("button", { name: "Start ticket" }).click();
  await expect(page).toHaveURL(/\/console\/tickets\/[0-9a-f-]{36}#verify-caller$/);
  await expect(page.getByRole("heading", { name: "Wants to change the delivery address", level: 1 })).toBeVisible();
  await expect(page.getByText(/VD-\d+ · Phone/)).toBeVisible();
  await expect(page.getByRole("region", { name: "Verify caller" }).getByLabel("Full name")).toBeVisible();

  const ticketId = new URL(page.url()).pathname.split("/").pop()!;
  const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  expect(ticket).toMatchObject({ channel: "phone", customerId: caller.customer.id, requesterName: "Imogen Castellano", status: "open" });
});
