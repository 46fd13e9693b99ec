import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures/test";

/**
 * Issue 15 item 1: an agent writes an article (live preview), publishes it; a visitor who is not
 * signed in finds it at /help by searching, reads it (no script from the Markdown survives), says
 * it helped; the sitemap lists it; the history shows what changed.
 */
test("an agent writes and publishes an article; a signed-out visitor finds it at /help, reads it and votes", async ({ page, users, newPage }) => {
  const term = `zq${randomUUID().replace(/-/g, "").slice(0, 8)}`;
  await users.signIn(page, "agent");
  await page.goto("/console/help-centre");
  await page.getByLabel("Name").fill(`Accounts ${term}`);
  await page.getByRole("button", { name: "Add category" }).click();
  await expect(page.getByText("Category added.")).toBeVisible();

  await page.getByRole("link", { name: "New article" }).click();
  await page.getByLabel("Title").fill(`Reset your ${term} password`);
  await page.getByLabel("Category").selectOption({ label: `Accounts ${term}` });
  await page.getByLabel("Article (Markdown)").fill(`# Steps\n\n1. Open **Forgot password**.\n2. Enter the ${term} code.\n\n<script>window.pwned = 1</script>`);
  await page.getByLabel("Add an image").setInputFiles({
    name: "steps.png",
    mimeType: "image/png",
    buffer: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64"),
  });
  await expect(page.getByRole("status").filter({ hasText: "steps.png added at the end of the article." })).toBeVisible();
  await expect(page.getByLabel("Article (Markdown)")).toHaveValue(/!\[steps\]\(\/help\/files\/[0-9a-f-]{36}\)$/);
  const preview = page.getByTestId("article-preview");
  await expect(preview.getByRole("heading", { name: "Steps" })).toBeVisible();
  await expect(preview.locator("strong")).toHaveText("Forgot password");
  await expect(preview).toContainText("<script>window.pwned = 1</script>");
  await page.getByRole("button", { name: "Save article" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Article created: saved as version 1." })).toBeVisible();
  // The notice is said once: the address drops ?saved=1 (a reload or a later save does not repeat it).
  await expect(page).toHaveURL(/\/console\/help-centre\/[0-9a-f-]{36}$/);
  await expect(page.getByText("Draft", { exact: true }).first()).toBeVisible();

  // A draft is not public.
  const visitor = await newPage();
  await visitor.goto(`/help?q=${term}`);
  await expect(visitor.getByRole("heading", { name: `No articles match “${term}”` })).toBeVisible();

  await page.getByLabel("Who can read it").selectOption("public");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Saved as version 2.")).toBeVisible();
  // After the save's refresh has landed (the header shows version 2), the notice is still the save's.
  await expect(page.getByText(/^Version 2, saved/)).toBeVisible();
  await expect(page.getByText("Saved as version 2.")).toBeVisible();
  await expect(page.getByText(/Article created/)).toHaveCount(0);

  // Signed out: search, open, read.
  await visitor.goto("/help");
  await expect(visitor.getByRole("button", { name: "Sign in" }).or(visitor.getByRole("link", { name: "Sign in" }))).toBeVisible();
  await expect(visitor.getByRole("region", { name: `Accounts ${term}` })).toContainText(`Reset your ${term} password`);
  await visitor.getByLabel("Search the help centre").fill(`${term} code`);
  await visitor.getByRole("button", { name: "Search" }).click();
  await expect(visitor.getByRole("heading", { name: `1 article matches “${term} code”` })).toBeVisible();
  await expect(visitor.locator("mark").first()).toHaveText(term);
  await visitor.getByRole("link", { name: `Reset your ${term} password` }).click();
  await expect(visitor).toHaveTitle(`Reset your ${term} password · Veridesk`);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(`Reset your ${term} password`);
  await expect(visitor.getByRole("heading", { name: "Steps", level: 2 })).toBeVisible();
  expect(await visitor.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  // The uploaded image loads for a signed-out reader (same origin, allowed by the page's CSP).
  const image = visitor.getByRole("img", { name: "steps" });
  await expect(image).toBeVisible();
  expect(await image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBe(1);
  const canonical = await visitor.locator('link[rel="canonical"]').getAttribute("href");
  expect(canonical).toMatch(new RegExp(`/help/articles/reset-your-${term}-password\\?lang=en$`));

  await visitor.getByRole("button", { name: "Yes, it helped" }).click();
  await expect(visitor.getByRole("status").filter({ hasText: "Thanks: glad it helped." })).toBeVisible();

  const sitemap = await visitor.request.get("/help/sitemap.xml");
  expect(sitemap.headers()["content-type"]).toContain("application/xml");
  expect(await sitemap.text()).toContain(`/help/articles/reset-your-${term}-password?lang=en`);

  // Staff see the vote and the history.
  await page.goto("/console/help-centre");
  await expect(page.getByRole("list", { name: "All articles" }).getByRole("listitem").filter({ hasText: term })).toContainText("helpful 1");
  await page.getByRole("link", { name: `Reset your ${term} password` }).click();
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { name: /^Version 2 by / })).toBeVisible();
  await expect(page.getByText("Visibility: Draft → Public")).toBeVisible();
});

test("a customer typing a new ticket's subject is offered a matching article; opening it is counted for deflection", async ({ page, customers, users, db }) => {
  const term = `zq${randomUUID().replace(/-/g, "").slice(0, 8)}`;
  const article = await db.kbArticle.create({
    data: {
      slug: `printer-${term}`,
      title: `Printer ${term} shows offline`,
      body: "Turn it off and on again.",
      visibility: "public",
      translationKey: randomUUID(),
    },
  });
  const customer = await customers.create("deflect");
  await users.signIn(page, customer.user);
  await page.goto("/portal/tickets/new");
  await page.getByLabel("Subject").fill(`My ${term} printer stopped`);
  const suggestions = page.getByRole("region", { name: "These articles may answer it already" });
  const link = suggestions.getByRole("link", { name: `Printer ${term} shows offline (opens in a new tab)` });
  await expect(link).toBeVisible();
  const [opened] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
  await expect(opened.getByRole("heading", { level: 1 })).toHaveText(`Printer ${term} shows offline`);
  await opened.close();
  await expect.poll(() => db.kbSuggestionOpen.count({ where: { userId: customer.user.id, articleId: article.id } })).toBe(1);
});

test("an agent inserts an article from the reply box, and turns an answer into a draft article", async ({ page, customers, users, db }) => {
  const term = `zq${randomUUID().replace(/-/g, "").slice(0, 8)}`;
  await db.kbArticle.create({
    data: {
      slug: `vpn-${term}`,
      title: `Connect to the ${term} VPN`,
      body: `Install the ${term} client, then sign in.`,
      visibility: "public",
      translationKey: randomUUID(),
    },
  });
  const customer = await customers.create("kbreply");
  const agent = await users.demoRecord("agent");
  const ticket = await db.ticket.create({
    data: {
      subject: `VPN ${term} will not connect`,
      channel: "web",
      status: "open",
      customerId: customer.customerId,
      requesterUserId: customer.user.id,
      requesterAddress: customer.primary,
      messages: { create: [{ kind: "public_reply", body: `Please reinstall the ${term} client and restart.`, authorUserId: agent.id }] },
    },
  });
  await users.signIn(page, "agent");
  await page.goto(`/console/tickets/${ticket.id}`);
  await page.getByText("Insert from the help centre").click();
  await page.getByLabel("Help-centre article").fill(term);
  await page.getByRole("button", { name: `Insert link: Connect to the ${term} VPN` }).click();
  await expect(page.getByLabel(/^Reply to /)).toHaveValue(new RegExp(`Connect to the ${term} VPN: http://localhost:\\d+/help/articles/vpn-${term}\\?lang=en`));
  await page.getByRole("button", { name: `Insert text: Connect to the ${term} VPN` }).click();
  await expect(page.getByLabel(/^Reply to /)).toHaveValue(new RegExp(`Install the ${term} client, then sign in\\.$`));

  await page.getByRole("link", { name: "Turn this answer into a help-centre article" }).click();
  await expect(page.getByRole("heading", { name: "New article" })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(`VPN ${term} will not connect`);
  await expect(page.getByLabel("Article (Markdown)")).toHaveValue(`Please reinstall the ${term} client and restart.`);
  await expect(page.getByLabel("Who can read it")).toHaveValue("draft");
});
