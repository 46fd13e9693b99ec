import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { articleForStaff, articleHistory } from "@/features/help-centre/articles";
import { VISIBILITY_LABEL } from "@/features/help-centre/visibility";

export const metadata: Metadata = { title: "Article history" };

/** Every saved version: who saved it and when, and what each one changed (word by word). */
export default async function ArticleHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageActor("console");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const article = await articleForStaff(id);
  if (!article) notFound();
  const diffs = await articleHistory(id);
  return (
    <>
      <PageHeader
        title={`History of “${article.title}”`}
        description={
          <Link href={`/console/help-centre/${id}`} className="font-medium text-brand-700 hover:underline">
            Back to the article
          </Link>
        }
      />
      <ol aria-label="Versions" className="flex flex-col gap-4">
        {diffs.map((diff) => (
          <li key={diff.version} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 className="font-semibold">
              Version {diff.version} by {diff.editedBy}, <LocalTime value={diff.createdAt} />
            </h2>
            {diff.title.before !== null && diff.title.before !== diff.title.after ? (
              <p className="text-sm">
                Title: <del className="bg-red-50 text-red-800">{diff.title.before}</del> →{" "}
                <ins className="bg-emerald-50 text-emerald-800">{diff.title.after}</ins>
              </p>
            ) : null}
            {diff.visibility.before !== null && diff.visibility.before !== diff.visibility.after ? (
              <p className="text-sm">
                Visibility: {VISIBILITY_LABEL[diff.visibility.before]} → {VISIBILITY_LABEL[diff.visibility.after]}
              </p>
            ) : null}
            {diff.parts === null ? (
              <p className="mt-2 text-sm text-slate-600">This version changed too much to compare word by word here.</p>
            ) : (
              <p
                className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-sm [overflow-wrap:anywhere]"
                data-testid={`diff-${diff.version}`}
              >
                {diff.parts.map((part, index) =>
                  part.added ? (
                    // Index keys: the parts of one diff never move.
                    <ins key={index} className="bg-emerald-100 text-emerald-900 no-underline">
                      {part.value}
                    </ins>
                  ) : part.removed ? (
                    <del key={index} className="bg-red-100 text-red-900">
                      {part.value}
                    </del>
                  ) : (
                    <span key={index}>{part.value}</span>
                  ),
                )}
              </p>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
