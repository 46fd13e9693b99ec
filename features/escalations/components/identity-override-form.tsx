"use client";

import { useRouter } from "next/navigation";
import { overrideIdentityCheckAction } from "@/features/escalations/actions";
import { Alert } from "@/ui/alert";
import { TextAreaField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { OVERRIDE_REASON_MIN, overrideIdentityCheckSchema } from "@/features/escalations/schemas";

/** Supervisors only: record a manual verification of this conversation, with a written reason (audited). */
export function IdentityOverrideForm({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const form = useActionForm(overrideIdentityCheckSchema, overrideIdentityCheckAction, {
    defaultValues: { ticketId, reason: "" },
    fields: ["reason"],
    onSuccess: () => {
      form.reset({ ticketId, reason: "" });
      router.refresh();
      return "Manual verification recorded. The identity panel shows it as a supervisor override.";
    },
  });

  return (
    <section id="identity-override" aria-labelledby="override-heading" className="rounded-xl border border-amber-200 bg-white p-5 shadow-sm">
      <h2 id="override-heading" className="mb-1 text-base font-semibold">
        Override identity check
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Counts as verified for this conversation only, until it expires. It is audited and always shown as a supervisor override.
      </p>
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-3">
        {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
        <input type="hidden" {...form.register("ticketId")} />
        <TextAreaField
          label="Reason for the manual verification"
          hint={`How you know who this is (at least ${OVERRIDE_REASON_MIN} characters).`}
          rows={3}
          maxLength={2000}
          error={form.errors.reason?.message}
          {...form.register("reason")}
        />
        <div>
          <SubmitButton variant="secondary" pending={form.pending} busy="Recording…">
            Record manual verification
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
