import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { publicBaseUrl } from "@/platform/env";
import { requestIp } from "@/platform/auth/guard";
import { searchParamText } from "@/platform/text/schemas";
import { PageHeader } from "@/ui/page-header";
import { publicHelpHome, searchArticles } from "@/features/help-centre/articles";
import { ExcerptText } from "@/features/help-centre/components/excerpt";
import { viewerLocales } from "@/features/help-centre/locale";

export async function generateMetadata(): Promise<Metadata> {
  return {
    title: "Help centre",
    description: "Answers to common questions, before you need to contact support.",
    alternates: { canonical: `${publicBaseUrl()}/help` },
  };
}

/** /help: public, no sign-in. The search box, then the public articles by category (in the viewer's language when translated). */
export default async function HelpHomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const query = searchParamText(params.q, 200).trim();
  const locales = await viewerLocales(searchParamText(params.lang, 10));
  const [home, hits] = await Promise.all([
    query ? null : publicHelpHome(locales),
    query ? searchArticles({ query, audience: "public", locales, take: 20, log: { source: "help", ip: await requestIp() } }) : null,
  ]);
  return (
    <>
      <PageHeader title="Help centre" description="Search our answers, or browse them by topic. Still stuck? Sign in and open a ticket." />
      <form method="get" action="/help" role="search" className="mb-6 flex flex-wrap items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor="help-search" className="text-sm font-medium">
            Search the help centre
          </label>
          <input
            id="help-search"
            name="q"
            type="search"
            defaultValue={query}
            placeholder="e.g. reset my password"
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-base"
          />
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700">
          Search
        </button>
      </form>
      {hits ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" className="mb-3 text-lg font-semibold" aria-live="polite">
            {hits.length === 0 ? `No articles match “${query}”` : `${hits.length} ${hits.length === 1 ? "article matches" : "articles match"} “${query}”`}
          </h2>
          {hits.length === 0 ? (
            <p className="text-slate-700">
              Try other words, or{" "}
              <Link href="/portal/tickets/new" className="font-medium text-brand-700 underline">
                ask our support team
              </Link>
              .
            </p>
          ) : (
            <ol className="flex flex-col gap-3">
              {hits.map((hit) => (
                <li key={hit.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                  <Link href={`/help/articles/${hit.slug}?lang=${hit.locale}`} className="text-lg font-semibold text-brand-700 hover:underline">
                    {hit.title}
                  </Link>
                  <p className="mt-1 text-sm text-slate-700 [overflow-wrap:anywhere]">
                    <ExcerptText excerpt={hit.excerpt} />
                  </p>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : home && home.categories.length + home.uncategorised.length === 0 ? (
        <p className="text-slate-700">No articles have been published yet.</p>
      ) : home ? (
        <div className="grid gap-4 md:grid-cols-2">
          {[
            ...home.categories,
            ...(home.uncategorised.length ? [{ id: "other", name: "Other articles", description: null, slug: "other", articles: home.uncategorised }] : []),
          ].map((category) => (
            <section key={category.id} aria-labelledby={`category-${category.id}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <h2 id={`category-${category.id}`} className="text-lg font-semibold">
                {category.name}
              </h2>
              {category.description ? <p className="text-sm text-slate-600">{category.description}</p> : null}
              <ul className="mt-3 flex flex-col gap-3">
                {category.articles.map((article) => (
                  <li key={article.id}>
                    <Link href={`/help/articles/${article.slug}?lang=${article.locale}`} className="font-medium text-brand-700 hover:underline">
                      {article.title}
                    </Link>
                    <p className="text-sm text-slate-600 [overflow-wrap:anywhere]">{article.excerpt}</p>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      ) : null}
    </>
  );
}
