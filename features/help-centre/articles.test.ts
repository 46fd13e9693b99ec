import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import {
  articleHistory,
  createCategory,
  publicArticle,
  publicHelpHome,
  publicSitemapEntries,
  draftFromAnswer,
  saveArticle,
  searchArticles,
  type StaffWriter,
  visitorKeyOf,
  voteOnArticle,
} from "@/features/help-centre/articles";
import { articleSchema } from "@/features/help-centre/schemas";

const word = () => `zq${randomUUID().replace(/-/g, "").slice(0, 10)}`;

async function writer(role: "agent" | "customer" = "agent"): Promise<StaffWriter> {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Kim Writer", role, emailVerifiedAt: new Date() } });
  return { userId: user.id, name: user.name, role };
}

const article = (values: Partial<Record<keyof typeof articleSchema.shape, unknown>>) =>
  articleSchema.parse({ title: "Untitled", slug: "", categoryId: "", locale: "en", body: "", visibility: "draft", ...values });

describe("help-centre articles", () => {
  it("keeps every save as a revision, and refuses a save made on a stale version", async () => {
    const staff = await writer();
    const created = await saveArticle(staff, article({ title: "Reset your password", body: "Use the link.", visibility: "draft" }));
    expect(created).toMatchObject({ version: 1, slug: expect.stringMatching(/^reset-your-password/) });
    const second = await saveArticle(
      staff,
      article({ articleId: created.articleId, expectedVersion: 1, title: "Reset your password", body: "Use the emailed link.", visibility: "public" }),
    );
    expect(second.version).toBe(2);
    await expect(
      saveArticle(staff, article({ articleId: created.articleId, expectedVersion: 1, title: "Mine", body: "Overwrites?", visibility: "public" })),
    ).rejects.toThrow("Someone saved this article since you opened it");
    const history = await articleHistory(created.articleId);
    expect(history.map((revision) => [revision.version, revision.editedBy, revision.visibility.after])).toEqual([
      [2, "Kim Writer", "public"],
      [1, "Kim Writer", "draft"],
    ]);
    expect(history[0]!.parts?.filter((part) => part.added).map((part) => part.value.trim())).toEqual(["emailed"]);
    expect(history[0]!.visibility).toEqual({ before: "draft", after: "public" });
  });

  it("is written by staff only", async () => {
    await expect(saveArticle(await writer("customer"), article({ title: "Sneaky" }))).rejects.toThrow("Only staff");
  });

  it("gives every article a free address in its language, and refuses a taken one that was asked for", async () => {
    const staff = await writer();
    const title = `Billing ${word()}`;
    const first = await saveArticle(staff, article({ title }));
    const second = await saveArticle(staff, article({ title }));
    expect(second.slug).toBe(`${first.slug}-2`);
    await expect(saveArticle(staff, article({ title: "Other", slug: first.slug }))).rejects.toThrow("Another article in this language has that address");
    // The same address in another language is another article (a translation may keep it).
    expect((await saveArticle(staff, article({ title: "Rechnung", slug: first.slug, locale: "de" }))).slug).toBe(first.slug);
  });

  it("finds public articles by full text, title first, with the matched words marked, and never drafts or internal ones", async () => {
    const staff = await writer();
    const term = word();
    const inTitle = await saveArticle(staff, article({ title: `How ${term} works`, body: "An overview.", visibility: "public" }));
    const inBody = await saveArticle(staff, article({ title: "Another topic", body: `Somewhere below we mention ${term} once.`, visibility: "public" }));
    await saveArticle(staff, article({ title: `Draft about ${term}`, body: "", visibility: "draft" }));
    const internal = await saveArticle(staff, article({ title: `Internal ${term} runbook`, body: "Staff only.", visibility: "internal" }));

    const hits = await searchArticles({ query: term, audience: "public", locales: ["en"] });
    expect(hits.map((hit) => hit.id)).toEqual([inTitle.articleId, inBody.articleId]);
    expect(hits[1]!.excerpt.filter((part) => part.match).map((part) => part.text)).toEqual([term]);
    // Staff also find internal ones (drafts only when asked).
    expect((await searchArticles({ query: term, audience: "staff" })).map((hit) => hit.id)).toContain(internal.articleId);
    expect(await searchArticles({ query: term, audience: "staff" })).toHaveLength(3);
    expect(await searchArticles({ query: term, audience: "staff", includeDrafts: true })).toHaveLength(4);
    // Only an exclusion is not a search (it would match every article).
    expect(await searchArticles({ query: `-${term}`, audience: "public" })).toEqual([]);
  });

  it("stems in the article's language, and an excerpt never carries the article's markup as markup", async () => {
    const staff = await writer();
    const term = word();
    const saved = await saveArticle(
      staff,
      article({ title: `Invoices ${term}`, body: `**Paying** <script>alert(1)</script> ${term} invoices`, visibility: "public" }),
    );
    const [hit] = await searchArticles({ query: `${term} pays`, audience: "public" });
    expect(hit?.id).toBe(saved.articleId);
    // Text parts only: the page renders them as text.
    expect(hit!.excerpt.map((part) => part.text).join("")).toContain("<script");
  });

  it("logs what people searched for and how many articles they found", async () => {
    const term = word();
    await searchArticles({ query: `  ${term.toUpperCase()} `, audience: "public", log: { source: "help" } });
    expect(await db.kbSearch.findFirst({ where: { query: term } })).toMatchObject({ resultCount: 0, source: "help" });
  });

  it("shows a public article in the viewer's language when translated, and nothing unpublished", async () => {
    const staff = await writer();
    const title = `Shipping ${word()}`;
    const english = await saveArticle(staff, article({ title, body: "Ships in 2 days.", visibility: "public" }));
    const german = await saveArticle(
      staff,
      article({ title: `Versand ${title}`, body: "Versand in 2 Tagen.", locale: "de", visibility: "public", translationOf: english.articleId }),
    );
    await expect(saveArticle(staff, article({ title: "Noch einmal", locale: "de", translationOf: english.articleId }))).rejects.toThrow(
      "already has a translation",
    );
    const draft = await saveArticle(staff, article({ title: `Draft ${word()}`, visibility: "draft" }));

    expect((await publicArticle(english.slug, "en"))?.id).toBe(english.articleId);
    expect((await publicArticle(german.slug, "de"))?.id).toBe(german.articleId);
    expect(await publicArticle(draft.slug, "en")).toBeNull();

    // One version per article in search: the viewer's first language it has, else the original.
    const term = title.split(" ")[1]!;
    const found = async (locales: string[]) => (await searchArticles({ query: term, audience: "public", locales })).map((hit) => hit.locale);
    expect(await found(["en-US", "en"])).toEqual(["en"]);
    expect(await found(["de-CH", "de"])).toEqual(["de"]);
    expect(await found(["fr"])).toEqual(["en"]);
    expect((await publicHelpHome(["en-US", "en"])).uncategorised.map((entry) => entry.title)).toContain(title);
    const inGerman = await publicHelpHome(["de-CH", "de", "en"]);
    const titles = inGerman.uncategorised.map((entry) => entry.title);
    expect(titles).toContain(`Versand ${title}`);
    expect(titles).not.toContain(title);
    const sitemap = (await publicSitemapEntries()).map((entry) => `${entry.locale}/${entry.slug}`);
    expect(sitemap).toEqual(expect.arrayContaining([`en/${english.slug}`, `de/${german.slug}`]));
    expect(sitemap).not.toContain(`en/${draft.slug}`);
  });

  it("groups public articles under their category on the front page", async () => {
    const staff = await writer();
    const category = await createCategory(staff, { name: `Accounts ${word()}`, slug: "", description: "" });
    const saved = await saveArticle(staff, article({ title: `Close your account ${word()}`, categoryId: category.id, visibility: "public" }));
    const home = await publicHelpHome(["en-US", "en"]);
    expect(home.categories.find((entry) => entry.id === category.id)?.articles.map((entry) => entry.id)).toEqual([saved.articleId]);
  });

  it("counts one helpful vote per visitor, which they may change, and only on public articles", async () => {
    const staff = await writer();
    const saved = await saveArticle(staff, article({ title: `Vote ${word()}`, visibility: "public" }));
    const visitor = visitorKeyOf(randomUUID());
    expect(visitor).not.toMatch(/^[0-9a-f-]{36}$/);
    expect(await voteOnArticle({ articleId: saved.articleId, visitorKey: visitor, helpful: true })).toEqual({ helpful: 1, unhelpful: 0 });
    expect(await voteOnArticle({ articleId: saved.articleId, visitorKey: visitor, helpful: true })).toEqual({ helpful: 1, unhelpful: 0 });
    expect(await voteOnArticle({ articleId: saved.articleId, visitorKey: visitor, helpful: false })).toEqual({ helpful: 0, unhelpful: 1 });
    expect(await voteOnArticle({ articleId: saved.articleId, visitorKey: visitorKeyOf(randomUUID()), helpful: true })).toEqual({ helpful: 1, unhelpful: 1 });
    const draft = await saveArticle(staff, article({ title: `Unpublished ${word()}` }));
    expect(await voteOnArticle({ articleId: draft.articleId, visitorKey: visitor, helpful: true })).toBeNull();
  });

  it("starts a draft from a staff answer only (not from a customer's message or an internal note)", async () => {
    const staff = await writer();
    const customer = await writer("customer");
    const ticket = await db.ticket.create({
      data: {
        subject: "Cannot print",
        channel: "web",
        messages: {
          create: [
            { kind: "public_reply", body: "My printer is broken", authorUserId: customer.userId },
            { kind: "internal_note", body: "Looks like a driver issue", authorUserId: staff.userId },
            { kind: "public_reply", body: "Install driver 4.2.", authorUserId: staff.userId },
          ],
        },
      },
      include: { messages: { orderBy: { body: "asc" } } },
    });
    const [answer, note, question] = ticket.messages;
    expect(await draftFromAnswer(answer!.id)).toEqual({ title: "Cannot print", body: "Install driver 4.2." });
    expect(await draftFromAnswer(question!.id)).toBeNull();
    expect(await draftFromAnswer(note!.id)).toBeNull();
  });
});
