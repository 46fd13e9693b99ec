import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/platform/auth/guard";
import { searchParamText } from "@/platform/text/schemas";
import { Badge } from "@/ui/badge";
import { ButtonLink } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { searchArticles, staffArticleList, listCategories } from "@/features/help-centre/articles";
import { CategoryForm } from "@/features/help-centre/components/category-form";
import { ExcerptText } from "@/features/help-centre/components/excerpt";
import { VISIBILITY_LABEL, VISIBILITY_TONE } from "@/features/help-centre/visibility";

export const metadata: Metadata = { title: "Help centre" };

export default async function HelpCentreAdminPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("console");
  const query = searchParamText((await searchParams).q, 200) ?? "";
  const [articles, categories, hits] = await Promise.all([
    staffArticleList(),
    listCategories(),
    query ? searchArticles({ query, audience: "staff", includeDrafts: true, take: 20, log: false }) : Promise.resolve(null),
  ]);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Help centre"
        description="Articles customers read at /help before they file a ticket, and internal answers for agents."
        actions={
          <div className="flex flex-wrap gap-2">
            <ButtonLink href="/help" variant="secondary">
              Open the public help centre
            </ButtonLink>
            <ButtonLink href="/console/help-centre/new">New article</ButtonLink>
          </div>
        }
      />
      <div className="flex flex-col gap-4">
        <Panel id="kb-articles" title="Articles">
          <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-2">
            <div className="flex min-w-0 flex-1 flex-col gap-1">
              <label htmlFor="kb-search" className="text-sm font-medium">
                Search articles
              </label>
              <input id="kb-search" name="q" type="search" defaultValue={query} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
            </div>
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-50">
              Search
            </button>
          </form>
          {hits ? (
            hits.length === 0 ? (
              <p className="text-sm text-slate-600">No article matches “{query}”.</p>
            ) : (
              <ol aria-label="Search results" className="flex flex-col gap-3">
                {hits.map((hit) => (
                  <li key={hit.id} className="rounded-lg border border-slate-200 p-3">
                    <Link href={`/console/help-centre/${hit.id}`} className="font-semibold text-brand-700 hover:underline">
                      {hit.title}
                    </Link>{" "}
                    <Badge tone={VISIBILITY_TONE[hit.visibility]}>{VISIBILITY_LABEL[hit.visibility]}</Badge>
                    <p className="mt-1 text-sm text-slate-700">
                      <ExcerptText excerpt={hit.excerpt} />
                    </p>
                  </li>
                ))}
              </ol>
            )
          ) : articles.length === 0 ? (
            <p className="text-sm text-slate-600">No articles yet. Write the answers agents give most often first.</p>
          ) : (
            <ul aria-label="All articles" className="divide-y divide-slate-100">
              {articles.map((article) => (
                <li key={article.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                  <span className="min-w-0 [overflow-wrap:anywhere]">
                    <Link href={`/console/help-centre/${article.id}`} className="font-semibold text-brand-700 hover:underline">
                      {article.title}
                    </Link>
                    <span className="block text-sm text-slate-600">
                      {article.category?.name ?? "No category"} · {article.locale} · updated <LocalTime value={article.updatedAt} ageAt={now} /> · helpful{" "}
                      {article.helpfulCount}, not helpful {article.unhelpfulCount}
                    </span>
                  </span>
                  <Badge tone={VISIBILITY_TONE[article.visibility]}>{VISIBILITY_LABEL[article.visibility]}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel id="kb-categories" title="Categories" description="Group public articles on the help centre's front page.">
          {categories.length > 0 ? (
            <ul className="mb-4 flex flex-wrap gap-2">
              {categories.map((category) => (
                <li key={category.id}>
                  <Badge tone="neutral">{category.name}</Badge>
                </li>
              ))}
            </ul>
          ) : null}
          <CategoryForm />
        </Panel>
      </div>
    </>
  );
}
