import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { publicBaseUrl } from "@/platform/env";
import { searchParamText } from "@/platform/text/schemas";
import { LocalTime } from "@/ui/local-time";
import { articlePlainText } from "@/features/help-centre/markdown";
import { publicArticle, publicLocalesOf, translationsOf } from "@/features/help-centre/articles";
import { ArticleBody } from "@/features/help-centre/components/article-body";
import { HelpfulVote } from "@/features/help-centre/components/helpful-vote";
import { pickLocale, viewerLocales } from "@/features/help-centre/locale";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The public article for this address in the viewer's language (?lang= first, then the browser's), or null. */
async function articleFor({ params, searchParams }: Props) {
  const { slug } = await params;
  if (!SLUG.test(slug) || slug.length > 80) return null;
  const locale = pickLocale(await publicLocalesOf(slug), await viewerLocales(searchParamText((await searchParams).lang, 10)));
  return locale ? publicArticle(slug, locale) : null;
}

const canonicalOf = (article: { slug: string; locale: string }) => `${publicBaseUrl()}/help/articles/${article.slug}?lang=${article.locale}`;

export async function generateMetadata(props: Props): Promise<Metadata> {
  const article = await articleFor(props);
  if (!article) return { title: "Article not found" };
  const languages = Object.fromEntries((await translationsOf(article.translationKey, ["public"])).map((other) => [other.locale, canonicalOf(other)]));
  return {
    title: article.title,
    description: articlePlainText(article.body, 160),
    alternates: { canonical: canonicalOf(article), languages },
  };
}

/** /help/articles/<slug>: a public article, server-rendered, readable without signing in. */
export default async function HelpArticlePage(props: Props) {
  const article = await articleFor(props);
  if (!article) notFound();
  const translations = (await translationsOf(article.translationKey, ["public"])).filter((other) => other.id !== article.id);
  return (
    <article lang={article.locale} className="mx-auto flex max-w-3xl flex-col gap-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/help" className="font-medium text-brand-700 hover:underline">
          Help centre
        </Link>
        {article.category ? <> › {article.category.name}</> : null}
      </nav>
      <h1 className="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl [overflow-wrap:anywhere]">{article.title}</h1>
      <p className="text-sm text-slate-600">
        Updated <LocalTime value={article.updatedAt} style="date" />
        {translations.length > 0 ? (
          <>
            {" · Also in "}
            {translations.map((other, index) => (
              <span key={other.id}>
                {index > 0 ? ", " : ""}
                <Link href={`/help/articles/${other.slug}?lang=${other.locale}`} hrefLang={other.locale} className="font-medium text-brand-700 hover:underline">
                  {other.locale}
                </Link>
              </span>
            ))}
          </>
        ) : null}
      </p>
      <ArticleBody markdown={article.body} />
      <HelpfulVote articleId={article.id} />
    </article>
  );
}
