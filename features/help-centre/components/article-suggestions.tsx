"use client";

import { useEffect, useRef, useState } from "react";
import type { ArticleHit } from "@/features/help-centre/articles";
import { suggestArticlesAction, suggestionOpenedAction } from "@/features/help-centre/actions";
import { ExcerptText } from "@/features/help-centre/components/excerpt";

/**
 * Under a new ticket's subject: public articles that may already answer it, looked up as the
 * customer types (debounced). Opening one is recorded against this form, so a form that then
 * is never sent counts as deflected. The list is announced politely when it changes.
 */
export function ArticleSuggestions({ subject, formKey }: { subject: string; formKey: string }) {
  const [hits, setHits] = useState<ArticleHit[]>([]);
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    const text = subject.trim();
    if (text.length < 3) {
      setHits([]);
      return;
    }
    const timer = setTimeout(async () => {
      const result = await suggestArticlesAction({ q: text });
      if (request === latest.current) setHits(result.ok ? result.data : []);
    }, 400);
    return () => clearTimeout(timer);
  }, [subject]);

  return (
    <div aria-live="polite">
      {hits.length > 0 ? (
        <section aria-labelledby="suggestions-heading" className="rounded-lg border border-brand-100 bg-brand-50 p-3">
          <h2 id="suggestions-heading" className="text-sm font-semibold text-slate-900">
            These articles may answer it already
          </h2>
          <ul className="mt-2 flex flex-col gap-2">
            {hits.map((hit) => (
              <li key={hit.id} className="text-sm">
                <a
                  href={`/help/articles/${hit.slug}?lang=${hit.locale}`}
                  target="_blank"
                  rel="noopener"
                  className="font-medium text-brand-700 underline-offset-2 hover:underline"
                  onClick={() => void suggestionOpenedAction({ formKey, articleId: hit.id })}
                >
                  {hit.title}
                  <span className="sr-only"> (opens in a new tab)</span>
                </a>
                <p className="text-slate-600 [overflow-wrap:anywhere]">
                  <ExcerptText excerpt={hit.excerpt} />
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
