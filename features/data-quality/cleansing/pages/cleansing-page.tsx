import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/platform/auth/guard";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import {
  ApplySafeFixesButton,
  LookForSuggestionsButton,
  SafeFixHistory,
  SuggestionList,
} from "@/features/data-quality/cleansing/components/cleansing-controls";
import { planSafeFixes, safeFixHistory } from "@/features/data-quality/cleansing/safe-fixes";
import { SUGGESTION_KIND_LABELS, SUGGESTION_KINDS, suggestionListQuerySchema } from "@/features/data-quality/cleansing/schemas";
import { listSuggestions } from "@/features/data-quality/cleansing/suggestions";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";

export const metadata: Metadata = { title: "Cleansing" };

const plural = (count: number, one: string, many: string) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

/** Data cleansing: safe fixes (applied together, undoable), then suggestions a person accepts or rejects. */
export default async function CleansingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("supervisor");
  const raw = await searchParams;
  const query = suggestionListQuerySchema.parse({ kind: raw.kind, page: raw.page });
  const [plan, history, suggestions] = await Promise.all([planSafeFixes(), safeFixHistory(), listSuggestions(query)]);
  const totalOpen = Object.values(suggestions.counts).reduce((sum, count) => sum + count, 0);
  const href = (kind: string | undefined, page = 1) => {
    const params = new URLSearchParams();
    if (kind) params.set("kind", kind);
    if (page > 1) params.set("page", String(page));
    const text = params.toString();
    return `/supervisor/data-quality/cleansing${text ? `?${text}` : ""}`;
  };

  return (
    <>
      <DataQualityNav />
      <PageHeader
        title="Cleansing"
        description="Safe fixes change only the form of a contact, never its meaning, and can be undone together. Everything else is a suggestion for you to accept or reject. Verified addresses and numbers are never rewritten by themselves."
      />
      <div className="flex flex-col gap-6">
        <Panel
          id="safe-fixes"
          title="Safe fixes"
          description="Spaces around addresses and capitals in their domain removed; numbers typed in national form put in international form when there is only one way to read them."
        >
          <p className="mb-3 text-sm text-slate-700" data-testid="safe-fix-plan">
            {plan.emails + plan.phones === 0
              ? "Nothing to fix right now."
              : `Ready to fix: ${plural(plan.emails, "address", "addresses")} and ${plural(plan.phones, "number", "numbers")}.`}
          </p>
          <ApplySafeFixesButton nothingToDo={plan.emails + plan.phones === 0} />
          {history.length > 0 ? (
            <SafeFixHistory
              items={history.map((set) => ({
                id: set.id,
                summary: set.summary,
                when: <LocalTime value={set.createdAt} />,
                undone: set.undoneAt ? (
                  <p className="text-slate-600">
                    Undone <LocalTime value={set.undoneAt} />
                    {set.conflicts > 0 ? ` (${plural(set.conflicts, "row", "rows")} changed since were kept)` : ""}.
                  </p>
                ) : null,
              }))}
            />
          ) : null}
        </Panel>

        <Panel
          id="suggestions"
          title="Suggestions"
          description="From the last validation run: likely typos, landlines in the mobile slot, and duplicates (merged from the merge preview, never blind)."
        >
          <div className="mb-4">
            <LookForSuggestionsButton />
          </div>
          <nav aria-label="Suggestion kinds" className="mb-4 flex flex-wrap gap-2 text-sm">
            {[undefined, ...SUGGESTION_KINDS].map((kind) => {
              const current = query.kind === kind;
              const count = kind ? (suggestions.counts[kind] ?? 0) : totalOpen;
              return (
                <Link
                  key={kind ?? "all"}
                  href={href(kind)}
                  aria-current={current ? "page" : undefined}
                  className={`rounded-full border px-3 py-1 ${current ? "border-brand-600 bg-brand-50 font-semibold text-brand-800" : "border-slate-300 text-slate-700 hover:bg-slate-50"}`}
                >
                  {kind ? SUGGESTION_KIND_LABELS[kind] : "All"} ({count.toLocaleString("en")})
                </Link>
              );
            })}
          </nav>
          <SuggestionList key={`${query.kind ?? "all"}-${suggestions.page}`} items={suggestions.rows.map(({ createdAt: _createdAt, ...row }) => row)} />
          {suggestions.pages > 1 ? (
            <nav aria-label="Suggestion pages" className="mt-4 flex flex-wrap items-center gap-3 text-sm">
              {suggestions.page > 1 ? (
                <Link className="text-brand-700 underline" href={href(query.kind, suggestions.page - 1)}>
                  Previous page
                </Link>
              ) : null}
              <span>
                Page {suggestions.page} of {suggestions.pages}
              </span>
              {suggestions.page < suggestions.pages ? (
                <Link className="text-brand-700 underline" href={href(query.kind, suggestions.page + 1)}>
                  Next page
                </Link>
              ) : null}
            </nav>
          ) : null}
        </Panel>
      </div>
    </>
  );
}
