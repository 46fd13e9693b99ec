import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/platform/auth/guard";
import { searchParamText } from "@/platform/text/schemas";
import { Alert } from "@/ui/alert";
import { ButtonLink, buttonClasses } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";
import { listOrganisations } from "@/features/organisations/organisations";
import { ORGANISATION_SEARCH_MAX_LENGTH, organisationSearchSchema } from "@/features/organisations/schemas";

export const metadata: Metadata = { title: "Organisations" };

/** Organisations (companies, households) with their contacts and domains; search by name, page by page. */
export default async function OrganisationsPage({ searchParams }: { searchParams: Promise<{ q?: string | string[]; page?: string | string[] }> }) {
  await requirePageActor("console");
  const params = await searchParams;
  const parsed = organisationSearchSchema.safeParse({
    q: searchParamText(params.q, 1000),
    page: searchParamText(params.page, 10) || "1",
  });
  const error = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Check the search.");
  const q = parsed.success ? parsed.data.q : "";
  const list = await listOrganisations(q, parsed.success ? parsed.data.page : 1);
  const pageHref = (page: number) => `/console/organisations?${new URLSearchParams({ ...(q ? { q } : {}), page: String(page) })}`;

  return (
    <>
      <PageHeader
        title="Organisations"
        description="Companies and households with several contacts. An organisation's agreement covers every contact; its mail domains only suggest who belongs."
        actions={<ButtonLink href="/console/organisations/new">New organisation</ButtonLink>}
      />
      <form method="get" action="/console/organisations" role="search" className="mb-6 flex flex-col gap-1">
        <label htmlFor="organisation-search" className="field-label">
          Name
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id="organisation-search"
            name="q"
            type="search"
            defaultValue={searchParamText(params.q, ORGANISATION_SEARCH_MAX_LENGTH)}
            maxLength={ORGANISATION_SEARCH_MAX_LENGTH}
            autoComplete="off"
            aria-describedby={error ? "organisation-search-error" : undefined}
            aria-invalid={error ? true : undefined}
            className={`flex-1 rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
          />
          <button type="submit" className={buttonClasses("primary")}>
            Search
          </button>
        </div>
        {error ? (
          <p id="organisation-search-error" role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </form>

      {list.items.length === 0 ? (
        <Alert tone="info">{q ? `No organisation's name contains “${q}”.` : "No organisations yet."}</Alert>
      ) : (
        <section aria-labelledby="organisations-heading">
          <h2 id="organisations-heading" className="mb-2 text-sm font-semibold text-slate-700">
            {list.total === 1 ? "1 organisation" : `${list.total} organisations`}
            {list.pages > 1 ? ` · page ${list.page} of ${list.pages}` : ""}
          </h2>
          <ul className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
            {list.items.map((item) => (
              <li key={item.id} className="flex flex-col gap-1 p-4">
                <Link href={`/console/organisations/${item.id}`} className="font-medium text-brand-700 hover:underline">
                  {item.name}
                </Link>
                <p className="break-words text-sm text-slate-600">
                  {item.contacts === 1 ? "1 contact" : `${item.contacts} contacts`}
                  {item.domains.length > 0 ? ` · ${item.domains.join(", ")}` : ""}
                </p>
              </li>
            ))}
          </ul>
          {list.pages > 1 ? (
            <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-2">
              {list.page > 1 ? (
                <Link href={pageHref(list.page - 1)} className={buttonClasses("secondary")} rel="prev">
                  ← Previous page
                </Link>
              ) : (
                <span />
              )}
              {list.page < list.pages ? (
                <Link href={pageHref(list.page + 1)} className={buttonClasses("secondary")} rel="next">
                  Next page →
                </Link>
              ) : null}
            </nav>
          ) : null}
        </section>
      )}
    </>
  );
}
