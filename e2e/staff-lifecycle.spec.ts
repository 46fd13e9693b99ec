import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "./fixtures/test";

/**
 * Staff lifecycle on /admin/staff: an administrator invites a person, the invitation link from the
 * fake mailbox sets their password, they sign in and work; the administrator deactivates them, and
 * their open page and every later sign-in are refused. Everyone changed here is someone this spec
 * made, so the demo people keep their state for the other specs.
 */

const status = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text });
/** The page's own alert (Next's route announcer is an empty role=alert too). */
const deadLink = (page: Page) => page.getByRole("alert").filter({ hasText: INVALID_LINK });
const INVALID_LINK = "This invitation link does not work: it may have expired, been used already, or been replaced by a newer one.";

test("invite → resend (old link dies) → accept from the emailed link → sign in → deactivated: the open page is signed out, sign-in refused, tickets back in the queue", async ({
  page,
  users,
  mailbox,
  db,
  newPage,
}) => {
  // One long journey through two browsers (two argon2 sign-ins, an account made, emails delivered).
  test.slow();
  const suffix = randomUUID().slice(0, 8);
  const name = `Quinn Invitee ${suffix}`;
  const email = `quinn-${suffix}@example.test`;
  const password = `copper-meadow-lantern-${suffix}`;

  await users.signIn(page, "admin");
  await page.goto("/admin/staff");
  const invite = page.getByRole("form", { name: "Invite a person" });
  await invite.getByLabel("Name").fill(name);
  await invite.getByLabel("Email address").fill(email);
  await invite.getByLabel("Role").selectOption("agent");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(status(page, `Invitation sent to ${email}. The link works for 72 hours.`)).toBeVisible();
  const pending = page.getByRole("list", { name: "Pending invitations" }).getByRole("listitem").filter({ hasText: email });
  await expect(pending).toContainText("Link expires");
  await expect(pending).toContainText(name);

  // The same address again: refused on the email field, nothing sent.
  await invite.getByLabel("Name").fill(name);
  await invite.getByLabel("Email address").fill(email);
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.getByRole("alert").filter({ hasText: `${email} already has a pending invitation` })).toBeVisible();
  await expect(invite.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");

  const first = mailbox.link(await mailbox.latest(email, { subject: /invited/ }), "/invitation");
  await pending.getByRole("button", { name: `Resend the invitation to ${email}` }).click();
  await expect(status(page, "A new invitation link was sent; the earlier link no longer works.")).toBeVisible();
  await expect.poll(async () => (await mailbox.all(email)).length, { timeout: 20_000 }).toBe(2);
  const second = mailbox.link(await mailbox.latest(email, { subject: /invited/ }), "/invitation");
  expect(second).not.toBe(first);

  const person = await newPage();
  await person.goto(first);
  await expect(deadLink(person)).toBeVisible();
  await expect(person.getByLabel("Password", { exact: true })).toHaveCount(0);

  await person.goto(second);
  await expect(person.getByRole("heading", { name: "Accept your invitation" })).toBeVisible();
  await expect(person.getByText(`Welcome, ${name}. You join as agent`)).toBeVisible();
  // A blocklisted password is refused on its field.
  await person.getByLabel("Password", { exact: true }).fill("password123");
  await person.getByLabel("Password again").fill("password123");
  await person.getByRole("button", { name: "Create my account" }).click();
  await expect(person.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await person.getByLabel("Password", { exact: true }).fill(password);
  await person.getByLabel("Password again").fill(password);
  await person.getByRole("button", { name: "Create my account" }).click();
  await expect(status(person, "Your account is ready")).toBeVisible();
  // Used: the link now answers like any dead one.
  await person.goto(second);
  await expect(deadLink(person)).toBeVisible();

  await users.signIn(person, { email, password });
  const agent = await db.user.findUniqueOrThrow({ where: { email } });
  expect(agent).toMatchObject({ name, role: "agent", disabledAt: null });
  const ticket = await db.ticket.create({ data: { subject: `Printer on fire ${suffix}`, channel: "email", status: "open", assigneeId: agent.id } });
  await person.goto(`/console/tickets/${ticket.id}`);
  await expect(person.getByRole("heading", { name: new RegExp(`Printer on fire ${suffix}`) })).toBeVisible();

  // The administrator deactivates them, after a confirm step that can be backed out of.
  await page.reload();
  await expect(page.getByRole("list", { name: "Pending invitations" }).getByRole("listitem").filter({ hasText: email })).toHaveCount(0);
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toContainText("Agent");
  await row.getByRole("button", { name: `Deactivate ${name}…` }).click();
  const confirm = row.getByRole("group", { name: `Deactivate ${name}?` });
  await expect(confirm).toBeFocused();
  await confirm.getByRole("button", { name: "Keep active" }).click();
  await expect(row.getByRole("button", { name: `Deactivate ${name}…` })).toBeFocused();
  expect((await db.user.findUniqueOrThrow({ where: { id: agent.id } })).disabledAt).toBeNull();
  await row.getByRole("button", { name: `Deactivate ${name}…` }).click();
  await row
    .getByRole("group", { name: `Deactivate ${name}?` })
    .getByRole("button", { name: `Deactivate ${name}`, exact: true })
    .click();
  await expect(
    status(page, `${name} was deactivated: they were signed out everywhere and can no longer sign in; 1 open ticket went back to the queue.`),
  ).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("Deactivated");

  // Their open page: the next request is refused and sent to sign-in.
  await person.reload();
  await expect(person).toHaveURL(/\/signin\?callbackUrl=/);
  await expect(person.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  // And signing in gets the same answer as a wrong password.
  await users.submitSignIn(person, { email, password });
  await expect(person.getByRole("alert").filter({ hasText: "That email and password do not match an account." })).toBeVisible();

  const after = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { messages: true } });
  expect(after.assigneeId).toBeNull();
  expect(after.messages.map((message) => [message.kind, message.body])).toEqual([["internal_note", `Returned to the queue: ${name} was deactivated`]]);
  const actions = (await db.auditEvent.findMany({ where: { OR: [{ subjectId: agent.id }, { subjectId: ticket.id }] }, select: { action: true } })).map(
    (event) => event.action,
  );
  expect(actions).toEqual(expect.arrayContaining(["staff.invitation_accepted", "user.deactivated", "ticket.assigned", "auth.sign_in_failed"]));

  // Reactivated, they can sign in again.
  await page
    .getByRole("row")
    .filter({ hasText: email })
    .getByRole("button", { name: `Reactivate ${name}` })
    .click();
  await expect(status(page, `${name} was reactivated`)).toBeVisible();
  await users.signIn(person, { email, password });
});

test("an administrator revokes an invitation and its link stops working; an agent cannot open /admin/staff", async ({ page, users, mailbox, newPage }) => {
  // Three browsers and two sign-ins: slower than one page on a loaded machine.
  test.slow();
  const suffix = randomUUID().slice(0, 8);
  const email = `rory-${suffix}@example.test`;
  await users.signIn(page, "admin");
  await page.goto("/admin/staff");
  const invite = page.getByRole("form", { name: "Invite a person" });
  await invite.getByLabel("Name").fill(`Rory ${suffix}`);
  await invite.getByLabel("Email address").fill(email);
  await invite.getByLabel("Role").selectOption("supervisor");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(status(page, `Invitation sent to ${email}.`)).toBeVisible();
  const link = mailbox.link(await mailbox.latest(email, { subject: /invited/ }), "/invitation");
  await page.getByRole("button", { name: `Revoke the invitation to ${email}` }).click();
  await expect(status(page, `The invitation to ${email} was revoked: its link no longer works.`)).toBeVisible();
  await expect(page.getByRole("list", { name: "Pending invitations" }).getByRole("listitem").filter({ hasText: email })).toHaveCount(0);
  const other = await newPage();
  await other.goto(link);
  await expect(deadLink(other)).toBeVisible();

  const agentPage = await newPage();
  await users.signIn(agentPage, "agent");
  expect((await agentPage.goto("/admin/staff"))?.status()).toBe(403);
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });
  test("/admin/staff with a confirm step open and /invitation do not scroll sideways", async ({ page, users }) => {
    const target = await users.create({ role: "agent" });
    await users.signIn(page, "admin");
    await page.goto("/admin/staff");
    await page.getByRole("button", { name: `Deactivate ${target.name}…` }).click();
    await expect(page.getByRole("group", { name: `Deactivate ${target.name}?` })).toBeVisible();
    for (const path of [null, "/invitation?token=nonsense"]) {
      if (path) await page.goto(path);
      const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
      expect(widths.document, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(390);
      expect(widths.body, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(390);
    }
  });
});
