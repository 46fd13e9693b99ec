"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { overrideIdentityCheckAction } from "@/features/escalations/actions";
import { showActionError } from "@/ui/forms/action-errors";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextAreaField } from "@/ui/field";
import { OVERRIDE_REASON_MIN, type OverrideIdentityCheckInput, overrideIdentityCheckSchema } from "@/features/escalations/schemas";

/** Supervisors only: record a manual verification of this conversation, with a written reason (audited). */
export function IdentityOverrideForm({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<OverrideIdentityCheckInput>({ resolver: zodResolver(overrideIdentityCheckSchema), defaultValues: { ticketId, reason: "" } });
  const { errors, isSubmitting } = form.formState;

  async function submit(values: OverrideIdentityCheckInput) {
    setFormError(null);
    setDone(null);
    const result = await overrideIdentityCheckAction(values);
    if (!result.ok) {
      setFormError(showActionError(result, form.setError, ["reason"]));
      return;
    }
    form.reset({ ticketId, reason: "" });
    setDone("Manual verification recorded. The identity panel shows it as a supervisor override.");
    router.refresh();
  }

  return (
    <section id="identity-override" aria-labelledby="override-heading" className="rounded-xl border border-amber-200 bg-white p-5 shadow-sm">
      <h2 id="override-heading" className="mb-1 text-base font-semibold">
        Override identity check
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Counts as verified for this conversation only, until it expires. It is audited and always shown as a supervisor override.
      </p>
      <form onSubmit={form.handleSubmit(submit)} noValidate className="flex flex-col gap-3">
        {done ? <Alert tone="success">{done}</Alert> : null}
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <input type="hidden" {...form.register("ticketId")} />
        <TextAreaField
          label="Reason for the manual verification"
          hint={`How you know who this is (at least ${OVERRIDE_REASON_MIN} characters).`}
          rows={3}
          maxLength={2000}
          error={errors.reason?.message}
          {...form.register("reason")}
        />
        <div>
          <Button type="submit" variant="secondary" disabled={isSubmitting}>
            {isSubmitting ? "Recording…" : "Record manual verification"}
          </Button>
        </div>
      </form>
    </section>
  );
}
