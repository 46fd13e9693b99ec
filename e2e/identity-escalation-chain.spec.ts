import { expect, feedback, otherCode, queueCard, test } from "./fixtures/test";

/**
 * The whole chain of issue 5 in one browser test: an agent on a phone ticket cannot verify the
 * caller (three wrong SMS codes), escalates; a supervisor in another browser claims it and
 * overrides the identity check with a written reason; the agent's ticket and queue show the
 * override — always as an override, never as an ordinary verification.
 */
test("a caller fails three codes, the agent escalates, a supervisor claims and overrides; the agent sees the override on the ticket and in the queue", async ({
  page,
  users,
  callers,
  sms,
  db,
  newPage,
}) => {
  const caller = await callers.create("chain");
  const reference = `VD-${caller.ticket.number}`;
  const note = "Caller read back three wrong codes from the text message; says she has a new phone.";
  const reason = "Called her back on the number in the signed contract and she confirmed the last invoice amount.";
  const agentUser = await users.demoRecord("agent");
  const supervisorUser = await users.demoRecord("supervisor");

  // The agent opens "Verify caller" on the phone ticket and texts a code to the masked mobile.
  await users.signIn(page, "agent");
  await page.goto(`/console/tickets/${caller.ticket.id}#verify-caller`);
  const tool = page.getByRole("region", { name: "Verify caller" });
  await expect(tool).toBeVisible();
  await tool.getByRole("radio", { name: `Text message to ${caller.masked}` }).check();
  await tool.getByRole("button", { name: "Send code" }).click();
  await expect(tool.getByText(`Code sent by text message to ${caller.masked}`)).toBeVisible();
  const code = await sms.latestCode(caller.mobile);

  // Three wrong codes, each answered with the tries left; then the offer to escalate.
  const offer = tool.getByRole("status").filter({ hasText: "Still not verified" });
  for (const [attempt, left] of [
    [1, "4 tries left"],
    [2, "3 tries left"],
    [3, "2 tries left"],
  ] as const) {
    await tool.getByLabel("Code the customer reads back").fill(otherCode(code, attempt));
    await tool.getByRole("button", { name: "Check code" }).click();
    await expect(tool.getByRole("alert").filter({ hasText: `That code is not right. ${left}.` })).toBeVisible();
    if (attempt < 3) await expect(offer).toHaveCount(0);
  }
  await expect(offer).toContainText("3 wrong codes on this conversation.");
  await offer.getByRole("link", { name: "Escalate to a supervisor" }).click();
  await expect(page).toHaveURL(/#escalate$/);

  // The escalation form the link leads to: reason and note.
  const escalate = page.locator("#escalate");
  await escalate.getByLabel("Reason").selectOption({ label: "Identity could not be verified" });
  await escalate.getByLabel("Note for the supervisor").fill(note);
  await escalate.getByRole("button", { name: "Escalate to a supervisor" }).click();
  await expect(escalate.getByText("Escalated. A supervisor will pick it up from the escalation queue.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Escalated" })).toContainText("Waiting for a supervisor · Identity could not be verified");

  // A supervisor, in another browser, sees it in the queue and claims it; focus moves to the row's first new action.
  const supervisor = await newPage();
  await users.signIn(supervisor, "supervisor");
  await supervisor.goto("/supervisor");
  const card = queueCard(supervisor, reference);
  await expect(card).toContainText("Identity could not be verified");
  await expect(card).toContainText("Unclaimed");
  await expect(card).toContainText(note);
  await expect(card).toContainText("Raised by Alex Morgan");
  await card.getByRole("button", { name: "Claim" }).click();
  await expect(feedback(supervisor)).toHaveText(`You claimed the escalation of ${reference}.`);
  await expect(card).toContainText("Claimed by you");
  await expect(card.getByRole("button", { name: "Resolve…" })).toBeFocused();

  // On the ticket: the override is refused without a reason, then recorded with one.
  await card.getByRole("link", { name: new RegExp(`^${reference} `) }).click();
  await expect(supervisor.getByRole("region", { name: "Escalated" })).toContainText("Claimed by Jordan Lee · Identity could not be verified");
  const override = supervisor.locator("#identity-override");
  await override.getByRole("button", { name: "Record manual verification" }).click();
  await expect(override.getByRole("alert").filter({ hasText: "Explain why you are overriding the identity check" })).toBeVisible();
  expect(await db.identityCheck.count({ where: { ticketId: caller.ticket.id, method: "supervisor_override" } })).toBe(0);
  await override.getByLabel("Reason for the manual verification").fill(reason);
  await override.getByRole("button", { name: "Record manual verification" }).click();
  await expect(override.getByText("Manual verification recorded.", { exact: false })).toBeVisible();

  // The agent reloads the ticket: the identity panel shows the override, with who and why.
  await page.reload();
  const panel = page.getByRole("region", { name: "Who is this?" });
  const overrideLine = panel.getByTestId("identity-override");
  await expect(overrideLine).toContainText(`Verified manually by Jordan Lee (supervisor override): ${reason}`);
  await expect(overrideLine).toContainText(/\d{1,2} \w{3} \d{4}, \d\d:\d\d( UTC)?; counts for this conversation until \d{1,2} \w{3} \d{4}, \d\d:\d\d( UTC)?\./);
  await expect(panel.getByText("Verified manually", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Escalated" })).toContainText("Claimed by Jordan Lee");

  // The console queue row's badge says the same, never plain "Verified".
  await page.goto(`/console?status=all&channel=phone&q=${encodeURIComponent(caller.ticket.subject)}`);
  const row = page
    .getByRole("table", { name: /tickets/i })
    .getByRole("row")
    .filter({ hasText: caller.ticket.subject });
  await expect(row).toHaveCount(1);
  const badge = row.locator("span[title]").filter({ hasText: "Verified manually" });
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute("title", /identity verified manually by Jordan Lee \(supervisor override\)/);

  // What was stored: three failed code checks (no pass), one escalation claimed by the supervisor, one audited override.
  expect(await db.identityCheck.count({ where: { ticketId: caller.ticket.id, outcome: "passed" } })).toBe(0);
  const escalation = await db.escalation.findFirstOrThrow({ where: { ticketId: caller.ticket.id } });
  expect(escalation).toMatchObject({
    reason: "identity_unverified",
    note,
    status: "claimed",
    raisedById: agentUser.id,
    assigneeId: supervisorUser.id,
    automatic: false,
  });
  const check = await db.identityCheck.findFirstOrThrow({ where: { ticketId: caller.ticket.id, method: "supervisor_override" } });
  expect(check).toMatchObject({
    outcome: "overridden",
    reason,
    performedById: supervisorUser.id,
    customerId: caller.customer.id,
    conversationChannel: "phone",
  });
  const audits = await db.auditEvent.findMany({ where: { action: "identity.override", subjectId: caller.ticket.id } });
  expect(audits).toHaveLength(1);
  // The reason lives on the check (erasable); the append-only audit only says one was given.
  expect(audits[0]!.details).toMatchObject({ checkId: check.id, reasonGiven: true });
  expect(JSON.stringify(audits[0]!.details)).not.toContain(reason);
});
