"use client";

import { useRouter } from "next/navigation";
import { escalateTicketAction } from "@/features/escalations/escalate-actions";
import { Alert } from "@/ui/alert";
import { SelectField, TextAreaField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { ESCALATION_REASON_LABEL, escalateTicketSchema, MANUAL_ESCALATION_REASONS } from "@/features/escalations/schemas";

/**
 * "Escalate to a supervisor": a reason and a note. While the ticket has an open manual escalation
 * the form is replaced by a line saying so (the service refuses a second one anyway).
 */
export function EscalateForm({ ticketId, alreadyEscalated }: { ticketId: string; alreadyEscalated: boolean }) {
  const router = useRouter();
  const form = useActionForm(escalateTicketSchema, escalateTicketAction, {
    defaultValues: { ticketId, reason: "identity_unverified", note: "" },
    fields: ["reason", "note"],
    onSuccess: (_, values) => {
      form.reset({ ticketId, reason: values.reason, note: "" });
      router.refresh();
      return "Escalated. A supervisor will pick it up from the escalation queue.";
    },
  });
  const { errors, notice: done } = form;

  return (
    <section id="escalate" aria-labelledby="escalate-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="escalate-heading" className="mb-3 text-base font-semibold">
        Escalate to a supervisor
      </h2>
      {done ? <Alert tone="success">{done}</Alert> : null}
      {alreadyEscalated ? (
        done ? null : (
          <p className="text-sm text-slate-600">This ticket is already escalated: see the banner at the top.</p>
        )
      ) : (
        <form onSubmit={form.submit} noValidate className="flex flex-col gap-3">
          {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
          <input type="hidden" {...form.register("ticketId")} />
          <SelectField label="Reason" error={errors.reason?.message} {...form.register("reason")}>
            {MANUAL_ESCALATION_REASONS.map((reason) => (
              <option key={reason} value={reason}>
                {ESCALATION_REASON_LABEL[reason]}
              </option>
            ))}
          </SelectField>
          <TextAreaField
            label="Note for the supervisor"
            hint="What happened, and what you need from them."
            rows={3}
            maxLength={2000}
            error={errors.note?.message}
            {...form.register("note")}
          />
          <div>
            <SubmitButton pending={form.pending} busy="Escalating…">
              Escalate to a supervisor
            </SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}
