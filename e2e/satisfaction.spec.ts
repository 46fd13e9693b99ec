import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Satisfaction ratings and the report (issue 15 items 3–4): an agent solves a portal ticket, the
 * customer opens the Good / Bad link from the email (opening it records nothing), rates it once
 * with a comment; a second rating and a rating by another account are refused; the agent sees the
 * rating on the ticket and in the queue; a supervisor reads it in the report, with the help
 * centre's search that found nothing, and exports a table as CSV.
 */
test("a solved ticket is rated once from the email by its requester, and the report shows it", async ({ users, customers, db, mailbox, newPage }) => {
  const customer = await customers.create("csat");
  const portal = await newPage();
  await users.signIn(portal, customer.user);
  await portal.goto("/portal/tickets/new");
  const subject = `Scanner jams ${customer.accountNumber}`;
  await portal.getByLabel("Subject").fill(subject);
  await portal.getByLabel("Describe the problem or question").fill("Every third page jams.");
  await portal.getByRole("button", { name: "Submit ticket" }).click();
  await expect(portal.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(portal.url()).pathname.split("/").pop()!;
  const { number } = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });

  // The agent who solves it is the one credited (the assignee).
  const dana = await users.create({ role: "agent", name: `Dana Rater ${randomUUID().slice(0, 6)}` });
  await db.ticket.update({ where: { id: ticketId }, data: { assigneeId: dana.id } });
  const agent = await newPage();
  await users.signIn(agent, dana);
  await agent.goto(`/console/tickets/${ticketId}`);
  await agent.getByLabel(`Reply to ${customer.primary}`).fill("Cleaned the rollers; it feeds cleanly now.");
  await agent.getByRole("button", { name: "Send and mark solved" }).click();
  await expect(agent.getByText("Ticket marked solved.")).toBeVisible();

  const email = await mailbox.latest(customer.primary, { subject: new RegExp(`^\\[VD-${number}\\] How did we do\\?`) });
  const link = mailbox.link(email, "/rate");
  expect(email.text).toContain("rating=bad");
  expect(email.text).toContain("/rate/unsubscribe?token=");

  // Opened by someone else's account: refused, and opening it recorded nothing.
  const stranger = await customers.create("csat-other");
  const other = await newPage();
  await users.signIn(other, stranger.user);
  await other.goto(`${link}&rating=good`);
  await expect(other.getByText("This ticket was opened by another account, and only the person who opened it can rate it.")).toBeVisible();
  await expect(other.getByRole("button", { name: "Send rating" })).toHaveCount(0);

  // The requester: the choice from the link is preselected; nothing is recorded until the button.
  await portal.goto(`${link}&rating=bad`);
  await expect(portal.getByRole("heading", { name: "Rate our help" })).toBeVisible();
  await expect(portal.getByRole("radio", { name: "Bad" })).toBeChecked();
  expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId } })).rating).toBeNull();
  await portal.getByRole("radio", { name: "Good" }).check();
  await portal.getByLabel("Comment (optional)").fill("Quick and friendly.");
  await portal.getByRole("button", { name: "Send rating" }).click();
  await expect(portal.getByText("Your rating (Good) is recorded.")).toBeVisible();
  expect(await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId } })).toMatchObject({ rating: "good", comment: "Quick and friendly." });

  // A second rating from the same link is refused.
  await portal.goto(`${link}&rating=bad`);
  await expect(portal.getByText("This ticket has already been rated.")).toBeVisible();
  await expect(portal.getByRole("button", { name: "Send rating" })).toHaveCount(0);
  expect((await db.satisfactionSurvey.findUniqueOrThrow({ where: { ticketId } })).rating).toBe("good");

  // The agent sees it on the ticket and in the queue.
  await agent.reload();
  await expect(agent.getByRole("region", { name: "Satisfaction" }).getByText("Rated good")).toBeVisible();
  await expect(agent.getByText("Quick and friendly.")).toBeVisible();
  await agent.goto("/console?status=solved&assignee=me");
  await expect(agent.getByRole("row").filter({ hasText: subject }).getByText("Rated good")).toBeVisible();

  // A help-centre search that finds nothing, for the report's "what to write next".
  const nothing = `zqxv${randomUUID().slice(0, 6)}`;
  const visitor = await newPage();
  await visitor.goto(`/help?q=${nothing}`);

  const supervisor = await newPage();
  await users.signIn(supervisor, await users.create({ role: "supervisor" }));
  await supervisor.goto("/supervisor/satisfaction");
  await expect(supervisor.getByRole("heading", { name: "Satisfaction and help centre" })).toBeVisible();
  const agents = supervisor.getByRole("region", { name: "Satisfaction per agent" }).first();
  await expect(agents.getByRole("row", { name: new RegExp(`^${dana.name} 1 1 1 0 100%$`) })).toBeVisible();
  await expect(agents.getByRole("img", { name: /Ratings per agent: .*1 good, 0 bad/ })).toBeVisible();
  const paths = supervisor.getByRole("region", { name: "Satisfaction per identity path" }).first();
  await expect(paths.getByRole("row", { name: /^Self-verified \d+/ })).toBeVisible();
  await expect(supervisor.getByRole("region", { name: "Top searches with no result" }).first().getByRole("rowheader", { name: nothing })).toBeVisible();

  const download = supervisor.waitForEvent("download");
  await agents.getByRole("link", { name: "Export CSV of Satisfaction per agent" }).click();
  const csv = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of csv) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString("utf8")).toContain(`${dana.name},1,1,1,0,1.000`);
});
