import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import { headers } from "next/headers";
import Link from "next/link";
import { Alert } from "@/ui/alert";
import { buttonClasses } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { countryFromAcceptLanguage } from "@/features/accounts/contact-change/phone-schemas";
import { CUSTOMER_SEARCH_LIMIT, type CustomerMatchedBy, searchCustomers } from "@/features/tickets/phone-tickets";
import { customerSearchSchema } from "@/features/tickets/phone-tickets-schemas";

export const metadata: Metadata = { title: "Customers" };

const MATCHED_BY: Record<CustomerMatchedBy, string> = { name: "name", account_number: "account number", email: "email address", phone: "phone number" };

/** Find a customer for a call or chat that has no ticket yet, and start one. */
export default async function CustomersPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  await requirePageActor("console");
  const q = searchParamText((await searchParams).q, 1000);
  const parsed = q ? customerSearchSchema.safeParse({ q }) : null;
  const region = countryFromAcceptLanguage((await headers()).get("accept-language")) ?? undefined;
  const hits = parsed?.success ? await searchCustomers(parsed.data.q, { phoneRegion: region }) : [];
  const error = parsed && !parsed.success ? parsed.error.issues[0]?.message : null;

  return (
    <>
      <PageHeader title="Customers" description="For a call or a chat without a ticket: find the customer, start a ticket, then verify the caller on it." />
      <form method="get" action="/console/customers" role="search" className="mb-6 flex flex-col gap-1">
        <label htmlFor="customer-search" className="text-sm font-medium text-slate-800">
          Name, account number, email or phone
        </label>
        <p id="customer-search-hint" className="text-xs text-slate-600">
          Names match in part; account numbers, email addresses and phone numbers only whole.
        </p>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id="customer-search"
            name="q"
            type="search"
            defaultValue={q}
            autoComplete="off"
            aria-describedby={error ? "customer-search-hint customer-search-error" : "customer-search-hint"}
            aria-invalid={error ? true : undefined}
            className={`flex-1 rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
          />
          <button type="submit" className={buttonClasses("primary")}>
            Search
          </button>
        </div>
        {error ? (
          <p id="customer-search-error" role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </form>

      {parsed?.success ? (
        hits.length === 0 ? (
          <Alert tone="info">
            No customer matches “{parsed.data.q}”. Check the spelling, or ask for the account number or the email address on the account.
          </Alert>
        ) : (
          <section aria-labelledby="results-heading">
            <h2 id="results-heading" className="mb-2 text-sm font-semibold text-slate-700">
              {hits.length === 1 ? "1 customer" : `${hits.length} customers`}
              {hits.length === CUSTOMER_SEARCH_LIMIT ? ` (the first ${CUSTOMER_SEARCH_LIMIT}: refine the search)` : ""}
            </h2>
            <ul className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
              {hits.map((hit) => (
                <li key={hit.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:justify-between">
                  <div className="min-w-0">
                    <p className="font-medium text-slate-900">
                      <Link href={`/console/customers/${hit.id}`} className="text-brand-700 hover:underline">
                        {hit.name}
                      </Link>
                      {hit.organisationName ? <span className="text-slate-600"> · {hit.organisationName}</span> : null}
                    </p>
                    <p className="text-sm text-slate-600">
                      <span className="font-mono text-xs">{hit.accountNumber}</span>
                      {hit.maskedPrimaryEmail ? <span className="font-mono text-xs"> · {hit.maskedPrimaryEmail}</span> : null}
                      {` · ${hit.openTickets === 1 ? "1 open ticket" : `${hit.openTickets} open tickets`} · matched by ${MATCHED_BY[hit.matchedBy]}`}
                    </p>
                  </div>
                  <Link
                    href={`/console/customers/${hit.id}/new-ticket`}
                    className={buttonClasses("secondary", "shrink-0")}
                    aria-label={`Start phone ticket for ${hit.name}`}
                  >
                    Start phone ticket
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )
      ) : null}
    </>
  );
}
