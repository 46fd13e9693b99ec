import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import { searchParamText } from "@/platform/text/schemas";
import { Badge } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { articleForStaff, draftFromAnswer, listCategories, translationsOf } from "@/features/help-centre/articles";
import { ArticleEditor } from "@/features/help-centre/components/article-editor";
import { VISIBILITY_LABEL, VISIBILITY_TONE } from "@/features/help-centre/visibility";

export const metadata: Metadata = { title: "Article" };

/** /console/help-centre/new (optionally ?translate=<id>&locale=de) and /console/help-centre/<id>. */
export default async function ArticleEditorPage({
  params,
  searchParams,
}: {
  params: Promise<{ id?: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageActor("console");
  const { id } = await params;
  const query = await searchParams;
  const categories = await listCategories();
  if (!id) {
    const translate = searchParamText(query.translate, 40);
    const original = isUuid(translate) ? await articleForStaff(translate) : null;
    // "Turn this answer into an article", from an agent's reply on a ticket: a draft to edit (names and details removed by hand).
    const fromMessage = searchParamText(query.fromMessage, 40);
    const answer = !original && isUuid(fromMessage) ? await draftFromAnswer(fromMessage) : null;
    return (
      <>
        <PageHeader
          title={original ? `Translate “${original.title}”` : "New article"}
          description={answer ? "Started from a support answer: take out the customer's name and details before you publish it." : undefined}
        />
        <ArticleEditor
          categories={categories}
          initial={{
            title: original?.title ?? answer?.title ?? "",
            slug: original?.slug ?? "",
            categoryId: original?.categoryId ?? "",
            locale: searchParamText(query.locale, 10) || (original ? "" : "en"),
            body: original?.body ?? answer?.body ?? "",
            visibility: "draft",
            ...(original ? { translationOf: original.id } : {}),
          }}
        />
      </>
    );
  }
  if (!isUuid(id)) notFound();
  const article = await articleForStaff(id);
  if (!article) notFound();
  const translations = (await translationsOf(article.translationKey)).filter((other) => other.id !== article.id);
  return (
    <>
      <PageHeader
        title={article.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={VISIBILITY_TONE[article.visibility]}>{VISIBILITY_LABEL[article.visibility]}</Badge>
            <span>
              Version {article.version}, saved <LocalTime value={article.updatedAt} />
            </span>
            {article.visibility === "public" ? (
              <Link href={`/help/articles/${article.slug}?lang=${article.locale}`} className="font-medium text-brand-700 hover:underline">
                Open at /help
              </Link>
            ) : null}
            <Link href={`/console/help-centre/${article.id}/history`} className="font-medium text-brand-700 hover:underline">
              History
            </Link>
          </span>
        }
      />
      <div className="flex flex-col gap-4">
        <ArticleEditor
          categories={categories}
          createdNotice={query.saved === "1" ? `Article created: saved as version ${article.version}.` : undefined}
          initial={{
            articleId: article.id,
            expectedVersion: article.version,
            title: article.title,
            slug: article.slug,
            categoryId: article.categoryId ?? "",
            locale: article.locale,
            body: article.body,
            visibility: article.visibility,
          }}
        />
        <Panel id="kb-translations" title="Translations">
          {translations.length > 0 ? (
            <ul className="mb-3 flex flex-col gap-1 text-sm">
              {translations.map((other) => (
                <li key={other.id}>
                  <Link href={`/console/help-centre/${other.id}`} className="font-medium text-brand-700 hover:underline">
                    {other.locale}: {other.title}
                  </Link>{" "}
                  <Badge tone={VISIBILITY_TONE[other.visibility]}>{VISIBILITY_LABEL[other.visibility]}</Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mb-3 text-sm text-slate-600">This article is in {article.locale} only.</p>
          )}
          <Link href={`/console/help-centre/new?translate=${article.id}`} className="text-sm font-semibold text-brand-700 hover:underline">
            Translate this article
          </Link>
        </Panel>
      </div>
    </>
  );
}
