import "server-only";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { Alert } from "@/ui/alert";
import { buttonClasses } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { countryFromAcceptLanguage } from "@/features/accounts/contact-change/phone-schemas";
import { DirectoryFilters, type DirectoryFormErrors, type DirectoryFormValues } from "@/features/customers/components/directory-filters";
import { DirectoryTable } from "@/features/customers/components/directory-table";
import { DIRECTORY_PAGE_SIZE, type DirectoryPage, directoryQueryString, listDirectory, organisationChoices } from "@/features/customers/directory";
import { customerDirectorySchema, type DirectoryFilter } from "@/features/customers/schemas";

export const metadata: Metadata = { title: "Customers" };

type Params = Record<string, string | string[] | undefined>;

function Pagination({ filter, page }: { filter: DirectoryFilter; page: DirectoryPage }) {
  if (!page.previousCursor && !page.nextCursor) return null;
  return (
    <nav aria-label="Pages of customers" className="mt-4 flex items-center justify-between gap-3">
      {page.previousCursor ? (
        <Link
          href={`/console/customers${directoryQueryString(filter, { before: page.previousCursor, start: Math.max(1, page.start - DIRECTORY_PAGE_SIZE) })}`}
          className={buttonClasses("secondary")}
          rel="prev"
        >
          ← Previous page
        </Link>
      ) : (
        <span />
      )}
      {page.nextCursor ? (
        <Link
          href={`/console/customers${directoryQueryString(filter, { after: page.nextCursor, start: page.start + page.rows.length })}`}
          className={buttonClasses("secondary")}
          rel="next"
        >
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}

/** Every customer, filtered and sorted, a page at a time; also where a call without a ticket starts one. */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requirePageActor("console");
  const params = await searchParams;
  const parsed = customerDirectorySchema.safeParse(params);
  const errors: DirectoryFormErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if ((key === "q" || key === "from" || key === "to") && !errors[key]) errors[key] = issue.message;
    }
  }
  const first = (key: string) => {
    const value = params[key];
    const text = Array.isArray(value) ? value[0] : value;
    return typeof text === "string" ? text.slice(0, 200) : undefined;
  };
  // The form shows what was asked for, valid or not (the browser escapes it).
  const fallback = customerDirectorySchema.safeParse({ ...params, q: undefined, from: undefined, to: undefined });
  const values = parsed.success ? parsed.data : fallback.success ? fallback.data : null;
  const formValues: DirectoryFormValues = {
    q: first("q"),
    org: values?.org,
    agreement: values?.agreement ?? "any",
    contacts: values?.contacts ?? "any",
    erased: values?.erased ?? "hide",
    sort: values?.sort ?? "name",
    from: first("from"),
    to: first("to"),
  };

  const region = countryFromAcceptLanguage((await headers()).get("accept-language")) ?? undefined;
  const [organisations, page] = await Promise.all([
    organisationChoices(),
    parsed.success ? listDirectory(parsed.data, { phoneRegion: region }) : Promise.resolve(null),
  ]);
  const filter = parsed.success ? parsed.data : null;
  const range = page && page.rows.length > 0 ? `${page.start}–${page.start + page.rows.length - 1}` : null;

  return (
    <>
      <PageHeader
        title="Customers"
        description="Every customer, with their organisation, agreement and contacts. For a call or a chat without a ticket: find the customer, start a ticket, then verify the caller on it."
      />
      <DirectoryFilters values={formValues} errors={errors} organisations={organisations} />

      {filter && page ? (
        page.rows.length === 0 ? (
          filter.q ? (
            <Alert tone="info">No customer matches “{filter.q}”. Check the spelling, or ask for the account number or the email address on the account.</Alert>
          ) : (
            <Alert tone="info">
              No customers {filter.after || filter.before ? "on this page" : "match these filters"}.{" "}
              <Link href="/console/customers" className="font-medium underline">
                Show every customer
              </Link>
            </Alert>
          )
        ) : (
          <section aria-labelledby="results-heading">
            <h2 id="results-heading" className="mb-2 text-sm font-semibold text-slate-700" aria-live="polite">
              {`Customers ${range}`}
              {filter.q ? " (search results: at most the first 20 matches; refine the search)" : ""}
            </h2>
            <DirectoryTable rows={page.rows} caption={`Customers ${range}`} searching={Boolean(filter.q)} />
            <Pagination filter={filter} page={page} />
          </section>
        )
      ) : null}
    </>
  );
}
