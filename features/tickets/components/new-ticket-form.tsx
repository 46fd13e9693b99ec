"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { openTicket } from "@/features/tickets/portal-actions";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { CATEGORY_LABEL, type NewPortalTicketInput, newPortalTicketSchema, TICKET_CATEGORIES } from "@/features/tickets/schemas";

const PRIORITIES = [
  ["low", "Low: a question, no rush"],
  ["normal", "Normal"],
  ["high", "High: my work is held up"],
  ["urgent", "Urgent: something critical is down"],
] as const;

export function NewTicketForm() {
  const router = useRouter();
  const ids = { description: useId(), category: useId(), priority: useId() };
  const form = useActionForm(newPortalTicketSchema, openTicket, {
    defaultValues: { priority: "normal", category: "question" },
    onSuccess: (data) => router.push(`/portal/tickets/${data.id}?created=1`),
    // Every field's error on its field, and the summary above the form too.
    onRefusal: (refusal) => {
      for (const [field, messages] of Object.entries(refusal.fieldErrors ?? {})) form.setError(field as keyof NewPortalTicketInput, { message: messages[0] });
      form.setFormError(refusal.error);
      return true;
    },
  });
  const { register, errors } = form;

  const errorText = (id: string, message?: string) =>
    message ? (
      <p id={id} role="alert" className="text-sm text-red-700">
        {message}
      </p>
    ) : null;

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField label="Subject" hint="A few words that say what this is about." error={errors.subject?.message} {...register("subject")} />
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.description} className="text-sm font-medium">
          Describe the problem or question
        </label>
        <textarea
          id={ids.description}
          rows={8}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? `${ids.description}-error` : undefined}
          className={`rounded-md border bg-white px-3 py-2 text-sm ${errors.description ? "border-red-600" : "border-slate-300"}`}
          {...register("description")}
        />
        {errorText(`${ids.description}-error`, errors.description?.message)}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.category} className="text-sm font-medium">
            Category
          </label>
          <select id={ids.category} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" {...register("category")}>
            {TICKET_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {CATEGORY_LABEL[category]}
              </option>
            ))}
          </select>
          {errorText(`${ids.category}-error`, errors.category?.message)}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.priority} className="text-sm font-medium">
            How urgent is it?
          </label>
          <select id={ids.priority} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" {...register("priority")}>
            {PRIORITIES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {errorText(`${ids.priority}-error`, errors.priority?.message)}
        </div>
      </div>
      <div>
        <SubmitButton pending={form.pending} busy="Submitting…">
          Submit ticket
        </SubmitButton>
      </div>
    </form>
  );
}
