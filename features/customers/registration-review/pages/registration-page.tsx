import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { AcceptOrganisationButton, CreateCustomerForm, LinkButton } from "@/features/customers/registration-review/components/review-actions";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { Button } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import type { EntitlementStatus } from "@/features/customers/agreements";
import {
  type CustomerCandidate,
  getReviewAccount,
  SEARCH_MAX_LENGTH,
  searchCustomers,
  SUGGESTION_REASON_TEXT,
  type SuggestionReason,
  suggestCustomersFor,
  suggestedOrganisationFor,
} from "@/features/customers/registration-review/review";
import { maskPhone } from "@/platform/mask";
import { isUuid } from "@/platform/ids";
import { LocalTime } from "@/ui/local-time";
import { lookAlikeHeadline, lookAlikeSenderFor } from "@/features/identity/look-alike-senders";

export const metadata: Metadata = { title: "Review a registration" };

const ENTITLEMENT: Record<EntitlementStatus, { tone: BadgeTone; text: string }> = {
  valid: { tone: "good", text: "Agreement valid" },
  expired: { tone: "warn", text: "Agreement expired" },
  cancelled: { tone: "warn", text: "Agreement cancelled" },
  none: { tone: "neutral", text: "No agreement" },
};

function customerLabel(customer: Pick<CustomerCandidate, "organisationName" | "name" | "accountNumber">) {
  return `${customer.organisationName ?? customer.name} (${customer.accountNumber})`;
}

function Candidate({ userId, customer, reasons }: { userId: string; customer: CustomerCandidate; reasons?: SuggestionReason[] }) {
  const entitlement = ENTITLEMENT[customer.entitlement.status];
  return (
    <li className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="flex flex-col gap-1">
        <div className="font-semibold text-slate-900">{customerLabel(customer)}</div>
        <div className="text-sm text-slate-600">
          {customer.name}
          {customer.primaryEmail ? (
            <>
              {" "}
              · <span className="break-all">{customer.primaryEmail}</span>
            </>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-2">
          <Badge tone={entitlement.tone}>
            {entitlement.text}
            {customer.entitlement.tier ? ` · ${customer.entitlement.tier}` : ""}
          </Badge>
          {reasons?.map((reason) => (
            <Badge key={reason} tone="info">
              Hint: {SUGGESTION_REASON_TEXT[reason]}
            </Badge>
          ))}
        </div>
      </div>
      <LinkButton userId={userId} customerId={customer.id} label={`Link to ${customerLabel(customer)}`} />
    </li>
  );
}

function Section({ id, title, children, description }: { id: string; title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export default async function ReviewRegistrationPage({
  params,
  searchParams,
}: {
  params: Promise<{ userId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageActor("console");
  const { userId } = await params;
  if (!isUuid(userId)) notFound();
  const account = await getReviewAccount(userId);
  if (!account) notFound();
  const query = searchParamText((await searchParams).q, SEARCH_MAX_LENGTH);
  const awaiting = account.matchStatus === "awaiting_match";
  const [suggestions, results] = awaiting
    ? await Promise.all([suggestCustomersFor(account), query.trim() ? searchCustomers(query) : Promise.resolve(null)])
    : [[], null];
  const suggestedOrganisation = await suggestedOrganisationFor(account);
  const linkedCustomer = account.customer;
  const lookAlike = awaiting ? await lookAlikeSenderFor(account.email) : null;

  return (
    <>
      <p className="mb-4 text-sm">
        <Link href="/console/registrations" className="font-semibold text-brand-700 underline underline-offset-2">
          ← All registrations awaiting a match
        </Link>
      </p>
      <PageHeader title={`Review: ${account.name}`} description="Link this portal account to the customer it belongs to." />

      <div className="flex flex-col gap-6">
        <Section id="account" title="The account">
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="font-medium text-slate-600">Name</dt>
            <dd>{account.name}</dd>
            <dt className="font-medium text-slate-600">Email address</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <span className="break-all">{account.email}</span>
              <Badge tone="good">
                Verified
                {account.emailVerifiedAt ? (
                  <>
                    {" "}
                    <LocalTime value={account.emailVerifiedAt} />
                  </>
                ) : null}
              </Badge>
            </dd>
            <dt className="font-medium text-slate-600">Mobile number</dt>
            <dd className="flex flex-wrap items-center gap-2">
              {account.phoneE164 ? (
                <>
                  <span>{maskPhone(account.phoneE164)}</span>
                  <Badge tone={account.phoneVerifiedAt ? "good" : "warn"}>{account.phoneVerifiedAt ? "Verified" : "Not verified"}</Badge>
                </>
              ) : (
                <span className="text-slate-500">None given</span>
              )}
            </dd>
            <dt className="font-medium text-slate-600">They typed</dt>
            <dd>
              {account.accountHint ? (
                <span className="flex flex-wrap items-center gap-2">
                  <span>&ldquo;{account.accountHint}&rdquo;</span>
                  <Badge tone="warn">A hint, not proof</Badge>
                </span>
              ) : (
                <span className="text-slate-500">No account number or company</span>
              )}
            </dd>
            <dt className="font-medium text-slate-600">Registered</dt>
            <dd>
              <LocalTime value={account.createdAt} />
            </dd>
          </dl>
        </Section>

        {lookAlike ? (
          <Alert tone="warning" title={`${lookAlikeHeadline(lookAlike)}: the address's domain imitates it`}>
            <span className="break-words">
              {lookAlike.domain}: {lookAlike.description}. Do not link this account to that customer on the strength of the address.
            </span>
          </Alert>
        ) : null}

        {suggestedOrganisation ? (
          <Section
            id="organisation"
            title="Organisation"
            description="A domain registered to an organisation suggests where they work. Anyone can have an address at a domain they left or share: accept it only when the rest fits."
          >
            <p className="flex flex-wrap items-center gap-2 text-sm">
              <span>
                Suggested organisation:{" "}
                <Link href={`/console/organisations/${suggestedOrganisation.id}`} className="font-semibold text-brand-700 underline underline-offset-2">
                  {suggestedOrganisation.name}
                </Link>{" "}
                (by domain {suggestedOrganisation.domain}; not proof)
              </span>
              <Badge tone="warn">A hint, not proof</Badge>
            </p>
            <div className="mt-3">
              {!linkedCustomer ? (
                <p className="text-sm text-slate-600">Link the account to a customer (or create one) first; then you can accept the suggestion here.</p>
              ) : linkedCustomer.organisation?.id === suggestedOrganisation.id ? (
                <p className="text-sm text-slate-700">
                  {linkedCustomer.name} is a contact of {suggestedOrganisation.name}.
                </p>
              ) : linkedCustomer.organisation ? (
                <p className="text-sm text-slate-700">
                  {linkedCustomer.name} belongs to {linkedCustomer.organisation.name}: change it on the{" "}
                  <Link href={`/console/customers/${linkedCustomer.id}`} className="font-semibold text-brand-700 underline underline-offset-2">
                    customer&rsquo;s page
                  </Link>{" "}
                  if that is wrong.
                </p>
              ) : (
                <AcceptOrganisationButton
                  userId={account.id}
                  organisationId={suggestedOrganisation.id}
                  label={`Add ${linkedCustomer.name} to ${suggestedOrganisation.name}`}
                />
              )}
            </div>
          </Section>
        ) : null}

        {!awaiting ? (
          <Alert tone="info" title="Already decided">
            {account.customer
              ? `This account is linked to ${account.customer.organisation?.name ?? account.customer.name} (${account.customer.accountNumber}).`
              : "This account is not waiting for a match."}
          </Alert>
        ) : (
          <>
            <Section
              id="suggested"
              title="Suggested customers"
              description="From what they typed and the domain of their address. Only suggestions: check before you link (ask them, or look at the customer's contacts)."
            >
              {suggestions.length === 0 ? (
                <p className="text-sm text-slate-600">No suggestions. Search below.</p>
              ) : (
                <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
                  {suggestions.map((suggestion) => (
                    <Candidate key={suggestion.id} userId={account.id} customer={suggestion} reasons={suggestion.reasons} />
                  ))}
                </ul>
              )}
            </Section>

            <Section id="search" title="Find a customer">
              <form method="get" role="search" aria-label="Customers" className="flex flex-col gap-3 sm:flex-row sm:items-end">
                <div className="flex grow flex-col gap-1">
                  <label htmlFor="customer-search" className="field-label">
                    Account number, name or organisation
                  </label>
                  <input
                    id="customer-search"
                    name="q"
                    type="search"
                    defaultValue={query}
                    maxLength={SEARCH_MAX_LENGTH}
                    className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm"
                  />
                </div>
                <Button type="submit" variant="secondary">
                  Search customers
                </Button>
              </form>
              {results === null ? null : results.length === 0 ? (
                <p className="mt-4 text-sm text-slate-600" role="status">
                  No customer matches &ldquo;{query}&rdquo;.
                </p>
              ) : (
                <>
                  <p className="sr-only" role="status">
                    {results.length} {results.length === 1 ? "customer matches" : "customers match"}.
                  </p>
                  <ul className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Search results">
                    {results.map((customer) => (
                      <Candidate key={customer.id} userId={account.id} customer={customer} />
                    ))}
                  </ul>
                </>
              )}
            </Section>

            <Section
              id="create"
              title="Create a customer from this account"
              description="When they are a new customer. Their verified address becomes the customer's primary address; a new account number is assigned."
            >
              <CreateCustomerForm userId={account.id} defaultName={account.name} />
            </Section>
          </>
        )}
      </div>
    </>
  );
}
