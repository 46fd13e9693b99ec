import { randomUUID } from "node:crypto";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { hashPassword } from "../lib/identity/password";
import { demoAccount, signIn, signInAndWait, signInAs } from "./fixtures/auth";
import { e2eDb, seedCustomerWithAccount } from "./fixtures/db";

/**
 * Escalations end to end: an agent escalates, a supervisor claims it in /supervisor, overrides the
 * identity check with a written reason (shown as an override on the panel and the queue badge),
 * resolves it; two supervisors claiming at once; an agent refused the supervisor area.
 */

/** A phone ticket for a fresh customer (standard agreement): nothing about the caller is verified yet. */
async function phoneTicket(label: string) {
  const customer = await seedCustomerWithAccount(label);
  const subject = `Caller locked out ${label} ${randomUUID().slice(0, 8)}`;
  const ticket = await e2eDb().ticket.create({
    data: { subject, channel: "phone", status: "open", priority: "high", customerId: customer.customerId, requesterAddress: "+447700900555", requesterName: customer.user.name },
  });
  return { ticket, reference: `VD-${ticket.number}`, customer };
}

/** A supervisor of this run (the demo has one; the race needs two). */
async function extraSupervisor() {
  const id = randomUUID().slice(0, 8);
  const email = `casey.${id}@helpdesk.example`;
  const password = `e2e-supervisor-passphrase-${id}`;
  const name = `Casey Supervisor ${id}`;
  await e2eDb().user.create({ data: { email, name, role: "supervisor", passwordHash: await hashPassword(password), emailVerifiedAt: new Date() } });
  return { email, password, name };
}

async function newPage(browser: Browser) {
  const context = await browser.newContext();
  return context.newPage();
}

const feedback = (page: Page) => page.getByTestId("escalation-feedback");
const queueCard = (page: Page, reference: string) => page.getByRole("article", { name: new RegExp(`^${reference} `) });

test("an agent escalates an unverified caller; the supervisor claims, overrides the identity check with a reason, and resolves", async ({ page, browser }) => {
  const { ticket, reference } = await phoneTicket("escalate");
  const note = "Caller failed the SMS code three times and cannot give the account number.";
  const reason = "Recognised the caller's voice from last week's call and she confirmed the invoice totals.";

  // The agent escalates; an empty note is refused first, with a clear message.
  await page.goto("/signin");
  await signInAs(page, "agent");
  await page.goto(`/console/tickets/${ticket.id}`);
  const escalate = page.locator("#escalate");
  await escalate.getByLabel("Reason").selectOption({ label: "Identity could not be verified" });
  await escalate.getByRole("button", { name: "Escalate to a supervisor" }).click();
  await expect(escalate.getByRole("alert").filter({ hasText: "Say why you are escalating" })).toBeVisible();
  expect(await e2eDb().escalation.count({ where: { ticketId: ticket.id } })).toBe(0);
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
  const supervisor = await newPage(browser);
  await supervisor.goto("/signin");
  await signInAs(supervisor, "supervisor");
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
  expect(await e2eDb().identityCheck.count({ where: { ticketId: ticket.id } })).toBe(0);
  await override.getByLabel("Reason for the manual verification").fill(reason);
  await override.getByRole("button", { name: "Record manual verification" }).click();
  await expect(override.getByText("Manual verification recorded.", { exact: false })).toBeVisible();
  const panel = supervisor.getByRole("region", { name: "Who is this?" });
  await expect(panel.getByTestId("identity-override")).toContainText(`Verified manually by Jordan Lee (supervisor override): ${reason}`);
  await expect(panel.getByText("Verified manually", { exact: true })).toBeVisible();

  // The agent sees the override on the panel, and on the queue badge: never as an ordinary verification.
  await page.reload();
  await expect(page.getByRole("region", { name: "Who is this?" }).getByTestId("identity-override")).toContainText(`Verified manually by Jordan Lee (supervisor override): ${reason}`);
  await page.goto(`/console?status=all&q=${encodeURIComponent(ticket.subject)}`);
  const row = page.getByRole("table", { name: /tickets/i }).getByRole("row").filter({ hasText: ticket.subject });
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

  const db = e2eDb();
  const stored = await db.escalation.findFirstOrThrow({ where: { ticketId: ticket.id } });
  expect(stored).toMatchObject({ status: "resolved", reason: "identity_unverified", note, outcome: "Verified manually; agent to continue with the invoice export." });
  const check = await db.identityCheck.findFirstOrThrow({ where: { ticketId: ticket.id } });
  expect(check).toMatchObject({ method: "supervisor_override", outcome: "overridden", reason, conversationChannel: "phone" });
  const audit = await db.auditEvent.findMany({ where: { action: "identity.override", subjectId: ticket.id } });
  expect(audit).toHaveLength(1);
  expect(audit[0]!.details).toMatchObject({ reason, checkId: check.id });
  await supervisor.context().close();
});

test("two supervisors claim the same escalation at once: exactly one wins, the other is told who has it", async ({ browser }) => {
  const { ticket, reference } = await phoneTicket("race");
  const agent = await e2eDb().user.findUniqueOrThrow({ where: { email: demoAccount("agent").email } });
  const escalation = await e2eDb().escalation.create({ data: { ticketId: ticket.id, reason: "customer_request", note: "Wants a manager now.", raisedById: agent.id } });
  const casey = await extraSupervisor();
  const jordanUser = await e2eDb().user.findUniqueOrThrow({ where: { email: demoAccount("supervisor").email } });

  const jordan = await newPage(browser);
  await jordan.goto("/signin");
  await signInAs(jordan, "supervisor");
  const other = await newPage(browser);
  await other.goto("/signin");
  await signInAndWait(other, casey.email, casey.password);
  for (const page of [jordan, other]) {
    await page.goto("/supervisor");
    await expect(queueCard(page, reference).getByRole("button", { name: "Claim" })).toBeVisible();
  }

  await Promise.all([queueCard(jordan, reference).getByRole("button", { name: "Claim" }).click(), queueCard(other, reference).getByRole("button", { name: "Claim" }).click()]);
  const outcomes = await Promise.all(
    [jordan, other].map(async (page) => {
      await expect(feedback(page)).toHaveText(/^(You claimed the escalation of VD-\d+\.|Already claimed by .+\.)$/);
      return (await feedback(page).textContent())!;
    }),
  );
  const stored = await e2eDb().escalation.findUniqueOrThrow({ where: { id: escalation.id } });
  expect(stored.status).toBe("claimed");
  const winnerIsJordan = stored.assigneeId === jordanUser.id;
  const winnerName = winnerIsJordan ? jordanUser.name : casey.name;
  expect([...outcomes].sort()).toEqual([`Already claimed by ${winnerName}.`, `You claimed the escalation of ${reference}.`].sort());
  expect(outcomes[winnerIsJordan ? 0 : 1]).toBe(`You claimed the escalation of ${reference}.`);
  // The loser's card now says who holds it, without actions; one claim note, one audit event.
  const loser = winnerIsJordan ? other : jordan;
  await expect(queueCard(loser, reference)).toContainText(`Claimed by ${winnerName}: only they can act on it.`);
  expect(await e2eDb().auditEvent.count({ where: { action: "escalation.claimed", subjectId: escalation.id } })).toBe(1);
  expect(await e2eDb().ticketMessage.count({ where: { ticketId: ticket.id, kind: "internal_note", body: { startsWith: "Escalation claimed by" } } })).toBe(1);
  await jordan.context().close();
  await other.context().close();
});

test("a supervisor reassigns an escalated ticket from its page, and de-escalates another with a reason", async ({ page }) => {
  const agent = await e2eDb().user.findUniqueOrThrow({ where: { email: demoAccount("agent").email } });
  const sam = await e2eDb().user.findUniqueOrThrow({ where: { email: "sam.rivera@helpdesk.example" } });
  const first = await phoneTicket("reassign");
  const second = await phoneTicket("deescalate");
  const reassigned = await e2eDb().escalation.create({ data: { ticketId: first.ticket.id, reason: "technical", note: "Needs someone who knows exports.", raisedById: agent.id } });
  const dropped = await e2eDb().escalation.create({ data: { ticketId: second.ticket.id, reason: "customer_request", note: "Asked for a manager.", raisedById: agent.id } });

  await page.goto("/signin");
  await signInAs(page, "supervisor");
  await page.goto(`/console/tickets/${first.ticket.id}`);
  const banner = page.getByRole("region", { name: "Escalated" });
  await banner.getByRole("button", { name: "Claim" }).click();
  await expect(feedback(page)).toHaveText(`You claimed the escalation of ${first.reference}.`);
  await expect(banner).toContainText("Claimed by Jordan Lee · Technical");
  await banner.getByRole("button", { name: "Reassign…" }).click();
  await banner.getByRole("button", { name: "Reassign and resolve" }).click();
  await expect(banner.getByRole("alert").filter({ hasText: "Choose who takes the ticket." })).toBeVisible();
  await banner.getByLabel("Hand the ticket to").selectOption({ label: "Sam Rivera" });
  await banner.getByRole("button", { name: "Reassign and resolve" }).click();
  await expect(feedback(page)).toHaveText(`${first.reference} handed to Sam Rivera; escalation resolved.`);
  await expect(page.getByRole("region", { name: "Escalated" })).toHaveCount(0);
  await expect(page.getByText("· assigned to Sam Rivera")).toBeVisible();
  expect(await e2eDb().escalation.findUniqueOrThrow({ where: { id: reassigned.id } })).toMatchObject({ status: "resolved", outcome: "Reassigned to Sam Rivera", reassignedToId: sam.id });

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
  expect(await e2eDb().escalation.findUniqueOrThrow({ where: { id: dropped.id } })).toMatchObject({ status: "deescalated", outcome: "Spoke to the customer; the agent has it in hand." });
});

test("an automatic SLA escalation is labelled Automatic, and the queue works from the keyboard", async ({ page }) => {
  const { ticket, reference } = await phoneTicket("automatic");
  await e2eDb().escalation.create({
    data: { ticketId: ticket.id, reason: "sla_breached", note: "First response overdue.", automatic: true, slaEvent: "first_response_breach" },
  });

  await page.goto("/signin");
  await signInAs(page, "supervisor");
  await page.goto("/supervisor?filter=unclaimed");
  const card = queueCard(page, reference);
  await expect(card).toContainText("SLA breached");
  await expect(card.getByText("Automatic", { exact: true })).toBeVisible();
  await expect(card).toContainText("Raised automatically by the SLA job (first response breach)");

  // Claim with the keyboard, open "De-escalate…" with Enter, close it with Escape: focus returns to the button.
  await card.getByRole("button", { name: "Claim" }).focus();
  await page.keyboard.press("Enter");
  await expect(feedback(page)).toHaveText(`You claimed the escalation of ${reference}.`);
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

test("an agent cannot open the supervisor area: the 403 page, no queue", async ({ page }) => {
  await page.goto("/signin");
  await signIn(page, demoAccount("agent").email, demoAccount("agent").password);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const response = await page.goto("/supervisor");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Escalation queue" })).toHaveCount(0);
});
