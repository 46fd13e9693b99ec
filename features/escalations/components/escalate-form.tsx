"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { escalateTicketAction } from "@/features/escalations/escalate-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { SelectField, TextAreaField } from "@/ui/field";
import { ESCALATION_REASON_LABEL, type EscalateTicketInput, escalateTicketSchema, MANUAL_ESCALATION_REASONS } from "@/features/escalations/schemas";

/**
 * "Escalate to a supervisor": a reason and a note. While the ticket has an open manual escalation
 * the form is replaced by a line saying so (the service refuses a second one anyway).
 */
export function EscalateForm({ ticketId, alreadyEscalated }: { ticketId: string; alreadyEscalated: boolean }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<EscalateTicketInput>({
    resolver: zodResolver(escalateTicketSchema),
    defaultValues: { ticketId, reason: "identity_unverified", note: "" },
  });
  const { errors, isSubmitting } = form.formState;

  async function submit(values: EscalateTicketInput) {
    setFormError(null);
    setDone(null);
    const result = await escalateTicketAction(values);
    if (!result.ok) {
      setFormError(showActionError(result, form.setError, ["reason", "note"]));
      return;
    }
    form.reset({ ticketId, reason: values.reason, note: "" });
    setDone("Escalated. A supervisor will pick it up from the escalation queue.");
    router.refresh();
  }

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
        <form onSubmit={form.handleSubmit(submit)} noValidate className="flex flex-col gap-3">
          {formError ? <Alert tone="error">{formError}</Alert> : null}
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
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? "Escalating…" : "Escalate to a supervisor"}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
