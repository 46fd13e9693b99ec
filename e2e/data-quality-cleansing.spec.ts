import { expect, test } from "./fixtures/test";

/**
 * Data cleansing and re-verification (issue 12, items 3 and 4): a supervisor applies the safe fixes
 * and undoes them, accepts a typo suggestion and rejects another, then sends a small email
 * campaign; the customer confirms from the emailed link and the campaign counts 1 verified.
 */

test("supervisor cleanses contacts and runs a re-verification campaign the customer answers", async ({ page, users, customers, mailbox, newPage, db }) => {
  test.setTimeout(240_000);
  const planted = await customers.createWithDataQualityIssues("cleanse");
  const untidyNormalized = planted.untidy.trim().toLowerCase();
  const addressOf = async (normalized: string) => (await db.customerEmail.findUnique({ where: { normalized } }))?.address;

  await users.signIn(page, "supervisor");
  await page.goto("/supervisor/data-quality/cleansing");
  await expect(page.getByRole("navigation", { name: "Data quality pages" }).getByRole("link", { name: "Cleansing" })).toHaveAttribute("aria-current", "page");

  // Safe fixes, then undone as one change.
  const safeFixes = page.getByRole("region", { name: "Safe fixes" });
  await expect(safeFixes.getByTestId("safe-fix-plan")).toContainText("Ready to fix");
  await safeFixes.getByRole("button", { name: "Apply safe fixes" }).click();
  await expect(safeFixes.getByRole("status").filter({ hasText: "Safe fixes:" })).toBeVisible();
  await expect.poll(() => addressOf(untidyNormalized)).toBe(planted.untidy.trim().replace(/@.*$/, `@${planted.domain}`));
  await safeFixes
    .getByRole("button", { name: /^Undo these fixes/ })
    .first()
    .click();
  await expect(safeFixes.getByText("Safe fixes undone")).toBeVisible();
  await expect.poll(() => addressOf(untidyNormalized)).toBe(planted.untidy);

  // Suggestions from the stored reasons.
  const suggestions = page.getByRole("region", { name: "Suggestions" });
  await suggestions.getByRole("button", { name: "Look for suggestions" }).click();
  await expect(suggestions.getByText(/open suggestions? \(/)).toBeVisible();
  await suggestions
    .getByRole("navigation", { name: "Suggestion kinds" })
    .getByRole("link", { name: /^Email address typo/ })
    .click();
  await expect(page).toHaveURL(/kind=email_typo/);
  const typo = suggestions.getByTestId("suggestion").filter({ hasText: planted.typo });
  await expect(typo.getByText(planted.typoFix)).toBeVisible();
  await typo.getByRole("button", { name: /^Accept/ }).click();
  await expect(suggestions.getByText("Typo fixed: the address is corrected.")).toBeVisible();
  await expect.poll(() => addressOf(planted.typoFix)).toBe(planted.typoFix);
  await expect(suggestions.getByTestId("suggestion").filter({ hasText: planted.typo })).toHaveCount(0);

  const keep = suggestions.getByTestId("suggestion").filter({ hasText: planted.keep });
  await keep.getByRole("button", { name: /^Reject/ }).click();
  await expect(suggestions.getByText(/Suggestion rejected/)).toBeVisible();
  expect(await addressOf(planted.keep)).toBe(planted.keep);
  await expect.poll(async () => (await db.cleansingSuggestion.findFirst({ where: { currentValue: planted.keep } }))?.status).toBe("rejected");

  // A small email campaign to the doubtful addresses (the rejected typo is still doubtful: 2 messages).
  // The demo data has doubtful addresses too; set them aside so the campaign is exactly this customer's.
  await db.customerEmail.updateMany({ where: { validity: "doubtful", verifiedAt: null, customerId: { not: planted.customerId } }, data: { validity: null } });
  await page.getByRole("navigation", { name: "Data quality pages" }).getByRole("link", { name: "Re-verification" }).click();
  await expect(page).toHaveURL(/\/supervisor\/data-quality\/campaigns$/);
  const form = page.getByRole("form", { name: "New re-verification campaign" });
  await expect(form.getByLabel("Doubtful after validation")).toBeChecked();
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("campaign-preview-counts")).toHaveText(/^2 messages would be sent; 0 of the 2 selected would be skipped\./);
  await expect(page.getByText("Cost class: email, free to send.")).toBeVisible();
  await page.getByRole("button", { name: "Send 2 requests" }).click();
  await expect(page.getByText(/Campaign started: 2 requests to send/)).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Sending verification requests" })).toHaveAttribute("aria-valuetext", /^Finished: 2 of 2/, {
    timeout: 30_000,
  });

  const email = await mailbox.latest(planted.doubtful, { subject: /^Confirm your contact details/ });
  const customer = await newPage();
  await customer.goto(mailbox.link(email, "/verify/contact"));
  await expect(customer.getByText("Your email address is confirmed.")).toBeVisible();

  await page.reload();
  const campaign = page.getByTestId("campaign").first();
  await expect(campaign.getByTestId("campaign-verified")).toHaveText("1");
  await expect(campaign.getByTestId("campaign-sent")).toHaveText("2");
});
