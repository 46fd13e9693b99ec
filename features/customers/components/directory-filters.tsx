import "server-only";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/ui/button";
import {
  DIRECTORY_AGREEMENT_FILTERS,
  DIRECTORY_CONTACT_FILTERS,
  DIRECTORY_ERASED_FILTERS,
  DIRECTORY_SORTS,
  type DirectoryFilter,
} from "@/features/customers/schemas";

export const AGREEMENT_FILTER_LABEL: Record<DirectoryFilter["agreement"], string> = {
  any: "Any",
  valid: "Valid",
  expired: "Expired",
  cancelled: "Cancelled",
  none: "None",
};
const CONTACT_FILTER_LABEL: Record<DirectoryFilter["contacts"], string> = {
  any: "Any",
  unverified: "Has unverified contacts",
  bouncing: "Has bouncing contacts",
  either: "Unverified or bouncing",
};
const ERASED_FILTER_LABEL: Record<DirectoryFilter["erased"], string> = { hide: "Hide erased customers", show: "Show erased customers" };
const SORT_LABEL: Record<DirectoryFilter["sort"], string> = { name: "Name, A–Z", name_desc: "Name, Z–A", newest: "Newest first", oldest: "Oldest first" };

const FIELD = "w-full rounded-md border bg-white px-2 py-2 text-sm text-slate-900 shadow-sm";

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Select<T extends string>({
  name,
  label,
  value,
  options,
  labels,
}: {
  name: string;
  label: string;
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
}) {
  const id = `directory-${name}`;
  return (
    <Field id={id} label={label}>
      <select id={id} name={name} defaultValue={value} className={`${FIELD} border-slate-300`}>
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </Field>
  );
}

export type DirectoryFormValues = Pick<DirectoryFilter, "agreement" | "contacts" | "erased" | "sort"> & {
  q?: string;
  org?: string;
  from?: string;
  to?: string;
};
export type DirectoryFormErrors = Partial<Record<"q" | "from" | "to", string>>;

/**
 * The directory's filters as a plain GET form: the URL holds the whole view, so it can be shared,
 * bookmarked and walked back. Works without JavaScript.
 */
export function DirectoryFilters({
  values,
  errors,
  organisations,
}: {
  values: DirectoryFormValues;
  errors: DirectoryFormErrors;
  organisations: { id: string; name: string }[];
}) {
  const dateField = (name: "from" | "to", label: string) => (
    <Field id={`directory-${name}`} label={label} error={errors[name]}>
      <input
        id={`directory-${name}`}
        name={name}
        type="date"
        defaultValue={values[name]}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `directory-${name}-error` : undefined}
        className={`${FIELD} ${errors[name] ? "border-red-600" : "border-slate-300"}`}
      />
    </Field>
  );
  return (
    <form
      method="get"
      action="/console/customers"
      role="search"
      aria-label="Find customers"
      className="mb-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex flex-col gap-1">
        <label htmlFor="customer-search" className="field-label">
          Name, account number, email or phone
        </label>
        <p id="customer-search-hint" className="text-xs text-slate-600">
          Names match in part; account numbers, email addresses and phone numbers only whole.
        </p>
        <input
          id="customer-search"
          name="q"
          type="search"
          defaultValue={values.q}
          autoComplete="off"
          aria-describedby={errors.q ? "customer-search-hint customer-search-error" : "customer-search-hint"}
          aria-invalid={errors.q ? true : undefined}
          className={`${FIELD} px-3 ${errors.q ? "border-red-600" : "border-slate-300"}`}
        />
        {errors.q ? (
          <p id="customer-search-error" role="alert" className="text-sm text-red-700">
            {errors.q}
          </p>
        ) : null}
      </div>
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="directory-org" label="Organisation">
          <select id="directory-org" name="org" defaultValue={values.org ?? ""} className={`${FIELD} border-slate-300`}>
            <option value="">Any</option>
            <option value="none">No organisation</option>
            {organisations.map((organisation) => (
              <option key={organisation.id} value={organisation.id}>
                {organisation.name}
              </option>
            ))}
          </select>
        </Field>
        <Select name="agreement" label="Support agreement" value={values.agreement} options={DIRECTORY_AGREEMENT_FILTERS} labels={AGREEMENT_FILTER_LABEL} />
        <Select name="contacts" label="Contacts" value={values.contacts} options={DIRECTORY_CONTACT_FILTERS} labels={CONTACT_FILTER_LABEL} />
        <Select name="sort" label="Sort" value={values.sort} options={DIRECTORY_SORTS} labels={SORT_LABEL} />
        {dateField("from", "Created from (UTC)")}
        {dateField("to", "Created to (UTC)")}
        <Select name="erased" label="Erased customers" value={values.erased} options={DIRECTORY_ERASED_FILTERS} labels={ERASED_FILTER_LABEL} />
      </div>
      <div className="mt-4 flex flex-wrap gap-2">
        <button type="submit" className={buttonClasses("primary")}>
          Search
        </button>
        <Link href="/console/customers" className={buttonClasses("secondary")}>
          Clear filters
        </Link>
      </div>
    </form>
  );
}
