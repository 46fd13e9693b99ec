"use client";

import { useRouter } from "next/navigation";
import { changeTimeZoneAction } from "@/features/accounts/time-zone/actions";
import { type TimeZoneInput, timeZoneInputSchema } from "@/features/accounts/time-zone/schemas";
import { Alert } from "@/ui/alert";
import { SelectField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** The account page's time-zone choice: every zone the server lists; the page's times follow on save. */
export function TimeZoneForm({ current, zones, now }: { current: string | null; zones: string[]; now: { text: string } }) {
  const router = useRouter();
  const form = useActionForm(timeZoneInputSchema, changeTimeZoneAction, {
    defaultValues: { timeZone: current ?? "UTC" } satisfies TimeZoneInput,
    fields: ["timeZone"],
    onSuccess: (data) => {
      router.refresh();
      return data.message;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-3">
      <p className="text-sm text-slate-600">{current ? `Times are shown in ${current} (now ${now.text}).` : "No time zone set yet: times are shown in UTC."}</p>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField label="Time zone" className="min-w-0 max-w-full sm:w-80" error={form.errors.timeZone?.message} {...form.register("timeZone")}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </SelectField>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save time zone
        </SubmitButton>
      </div>
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}
