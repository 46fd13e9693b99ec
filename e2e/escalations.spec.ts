import { randomUUID } from "node:crypto";
import { expect, feedback, queueCard, test } from "./fixtures/test";

/**
 * Escalations end to end: an agent escalates, a supervisor claims it in /supervisor, overrides the
 * identity check with a written reason (shown as an override on the panel and the queue badge),
 * resolves it; two supervisors claiming at once; an agent refused the supervisor area.
 */

test("an agent escalates an unverified caller; the supervisor claims, overrides the identity check with a reason, and resolves", async ({
  page,
  users,
  escalations,
  db,
  newPage,
}) => {
  const { ticket, reference } = await escalations.phoneTicket("escalate");
  const note = "Caller failed the SMS code three times and cannot give the account number.";
  const reason = "Recognised the caller's voice from last week's call and she confirmed the invoice totals.";

  // The agent escalates; an empty note is refused first, with a clear message.
  await users.signIn(page, "agent");
  await page.goto(`/console/tickets/${ticket.id}`);
  const escalate = page.locator("#escalate");
  await escalate.getByLabel("Reason").selectOption({ label: "Identity could not be verified" });
  await escalate.getByRole("button", { name: "Escalate to a supervisor" }).click();
  await expect(escalate.getByRole("alert").filter({ hasText: "Say why you are escalating" })).toBeVisible();
  expect(await db.escalation.count({ where: { ticketId: ticket.id } })).toBe(0);
  await escalate.getByLabel("Note for the supervisor").fill(note);
  await escalate.getByRole("button", { name: "Escalate to a supervisor" }).click();
  await expect(escalate.getByText("Escalated. A supervisor will pick it up from the escalation queue.")).toBeVisible();
  const banner = page.getByRole("region", { name: "Escalated" });
  await expect(banner).toContainText("Waiting for a supervisor · Identity could not be verified");
  await expect(banner).toContainText(note);
  await expect(page.getByText(`Escalated to a supervisor: Identity could not be verified — ${note}`)).toBeVisible();
  // Agents do not get the supervisor's override.
  await expect(page.getByRole("button", { name: "Record manual verification" })).toHaveCount(0);

  // The supervisor finds it among the unclaimed escalations, with its reason, tier and SLA state, and claims it.
  const supervisor = await newPage();
  await users.signIn(supervisor, "supervisor");
  await supervisor.goto("/supervisor?filter=unclaimed");
  const card = queueCard(supervisor, reference);
  await expect(card).toContainText("Identity could not be verified");
  await expect(card).toContainText("Unclaimed");
  await expect(card).toContainText("Standard agreement");
  await expect(card).toContainText(note);
  await card.getByRole("button", { name: "Claim" }).click();
  await expect(feedback(supervisor)).toHaveText(`You claimed the escalation of ${reference}.`);
  await expect(queueCard(supervisor, reference)).toHaveCount(0);
  await supervisor.getByRole("link", { name: /^Claimed by me/ }).click();
  await expect(queueCard(supervisor, reference)).toContainText("Claimed by you");

  // On the ticket: the banner says who has it; the override needs a written reason.
  await supervisor.goto(`/console/tickets/${ticket.id}`);
  await expect(supervisor.getByRole("region", { name: "Escalated" })).toContainText("Claimed by Jordan Lee · Identity could not be verified");
  const override = supervisor.locator("#identity-override");
  await override.getByRole("button", { name: "Record manual verification" }).click();
  await expect(override.getByRole("alert").filter({ hasText: "Explain why you are overriding the identity check" })).toBeVisible();
  await override.getByLabel("Reason for the manual verification").fill("ok");
  await override.getByRole("button", { name: "Record manual verification" }).click();
  await expect(override.getByRole("alert").filter({ hasText: "Explain why you are overriding the identity check (at least 10 characters)." })).toBeVisible();
  expect(await db.identityCheck.count({ where: { ticketId: ticket.id } })).toBe(0);
  await override.getByLabel("Reason for the manual verification").fill(reason);
  await override.getByRole("button", { name: "Record manual verification" }).click();
  await expect(override.getByText("Manual verification recorded.", { exact: false })).toBeVisible();
  const panel = supervisor.getByRole("region", { name: "Who is this?" });
  await expect(panel.getByTestId("identity-override")).toContainText(`Verified manually by Jordan Lee (supervisor override): ${reason}`);
  await expect(panel.getByText("Verified manually", { exact: true })).toBeVisible();

  // The agent sees the override on the panel, and on the queue badge: never as an ordinary verification.
  await page.reload();
  await expect(page.getByRole("region", { name: "Who is this?" }).getByTestId("identity-override")).toContainText(
    `Verified manually by Jordan Lee (supervisor override): ${reason}`,
  );
  await page.goto(`/console?status=all&q=${encodeURIComponent(ticket.subject)}`);
  const row = page
    .getByRole("table", { name: /tickets/i })
    .getByRole("row")
    .filter({ hasText: ticket.subject });
  await expect(row.getByText("Verified manually")).toBeVisible();

  // The supervisor resolves it: an outcome is required.
  await supervisor.goto("/supervisor?filter=mine");
  const mine = queueCard(supervisor, reference);
  await mine.getByRole("button", { name: "Resolve…" }).click();
  await mine.getByRole("button", { name: "Resolve escalation" }).click();
  await expect(mine.getByRole("alert").filter({ hasText: "Write the outcome" })).toBeVisible();
  await mine.getByLabel("Outcome").fill("Verified manually; agent to continue with the invoice export.");
  await mine.getByRole("button", { name: "Resolve escalation" }).click();
  await expect(feedback(supervisor)).toHaveText(`Resolved the escalation of ${reference}.`);
  await expect(queueCard(supervisor, reference)).toHaveCount(0);

  // The ticket is no longer escalated; the thread keeps the whole story as internal notes.
  await page.goto(`/console/tickets/${ticket.id}`);
  await expect(page.getByRole("region", { name: "Escalated" })).toHaveCount(0);
  await expect(page.getByText("Escalation resolved by Jordan Lee: Verified manually; agent to continue with the invoice export.")).toBeVisible();
  await expect(page.getByText(`Identity verified manually by Jordan Lee (supervisor override): ${reason}`)).toBeVisible();

  const stored = await db.escalation.findFirstOrThrow({ where: { ticketId: ticket.id } });
  expect(stored).toMatchObject({
    status: "resolved",
    reason: "identity_unverified",
    note,
    outcome: "Verified manually; agent to continue with the invoice export.",
  });
  const check = await db.identityCheck.findFirstOrThrow({ where: { ticketId: ticket.id } });
  expect(check).toMatchObject({ method: "supervisor_override", outcome: "overridden", reason, conversationChannel: "phone" });
  const audit = await db.auditEvent.findMany({ where: { action: "identity.override", subjectId: ticket.id } });
  expect(audit).toHaveLength(1);
  // The reason lives on the check (erasable); the append-only audit only says one was given.
  expect(audit[0]!.details).toMatchObject({ reasonGiven: true, checkId: check.id });
  expect(JSON.stringify(audit[0]!.details)).not.toContain(reason);
});

test("two supervisors claim the same escalation at once: exactly one wins, the other is told who has it", async ({ users, escalations, db, newPage }) => {
  const { ticket, reference } = await escalations.phoneTicket("race");
  const agent = await users.demoRecord("agent");
  const escalation = await db.escalation.create({
    data: { ticketId: ticket.id, reason: "customer_request", note: "Wants a manager now.", raisedById: agent.id },
  });
  const casey = await users.create({ role: "supervisor" });
  const jordanUser = await users.demoRecord("supervisor");

  const jordan = await newPage();
  await users.signIn(jordan, "supervisor");
  const other = await newPage();
  await users.signIn(other, casey);
  for (const page of [jordan, other]) {
    await page.goto("/supervisor");
    await expect(queueCard(page, reference).getByRole("button", { name: "Claim" })).toBeVisible();
  }

  await Promise.all([
    queueCard(jordan, reference).getByRole("button", { name: "Claim" }).click(),
    queueCard(other, reference).getByRole("button", { name: "Claim" }).click(),
  ]);
  const outcomes = await Promise.all(
    [jordan, other].map(async (page) => {
      await expect(feedback(page)).toHaveText(/^(You claimed the escalation of VD-\d+\.|Already claimed by .+\.)$/);
      return (await feedback(page).textContent())!;
    }),
  );
  const stored = await db.escalation.findUniqueOrThrow({ where: { id: escalation.id } });
  expect(stored.status).toBe("claimed");
  const winnerIsJordan = stored.assigneeId === jordanUser.id;
  const winnerName = winnerIsJordan ? jordanUser.name : casey.name;
  expect([...outcomes].sort()).toEqual([`Already claimed by ${winnerName}.`, `You claimed the escalation of ${reference}.`].sort());
  expect(outcomes[winnerIsJordan ? 0 : 1]).toBe(`You claimed the escalation of ${reference}.`);
  // The loser's card now says who holds it, without actions; one claim note, one audit event.
  const loser = winnerIsJordan ? other : jordan;
  await expect(queueCard(loser, reference)).toContainText(`Claimed by ${winnerName}: only they can act on it.`);
  expect(await db.auditEvent.count({ where: { action: "escalation.claimed", subjectId: escalation.id } })).toBe(1);
  expect(await db.ticketMessage.count({ where: { ticketId: ticket.id, kind: "internal_note", body: { startsWith: "Escalation claimed by" } } })).toBe(1);
});

test("a supervisor reassigns an escalated ticket from its page, and de-escalates another with a reason", async ({ page, users, escalations, db }) => {
  const agent = await users.demoRecord("agent");
  const sam = await db.user.findUniqueOrThrow({ where: { email: "sam.rivera@helpdesk.example" } });
  const first = await escalations.phoneTicket("reassign");
  const second = await escalations.phoneTicket("deescalate");
  const reassigned = await db.escalation.create({
    data: { ticketId: first.ticket.id, reason: "technical", note: "Needs someone who knows exports.", raisedById: agent.id },
  });
  const dropped = await db.escalation.create({
    data: { ticketId: second.ticket.id, reason: "customer_request", note: "Asked for a manager.", raisedById: agent.id },
  });

  await users.signIn(page, "supervisor");
  await page.goto(`/console/tickets/${first.ticket.id}`);
  const banner = page.getByRole("region", { name: "Escalated" });
  await banner.getByRole("button", { name: "Claim" }).click();
  await expect(feedback(page)).toHaveText(`You claimed the escalation of ${first.reference}.`);
  await expect(banner).toContainText("Claimed by Jordan Lee · Technical");
  // The banner keeps the escalation: focus moves to its first new action.
  await expect(banner.getByRole("button", { name: "Resolve…" })).toBeFocused();
  await banner.getByRole("button", { name: "Reassign…" }).click();
  await banner.getByRole("button", { name: "Reassign and resolve" }).click();
  await expect(banner.getByRole("alert").filter({ hasText: "Choose who takes the ticket." })).toBeVisible();
  await banner.getByLabel("Hand the ticket to").selectOption({ label: "Sam Rivera" });
  await banner.getByRole("button", { name: "Reassign and resolve" }).click();
  await expect(feedback(page)).toHaveText(`${first.reference} handed to Sam Rivera; escalation resolved.`);
  await expect(page.getByRole("region", { name: "Escalated" })).toHaveCount(0);
  await expect(page.getByText("· assigned to Sam Rivera")).toBeVisible();
  expect(await db.escalation.findUniqueOrThrow({ where: { id: reassigned.id } })).toMatchObject({
    status: "resolved",
    outcome: "Reassigned to Sam Rivera",
    reassignedToId: sam.id,
  });

  await page.goto("/supervisor");
  const card = queueCard(page, second.reference);
  await card.getByRole("button", { name: "Claim" }).click();
  await expect(feedback(page)).toHaveText(`You claimed the escalation of ${second.reference}.`);
  await card.getByRole("button", { name: "De-escalate…" }).click();
  await card.getByRole("button", { name: "De-escalate", exact: true }).click();
  await expect(card.getByRole("alert").filter({ hasText: "Say why this no longer needs a supervisor" })).toBeVisible();
  await card.getByLabel("Why it no longer needs a supervisor").fill("Spoke to the customer; the agent has it in hand.");
  await card.getByRole("button", { name: "De-escalate", exact: true }).click();
  await expect(feedback(page)).toHaveText(`De-escalated ${second.reference}.`);
  await expect(queueCard(page, second.reference)).toHaveCount(0);
  expect(await db.escalation.findUniqueOrThrow({ where: { id: dropped.id } })).toMatchObject({
    status: "deescalated",
    outcome: "Spoke to the customer; the agent has it in hand.",
  });
});

test("an automatic SLA escalation is labelled Automatic, and the queue works from the keyboard", async ({ page, users, escalations, db }) => {
  const { ticket, reference } = await escalations.phoneTicket("automatic");
  await db.escalation.create({
    data: { ticketId: ticket.id, reason: "sla_breached", note: "First response overdue.", automatic: true, slaEvent: "first_response_breach" },
  });

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor?filter=unclaimed");
  const card = queueCard(page, reference);
  await expect(card).toContainText("SLA breached");
  await expect(card.getByText("Automatic", { exact: true })).toBeVisible();
  await expect(card).toContainText("Raised automatically by the SLA job (first response breach)");

  // Claim with the keyboard, open "De-escalate…" with Enter, close it with Escape: focus returns to the button.
  await card.getByRole("button", { name: "Claim" }).focus();
  await page.keyboard.press("Enter");
  await expect(feedback(page)).toHaveText(`You claimed the escalation of ${reference}.`);
  // The card left the "Unclaimed" list with its button: focus is on the announced result, not lost.
  await expect(queueCard(page, reference)).toHaveCount(0);
  await expect(feedback(page).locator('[tabindex="-1"]')).toBeFocused();
  await page.goto("/supervisor?filter=mine");
  const mine = queueCard(page, reference);
  await mine.getByRole("button", { name: "De-escalate…" }).focus();
  await page.keyboard.press("Enter");
  await expect(mine.getByLabel("Why it no longer needs a supervisor")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(mine.getByLabel("Why it no longer needs a supervisor")).toHaveCount(0);
  await expect(mine.getByRole("button", { name: "De-escalate…" })).toBeFocused();
  await expect(mine.getByRole("button", { name: "De-escalate…" })).toHaveAttribute("aria-expanded", "false");

  // On the ticket page the banner says so too.
  await page.goto(`/console/tickets/${ticket.id}`);
  await expect(page.getByRole("region", { name: "Escalated" })).toContainText("Claimed by Jordan Lee · SLA breached · Automatic");
});

test("a supervisor takes over an absent colleague's claim, is told when the colleague got there first, and releases one back to the queue", async ({
  page,
  users,
  escalations,
  db,
  newPage,
}) => {
  const agent = await users.demoRecord("agent");
  const jordan = await users.demoRecord("supervisor");
  const casey = await users.create({ role: "supervisor" });
  const away = await escalations.phoneTicket("takeover");
  const racing = await escalations.phoneTicket("takeover-race");
  const [awayEscalation, racingEscalation] = await Promise.all(
    [away, racing].map(({ ticket }) =>
      db.escalation.create({
        data: {
          ticketId: ticket.id,
          reason: "technical",
          note: "Export fails for this account.",
          raisedById: agent.id,
          status: "claimed",
          assigneeId: casey.id,
          claimedAt: new Date(),
        },
      }),
    ),
  );

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor");
  const card = queueCard(page, away.reference);
  await expect(card).toContainText(`Claimed by ${casey.name}: only they can act on it.`);
  await expect(card.getByRole("button", { name: "Resolve…" })).toHaveCount(0);

  // From the keyboard: "Take over…" asks first; Escape backs out; Enter twice takes it over.
  await card.getByRole("button", { name: "Take over…" }).focus();
  await page.keyboard.press("Enter");
  await expect(card).toContainText(`If ${casey.name} is away, take it over`);
  await expect(card.getByRole("button", { name: `Take over from ${casey.name}` })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(card.getByRole("button", { name: `Take over from ${casey.name}` })).toHaveCount(0);
  await expect(card.getByRole("button", { name: "Take over…" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await expect(feedback(page)).toHaveText(`You took over the escalation of ${away.reference} from ${casey.name}.`);
  await expect(card).toContainText("Claimed by you");
  await expect(card.getByRole("button", { name: "Resolve…" })).toBeFocused();
  expect(await db.escalation.findUniqueOrThrow({ where: { id: awayEscalation!.id } })).toMatchObject({ status: "claimed", assigneeId: jordan.id });
  const [takenOver, ...moreTakeOvers] = await db.auditEvent.findMany({ where: { action: "escalation.taken_over", subjectId: awayEscalation!.id } });
  expect(moreTakeOvers).toEqual([]);
  expect(takenOver).toMatchObject({ actorUserId: jordan.id, details: { ticketId: away.ticket.id, fromUserId: casey.id, toUserId: jordan.id } });
  expect(
    await db.ticketMessage.count({
      where: { ticketId: away.ticket.id, kind: "internal_note", body: `Escalation taken over by Jordan Lee from ${casey.name}.` },
    }),
  ).toBe(1);

  // Jordan opens "Take over…" on the other one; meanwhile Casey, back at their desk, resolves it.
  const racingCard = queueCard(page, racing.reference);
  await racingCard.getByRole("button", { name: "Take over…" }).click();
  const caseyPage = await newPage();
  await users.signIn(caseyPage, casey);
  await caseyPage.goto("/supervisor?filter=mine");
  await expect(queueCard(caseyPage, away.reference)).toHaveCount(0);
  const caseyCard = queueCard(caseyPage, racing.reference);
  await caseyCard.getByRole("button", { name: "Resolve…" }).click();
  await caseyCard.getByLabel("Outcome").fill("Re-ran the export by hand.");
  await caseyCard.getByRole("button", { name: "Resolve escalation" }).click();
  await expect(feedback(caseyPage)).toHaveText(`Resolved the escalation of ${racing.reference}.`);

  // Jordan's take-over is refused with what happened, and focus goes to that answer.
  await racingCard.getByRole("button", { name: `Take over from ${casey.name}` }).click();
  await expect(feedback(page)).toHaveText(`${casey.name} resolved it a moment ago: nothing to take over.`);
  await expect(feedback(page).locator('[tabindex="-1"]')).toBeFocused();
  await expect(queueCard(page, racing.reference)).toHaveCount(0);
  expect(await db.escalation.findUniqueOrThrow({ where: { id: racingEscalation!.id } })).toMatchObject({
    status: "resolved",
    assigneeId: casey.id,
    outcome: "Re-ran the export by hand.",
  });
  expect(await db.auditEvent.count({ where: { action: "escalation.taken_over", subjectId: racingEscalation!.id } })).toBe(0);

  // Jordan hands the first one back: waiting again, and focus is on its Claim button.
  await card.getByRole("button", { name: "Release to the queue" }).click();
  await expect(feedback(page)).toHaveText(`Released ${away.reference}: it is waiting for a supervisor again.`);
  await expect(card).toContainText("Unclaimed");
  await expect(card.getByRole("button", { name: "Claim" })).toBeFocused();
  expect(await db.escalation.findUniqueOrThrow({ where: { id: awayEscalation!.id } })).toMatchObject({
    status: "open",
    assigneeId: null,
    claimedAt: null,
  });
  expect(await db.auditEvent.count({ where: { action: "escalation.released", subjectId: awayEscalation!.id } })).toBe(1);
});

test("the queue pages oldest first with Next page, keeping the filter; the counts stay exact", async ({ page, users, db }) => {
  const agent = await users.demoRecord("agent");
  const casey = await users.create({ role: "supervisor" });
  const label = randomUUID().slice(0, 6);
  const tickets = await db.ticket.createManyAndReturn({
    data: Array.from({ length: 52 }, (_, index) => ({
      subject: `Paging ${label} #${String(index + 1).padStart(2, "0")}`,
      channel: "phone" as const,
      status: "open" as const,
    })),
    select: { id: true, number: true, subject: true },
  });
  tickets.sort((a, b) => a.subject.localeCompare(b.subject));
  const base = Date.now() - 3_600_000;
  // Raised a second apart, in subject order; #26 and #27 at the same instant (the id breaks the tie).
  const created = await db.escalation.createManyAndReturn({
    data: tickets.map((ticket, index) => {
      const raisedAt = new Date(base + (index === 26 ? 25 : index) * 1000);
      return {
        ticketId: ticket.id,
        reason: "technical" as const,
        note: `Paging ${index + 1}`,
        raisedById: agent.id,
        raisedAt,
        status: "claimed" as const,
        assigneeId: casey.id,
        claimedAt: raisedAt,
      };
    }),
    select: { id: true, ticketId: true, raisedAt: true },
  });
  const order = [...created].sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime() || a.id.localeCompare(b.id));
  const subjectOf = new Map(tickets.map((ticket) => [ticket.id, ticket.subject]));
  const expectedSubjects = order.map((row) => subjectOf.get(row.ticketId)!);
  try {
    await users.signIn(page, casey);
    await page.goto("/supervisor?filter=mine");
    const mineTab = page.getByRole("navigation", { name: "Escalation filters" }).getByRole("link", { name: /^Claimed by me/ });
    await expect(mineTab).toHaveText(/^Claimed by me\s*52$/);
    const cards = page.getByRole("list", { name: "Escalations, oldest first" }).getByRole("heading", { level: 3 });
    const pages = page.getByRole("navigation", { name: "Escalation pages" });
    await expect(cards).toHaveCount(50);
    expect((await cards.allTextContents()).map((text) => text.replace(/^VD-\d+ /, ""))).toEqual(expectedSubjects.slice(0, 50));
    await expect(pages).toContainText("Showing 1–50 of 52, oldest first");
    await expect(pages.getByRole("link", { name: "First page" })).toHaveCount(0);

    await pages.getByRole("link", { name: "Next page" }).click();
    await expect(page).toHaveURL(/\/supervisor\?filter=mine&after=/);
    await expect(cards).toHaveCount(2);
    expect((await cards.allTextContents()).map((text) => text.replace(/^VD-\d+ /, ""))).toEqual(expectedSubjects.slice(50));
    await expect(pages).toContainText("Showing 51–52 of 52, oldest first");
    await expect(mineTab).toHaveAttribute("aria-current", "page");
    await expect(mineTab).toHaveText(/^Claimed by me\s*52$/);
    await expect(pages.getByRole("link", { name: "Next page" })).toHaveCount(0);

    await pages.getByRole("link", { name: "First page" }).click();
    await expect(page).toHaveURL(/\/supervisor\?filter=mine$/);
    await expect(cards).toHaveCount(50);
  } finally {
    // These would push later specs' escalations off the first "All open" page.
    await db.escalation.updateMany({
      where: { id: { in: created.map((row) => row.id) } },
      data: { status: "resolved", resolvedAt: new Date(), outcome: "e2e paging cleanup" },
    });
  }
});

test("an agent cannot open the supervisor area: the 403 page, no queue", async ({ page, users }) => {
  await users.submitSignIn(page, "agent");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const response = await page.goto("/supervisor");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Escalation queue" })).toHaveCount(0);
});
