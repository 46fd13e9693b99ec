import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { saveArticle, searchArticles } from "@/features/help-centre/articles";
import { deflectionFigures, recordSuggestionOpened } from "@/features/help-centre/deflection";
import { articleSchema } from "@/features/help-centre/schemas";

const word = () => `zq${randomUUID().replace(/-/g, "").slice(0, 10)}`;

describe("deflection", () => {
  it("suggests public articles matching any word of a subject, and counts an opened suggestion without a ticket as deflected", async () => {
    const staff = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Writer", role: "agent" } });
    const customer = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Customer", role: "customer" } });
    const term = word();
    const saved = await saveArticle(
      { userId: staff.id, name: staff.name, role: "agent" },
      articleSchema.parse({ title: `Printer ${term} offline`, slug: "", categoryId: "", locale: "en", body: "Restart it.", visibility: "public" }),
    );
    // A subject is not a search: any of its words may match.
    expect((await searchArticles({ query: `my ${term} will not print anything today`, audience: "public", match: "any" })).map((hit) => hit.id)).toContain(
      saved.articleId,
    );
    expect(await searchArticles({ query: `my ${term} will not print anything today`, audience: "public" })).toEqual([]);

    const from = new Date();
    const helped = customer;
    const filer = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Filer", role: "customer" } });
    const reloader = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Reloader", role: "customer" } });
    // Read it and went away (opened twice: one form).
    const helpedForm = randomUUID();
    await recordSuggestionOpened({ userId: helped.id, formKey: helpedForm, articleId: saved.articleId });
    await recordSuggestionOpened({ userId: helped.id, formKey: helpedForm, articleId: saved.articleId });
    // Read it and sent that very form.
    const filedForm = randomUUID();
    await recordSuggestionOpened({ userId: filer.id, formKey: filedForm, articleId: saved.articleId });
    await db.ticket.create({ data: { subject: "Still broken", channel: "web", requesterUserId: filer.id, idempotencyKey: filedForm } });
    // Read it, reloaded the page (a new form) and filed from there: not deflected either.
    await recordSuggestionOpened({ userId: reloader.id, formKey: randomUUID(), articleId: saved.articleId });
    await db.ticket.create({ data: { subject: "Still broken too", channel: "web", requesterUserId: reloader.id, idempotencyKey: randomUUID() } });

    const later = new Date(Date.now() + 2 * 3_600_000);
    const figures = await deflectionFigures({ from, to: later, now: later });
    expect(figures).toMatchObject({ formsWithSuggestionOpened: 3, deflected: 1 });
    // Within the grace hour a form may still be sent: not counted yet.
    expect(await deflectionFigures({ from, to: later })).toMatchObject({ formsWithSuggestionOpened: 0 });
  });
});
