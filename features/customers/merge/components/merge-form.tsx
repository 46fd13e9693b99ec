"use client";

import { useRouter } from "next/navigation";
import { mergeCustomersAction } from "@/features/customers/merge/actions";
import { MERGE_REASON_MIN, mergeCustomersSchema } from "@/features/customers/merge/schemas";
import { Alert } from "@/ui/alert";
import { TextAreaField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** Supervisors only: confirm the merge previewed above; a reason is required when verified identities disagree. */
export function MergeForm({
  survivor,
  absorbed,
  needsReason,
}: {
  survivor: { id: string; accountNumber: string };
  absorbed: { id: string; accountNumber: string };
  needsReason: boolean;
}) {
  const router = useRouter();
  const form = useActionForm(mergeCustomersSchema, mergeCustomersAction, {
    defaultValues: { survivorId: survivor.id, absorbedId: absorbed.id, reason: "" },
    fields: ["reason"],
    leaves: true,
    onSuccess: (data) => {
      router.push(`/console/customers/${data.survivorId}?merged=1#merges`);
    },
  });

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-3">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...form.register("survivorId")} />
      <input type="hidden" {...form.register("absorbedId")} />
      <TextAreaField
        label={needsReason ? "Why are these the same person? (required)" : "Reason (optional)"}
        hint={
          needsReason
            ? `Both records have verified identities that disagree: the merge is recorded as a supervisor override with this reason (at least ${MERGE_REASON_MIN} characters).`
            : "Kept with the merge in the customer's history."
        }
        rows={3}
        maxLength={2000}
        required={needsReason}
        error={form.errors.reason?.message}
        {...form.register("reason")}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Merging…">
          Merge {absorbed.accountNumber} into {survivor.accountNumber}
        </SubmitButton>
      </div>
    </form>
  );
}
