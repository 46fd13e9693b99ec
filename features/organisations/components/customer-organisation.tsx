"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { setCustomerOrganisationAction } from "@/features/organisations/actions";
import { ORGANISATION_NAME_MAX_LENGTH, setCustomerOrganisationSchema } from "@/features/organisations/schemas";

/**
 * The customer page's "Organisation": which organisation the customer is a contact of (its
 * agreements entitle them), set by name from the existing organisations or cleared (empty).
 */
export function CustomerOrganisation({
  customerId,
  organisation,
  names,
}: {
  customerId: string;
  organisation: { id: string; name: string } | null;
  names: string[];
}) {
  const router = useRouter();
  const form = useActionForm(setCustomerOrganisationSchema, setCustomerOrganisationAction, {
    defaultValues: { customerId, organisationName: organisation?.name ?? "" },
    fields: ["organisationName"],
    onSuccess: (data) => {
      router.refresh();
      return data.message;
    },
  });
  const { register, errors } = form;
  return (
    <section aria-labelledby="organisation-heading" className="mb-6 flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="organisation-heading" className="text-lg font-semibold text-slate-900">
        Organisation
      </h2>
      <p className="text-sm text-slate-700">
        {organisation ? (
          <>
            A contact of{" "}
            <Link href={`/console/organisations/${organisation.id}`} className="font-medium text-brand-700 hover:underline">
              {organisation.name}
            </Link>
            : its agreements cover this customer too.
          </>
        ) : (
          "Not a contact of any organisation."
        )}
      </p>
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <input type="hidden" {...register("customerId")} />
        <TextField
          label="Organisation name"
          hint="An existing organisation; leave empty to remove the customer from theirs."
          error={errors.organisationName?.message}
          maxLength={ORGANISATION_NAME_MAX_LENGTH}
          list="organisation-names"
          autoComplete="off"
          className="sm:w-80"
          {...register("organisationName")}
        />
        <datalist id="organisation-names">
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <div className="sm:pt-6">
          <SubmitButton variant="secondary" pending={form.pending} busy="Saving…">
            Save organisation
          </SubmitButton>
        </div>
      </form>
      <div aria-live="polite">{form.notice ? <Alert tone="success">{form.notice}</Alert> : null}</div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </section>
  );
}
