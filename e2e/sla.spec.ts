import { E2E, expect, test } from "./fixtures/test";

const MINUTE = 60_000;
let noAgreementWarnBefore: number | null = null;

test.afterAll(async ({ db }) => {
  // Later specs share this database: the policy as it was (the appClock fixture puts the clock back).
  if (noAgreementWarnBefore !== null) await db.slaPolicy.update({ where: { scope: "no_agreement" }, data: { warnBeforeMinutes: noAgreementWarnBefore } });
});

test("a premium ticket gets due times; once the app clock passes the first-response target, both instances escalate it exactly once", async ({
  users,
  customers,
  appClock,
  db,
  newPage,
}) => {
  const customer = await customers.create("sla");
  await db.supportAgreement.updateMany({ where: { customerId: customer.customerId }, data: { tier: "premium" } });
  const premium = await db.slaPolicy.findUniqueOrThrow({ where: { scope: "premium" } });
  const subject = `Payroll export stuck ${customer.accountNumber}`;

  // The customer files a ticket in the portal (instance A).
  const customerPage = await newPage();
  await users.signIn(customerPage, customer.user);
  await customerPage.goto("/portal/tickets/new");
  await customerPage.getByLabel("Subject").fill(subject);
  await customerPage.getByLabel("Describe the problem or question").fill("The export has been at 99% since this morning.");
  await customerPage.getByRole("button", { name: "Submit ticket" }).click();
  await expect(customerPage.getByText(/Ticket VD-\d+ is open/)).toBeVisible();
  const ticketId = new URL(customerPage.url()).pathname.split("/").pop()!;
  // Customers are not shown SLA targets.
  await expect(customerPage.getByText(/First response due|SLA:/)).toHaveCount(0);

  const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  expect(ticket.slaScope).toBe("premium");
  expect(ticket.firstResponseDueAt).toEqual(new Date(ticket.createdAt.getTime() + premium.firstResponseMinutes * MINUTE));
  expect(ticket.resolutionDueAt).toEqual(new Date(ticket.createdAt.getTime() + premium.resolutionMinutes * MINUTE));

  // The supervisor sees the time left on the ticket page (instance B).
  const staff = await newPage({ baseURL: E2E.instanceB });
  await users.signIn(staff, "supervisor");
  await staff.goto(`/console/tickets/${ticketId}`);
  const slaLine = staff.getByTestId("sla-time-left");
  await expect(slaLine).toContainText("SLA: On track");
  await expect(slaLine).toContainText(/First response due in (1 h|\d+ min)/);

  // Move the app clock just past the first-response target: only the breach is due (the warning
  // window was skipped), and only tickets due within the last hour are touched.
  await appClock.move(ticket.firstResponseDueAt!.getTime() - Date.now() + 5_000);
  await expect.poll(() => db.escalation.count({ where: { ticketId, slaEvent: "first_response_breach" } }), { timeout: 20_000 }).toBe(1);
  // Let both instances (each sweeping every second) have several more goes at the same ticket.
  const auditsBefore = await db.auditEvent.count({ where: { action: "sla.escalated", subjectId: ticketId } });
  await staff.waitForTimeout(4_000);

  const escalations = await db.escalation.findMany({ where: { ticketId } });
  expect(escalations.map((e) => [e.slaEvent, e.reason, e.automatic, e.status])).toEqual([["first_response_breach", "sla_breached", true, "open"]]);
  expect(escalations[0]!.note).toMatch(/^First response due .* UTC was missed\.$/);
  expect(await db.ticketMessage.count({ where: { ticketId, kind: "internal_note", body: { startsWith: "Escalated automatically" } } })).toBe(1);
  expect(await db.auditEvent.count({ where: { action: "sla.escalated", subjectId: ticketId } })).toBe(1);
  expect(auditsBefore).toBe(1);

  // The ticket page says it is overdue and shows the automatic note.
  await staff.reload();
  await expect(slaLine).toContainText("SLA: Overdue");
  await expect(slaLine).toContainText(/First response overdue by \d+ min/);
  await expect(staff.getByText(/Escalated automatically: First response due .* was missed\./)).toHaveCount(1);

  // The supervisor's escalation queue lists it once, marked automatic.
  await staff.goto("/supervisor");
  const entries = staff.getByRole("article").filter({ hasText: subject });
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText("Automatic");
  await expect(entries).toContainText("first response breach");
});

test("the SLA policy form refuses a resolution target shorter than the first response and saves a valid change", async ({ page, users, db }) => {
  const before = await db.slaPolicy.findUniqueOrThrow({ where: { scope: "premium" } });
  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/sla");
  await expect(page.getByRole("heading", { name: "SLA policies" })).toBeVisible();

  const premiumForm = page.getByRole("form", { name: "Premium agreement policy" });
  await premiumForm.getByLabel("Resolve within").fill("30");
  await premiumForm.getByRole("button", { name: "Save premium policy" }).click();
  await expect(premiumForm.getByRole("alert").filter({ hasText: "Resolution target must be longer than the first-response target" })).toBeVisible();
  await expect(premiumForm.getByLabel("Resolve within")).toHaveAttribute("aria-invalid", "true");
  const after = await db.slaPolicy.findUniqueOrThrow({ where: { scope: "premium" } });
  expect(after).toEqual(before);

  // A valid change to another policy is saved and audited.
  const noAgreement = await db.slaPolicy.findUniqueOrThrow({ where: { scope: "no_agreement" } });
  noAgreementWarnBefore = noAgreement.warnBeforeMinutes;
  const auditCount = await db.auditEvent.count({ where: { action: "sla.policy_changed", subjectId: "no_agreement" } });
  const noAgreementForm = page.getByRole("form", { name: "No valid agreement policy" });
  await noAgreementForm.getByLabel("Warn before").fill(String(noAgreement.warnBeforeMinutes + 5));
  await noAgreementForm.getByRole("button", { name: "Save no-agreement policy" }).click();
  await expect(noAgreementForm.getByRole("status").filter({ hasText: "No valid agreement: policy saved." })).toBeVisible();
  expect((await db.slaPolicy.findUniqueOrThrow({ where: { scope: "no_agreement" } })).warnBeforeMinutes).toBe(noAgreement.warnBeforeMinutes + 5);
  expect(await db.auditEvent.count({ where: { action: "sla.policy_changed", subjectId: "no_agreement" } })).toBe(auditCount + 1);
});

test("setting a ticket to waiting on the customer pauses its resolution clock; setting it back to open moves the target later", async ({ page, users, db }) => {
  const now = Date.now();
  const resolutionDueAt = new Date(now + 8 * 60 * MINUTE);
  const ticket = await db.ticket.create({
    data: {
      subject: `Waiting on the customer ${now}`,
      channel: "phone",
      status: "open",
      slaScope: "premium",
      firstResponseAt: new Date(now),
      firstResponseDueAt: new Date(now + 60 * MINUTE),
      resolutionDueAt,
    },
  });
  await users.signIn(page, "agent");
  await page.goto(`/console/tickets/${ticket.id}`);
  const status = page.getByRole("combobox", { name: "Status", exact: true });
  await status.selectOption({ label: "Waiting on customer" });
  await expect(page.getByText("Status saved.")).toBeVisible();
  await expect.poll(async () => (await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).slaPausedAt).not.toBeNull();

  await page.reload();
  const slaLine = page.getByTestId("sla-time-left");
  await expect(slaLine).toContainText("SLA: Paused");
  await expect(slaLine).toContainText("SLA paused: waiting on customer");

  // Two hours of waiting (moved back in the database rather than waited for).
  await db.ticket.update({ where: { id: ticket.id }, data: { slaPausedAt: new Date(Date.now() - 120 * MINUTE) } });
  await page.getByRole("combobox", { name: "Status", exact: true }).selectOption({ label: "Open" });
  await expect(page.getByText("Status saved.")).toBeVisible();
  await expect.poll(async () => (await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).slaPausedAt).toBeNull();
  const resumed = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
  expect(resumed.resolutionDueAt!.getTime() - resolutionDueAt.getTime()).toBeGreaterThanOrEqual(120 * MINUTE);
  expect(resumed.resolutionDueAt!.getTime() - resolutionDueAt.getTime()).toBeLessThan(125 * MINUTE);
  await page.reload();
  await expect(page.getByTestId("sla-time-left")).toContainText("Resolution due in");
});
