"use client";

import { Alert } from "@/ui/alert";
import { TextAreaField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { createOrganisationAction, updateOrganisationAction } from "@/features/organisations/actions";
import {
  createOrganisationSchema,
  ORGANISATION_NAME_MAX_LENGTH,
  ORGANISATION_NOTES_MAX_LENGTH,
  updateOrganisationSchema,
} from "@/features/organisations/schemas";

/** New organisation: name and notes; on success the page moves to the organisation. */
export function CreateOrganisationForm() {
  const form = useActionForm(createOrganisationSchema, createOrganisationAction, {
    defaultValues: { name: "", notes: "" },
    fields: ["name", "notes"],
    leaves: true,
  });
  const { register, errors } = form;
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      <TextField
        label="Name"
        hint="As the organisation calls itself, e.g. Northwind Traders. Two organisations cannot share a name."
        error={errors.name?.message}
        maxLength={ORGANISATION_NAME_MAX_LENGTH}
        autoComplete="off"
        {...register("name")}
      />
      <TextAreaField
        label="Notes (optional)"
        hint="For staff only."
        error={errors.notes?.message}
        maxLength={ORGANISATION_NOTES_MAX_LENGTH}
        rows={3}
        {...register("notes")}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Creating…">
          Create organisation
        </SubmitButton>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

/** Name and notes of an existing organisation. */
export function EditOrganisationForm({ organisationId, name, notes }: { organisationId: string; name: string; notes: string }) {
  const form = useActionForm(updateOrganisationSchema, updateOrganisationAction, {
    defaultValues: { organisationId, name, notes },
    fields: ["name", "notes"],
    onSuccess: (data) => data.message,
  });
  const { register, errors } = form;
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      <input type="hidden" {...register("organisationId")} />
      <TextField label="Name" error={errors.name?.message} maxLength={ORGANISATION_NAME_MAX_LENGTH} autoComplete="off" {...register("name")} />
      <TextAreaField
        label="Notes (optional)"
        hint="For staff only."
        error={errors.notes?.message}
        maxLength={ORGANISATION_NOTES_MAX_LENGTH}
        rows={3}
        {...register("notes")}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save name and notes
        </SubmitButton>
      </div>
      <div aria-live="polite">{form.notice ? <Alert tone="success">{form.notice}</Alert> : null}</div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}
