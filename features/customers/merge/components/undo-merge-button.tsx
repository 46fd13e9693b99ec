"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { undoMergeAction } from "@/features/customers/merge/actions";
import { undoMergeSchema } from "@/features/customers/merge/schemas";
import { Alert } from "@/ui/alert";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/**
 * Undo one merge (supervisors, within the window); a refusal lists everything that depends on the merged state.
 * Once the merge is undone the button goes and only this session's confirmation, if any, stays.
 */
export function UndoMergeButton({ mergeId, label, undone }: { mergeId: string; label: string; undone: boolean }) {
  const router = useRouter();
  const [problems, setProblems] = useState<string[]>([]);
  const form = useActionForm(undoMergeSchema, undoMergeAction, {
    defaultValues: { mergeId },
    onSuccess: () => {
      setProblems([]);
      router.refresh();
      return "Merge undone: both records are back as they were.";
    },
    onRefusal: (refusal) => {
      setProblems(refusal.fieldErrors?.problems ?? []);
      return false;
    },
  });

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-2">
      <input type="hidden" {...form.register("mergeId")} />
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? (
        problems.length > 0 ? (
          <Alert tone="error" title="This merge cannot be undone: these depend on it.">
            <ul className="mt-1 list-disc pl-5">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </Alert>
        ) : (
          <Alert tone="error">{form.formError}</Alert>
        )
      ) : null}
      {undone ? null : (
        <div>
          <SubmitButton variant="secondary" pending={form.pending} busy="Undoing…" aria-label={label}>
            Undo merge
          </SubmitButton>
        </div>
      )}
    </form>
  );
}
