"use client";

import { useState } from "react";
import { surveyOptOutAction } from "@/features/satisfaction/actions";
import { surveyOptOutSchema } from "@/features/satisfaction/schemas";
import { Alert } from "@/ui/alert";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** "Stop satisfaction surveys": a button, so a mail scanner opening the link unsubscribes nobody. */
export function OptOutForm({ token }: { token: string }) {
  const [done, setDone] = useState(false);
  const form = useActionForm(surveyOptOutSchema, surveyOptOutAction, {
    defaultValues: { token },
    onSuccess: (data) => {
      if (data.ok) setDone(true);
      else form.setFormError(data.message);
    },
  });
  if (done)
    return (
      <div role="status">
        <Alert tone="success" title="Done">
          We won't ask you to rate our help again.
        </Alert>
      </div>
    );
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...form.register("token")} />
      <p className="text-sm text-slate-700">Press the button and we will not send you satisfaction surveys any more.</p>
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Stop satisfaction surveys
        </SubmitButton>
      </div>
    </form>
  );
}
