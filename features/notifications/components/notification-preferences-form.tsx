"use client";

import { useId } from "react";
import type { NotificationKind } from "@/platform/db/generated/prisma/enums";
import { Alert } from "@/ui/alert";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { saveEmailPreferences } from "@/features/notifications/actions";
import { KIND_LABEL } from "@/features/notifications/kinds";
import { notificationPreferencesSchema } from "@/features/notifications/schemas";

export function NotificationPreferencesForm({ preferences }: { preferences: { kind: NotificationKind; email: boolean }[] }) {
  const legendId = useId();
  const form = useActionForm(notificationPreferencesSchema, saveEmailPreferences, {
    defaultValues: { emailKinds: preferences.filter((pref) => pref.email).map((pref) => pref.kind) },
    fields: ["emailKinds"],
    onSuccess: (data) => {
      const on = data.preferences.filter((pref) => pref.email).length;
      return on === 0 ? "Saved. No notification will come by email." : `Saved. ${on} of ${data.preferences.length} kinds come by email too.`;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      <fieldset aria-describedby={form.errors.emailKinds ? `${legendId}-error` : undefined}>
        <legend id={legendId} className="text-sm font-medium text-slate-900">
          Email me when…
        </legend>
        <div className="mt-2 flex flex-col gap-2">
          {preferences.map((pref) => (
            <label key={pref.kind} className="flex items-start gap-3 text-sm text-slate-800">
              <input type="checkbox" value={pref.kind} {...form.register("emailKinds")} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300" />
              <span>{KIND_LABEL[pref.kind]}</span>
            </label>
          ))}
        </div>
        {form.errors.emailKinds ? (
          <p id={`${legendId}-error`} className="mt-2 text-sm text-red-700">
            {form.errors.emailKinds.message}
          </p>
        ) : null}
      </fieldset>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save email choices
        </SubmitButton>
      </div>
    </form>
  );
}
