"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { ArticleHit } from "@/features/help-centre/articles";
import { articleTextForAgentAction, searchArticlesForAgentAction } from "@/features/help-centre/actions";
import { ExcerptText } from "@/features/help-centre/components/excerpt";
import { Button } from "@/ui/button";

/**
 * The reply box's help-centre search: published articles as the agent types; a public one can go
 * into the reply as a link, any published one as its text (which the agent then edits).
 */
export function ArticlePicker({ onInsert, forCustomer }: { onInsert: (text: string) => void; forCustomer: boolean }) {
  const inputId = useId();
  const [query, setQuery] = useState("");
  const [hits, setHits] = useState<ArticleHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    if (query.trim().length < 2) {
      setHits(null);
      return;
    }
    const timer = setTimeout(async () => {
      const result = await searchArticlesForAgentAction({ q: query });
      if (request !== latest.current) return;
      setHits(result.ok ? result.data : []);
      setError(result.ok ? null : result.error);
    }, 300);
    return () => clearTimeout(timer);
  }, [query]);

  async function insertText(hit: ArticleHit) {
    const result = await articleTextForAgentAction({ articleId: hit.id });
    if (!result.ok) return setError(result.error);
    onInsert(result.data.body);
  }

  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={inputId} className="text-sm font-medium">
        Help-centre article
      </label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Search articles to insert…"
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      />
      <div aria-live="polite">
        {error ? <p className="text-sm text-red-700">{error}</p> : null}
        {hits && hits.length === 0 ? <p className="text-sm text-slate-600">No published article matches.</p> : null}
        {hits && hits.length > 0 ? (
          <ul aria-label="Matching articles" className="flex flex-col gap-2">
            {hits.map((hit) => (
              <li key={hit.id} className="rounded-md border border-slate-200 p-2 text-sm">
                <p className="font-medium [overflow-wrap:anywhere]">
                  {hit.title} <span className="text-xs font-normal text-slate-500">({hit.visibility === "public" ? "public" : "internal"})</span>
                </p>
                <p className="text-slate-600 [overflow-wrap:anywhere]">
                  <ExcerptText excerpt={hit.excerpt} />
                </p>
                <div className="mt-1 flex flex-wrap gap-2">
                  {hit.visibility === "public" ? (
                    <Button
                      type="button"
                      variant="secondary"
                      aria-label={`Insert link: ${hit.title}`}
                      onClick={() => onInsert(`${hit.title}: ${window.location.origin}/help/articles/${hit.slug}?lang=${hit.locale}`)}
                    >
                      Insert link
                    </Button>
                  ) : null}
                  {/* An internal article's text never goes into a customer's reply (only into a note). */}
                  {hit.visibility === "public" || !forCustomer ? (
                    <Button type="button" variant="secondary" aria-label={`Insert text: ${hit.title}`} onClick={() => void insertText(hit)}>
                      Insert text
                    </Button>
                  ) : (
                    <span className="text-xs text-slate-500">Internal: for notes only</span>
                  )}
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
