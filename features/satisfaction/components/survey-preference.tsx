"use client";

import { useState } from "react";
import { setSurveyPreferenceAction } from "@/features/satisfaction/actions";
import { surveyPreferenceSchema } from "@/features/satisfaction/schemas";
import { Alert } from "@/ui/alert";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** "Ask me to rate solved tickets": the per-account opt-out (the survey email's unsubscribe link sets the same). */
export function SurveyPreference({ surveys }: { surveys: boolean }) {
  const [saved, setSaved] = useState<string>("");
  const form = useActionForm(surveyPreferenceSchema, setSurveyPreferenceAction, {
    defaultValues: { surveys },
    onSuccess: (data) => setSaved(data.surveys ? "Saved: we will ask you to rate solved tickets." : "Saved: we won't ask you to rate solved tickets."),
  });
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-3">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" {...form.register("surveys")} />
        Ask me to rate our help when a ticket is solved
      </label>
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save
        </SubmitButton>
      </div>
      <p role="status" className="text-sm text-slate-600">
        {saved}
      </p>
    </form>
  );
}
