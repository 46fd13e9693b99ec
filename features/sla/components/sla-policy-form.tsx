"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import type { z } from "zod";
import { updateSlaPolicyAction } from "@/features/sla/actions";
import { Alert } from "@/ui/alert";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { formatDuration } from "@/platform/text/durations";
import { type SlaScope, WEEKDAYS, slaPolicyInputSchema } from "@/features/sla/schemas";

type FormOutput = z.output<typeof slaPolicyInputSchema>;
/** What the inputs hold: text for the numbers, the checked weekday values as strings. */
export type SlaPolicyFormValues = {
  scope: SlaScope;
  firstResponseMinutes: string;
  resolutionMinutes: string;
  warnBeforeMinutes: string;
  businessHoursOnly: boolean;
  businessDayStart: string;
  businessDayEnd: string;
  businessDays: string[];
  timeZone: string;
};

/** "= 8 h" under a number of minutes, so nobody has to divide by 60. */
const minutesHint = (value: string) => {
  const minutes = Number(value);
  return Number.isInteger(minutes) && minutes >= 60 ? `Minutes (= ${formatDuration(minutes * 60)})` : "Minutes";
};

const SHORT_NAME: Record<SlaScope, string> = { premium: "premium", standard: "standard", basic: "basic", no_agreement: "no-agreement" };

/** One policy's edit form: targets, warning, and optional business hours. Errors are per field and announced. */
export function SlaPolicyForm({ title, policy, timeZones, updatedAt }: { title: string; policy: SlaPolicyFormValues; timeZones: string[]; updatedAt: string }) {
  const router = useRouter();
  const headingId = useId();
  // The schema coerces the text inputs to numbers: its input type is looser than the form's values.
  const schema = slaPolicyInputSchema as unknown as z.ZodType<FormOutput, SlaPolicyFormValues>;
  const form = useActionForm(schema, updateSlaPolicyAction, {
    defaultValues: policy,
    onSuccess: (data) => {
      router.refresh();
      return data.message;
    },
    // Every field's error on its field, and the summary under the form too.
    onRefusal: (refusal) => {
      for (const [field, messages] of Object.entries(refusal.fieldErrors ?? {})) {
        if (messages[0]) form.setError(field as keyof SlaPolicyFormValues, { message: messages[0] });
      }
      form.setFormError(refusal.error);
      return true;
    },
  });
  const { register, watch, errors } = form;
  const businessHoursOnly = watch("businessHoursOnly");

  return (
    <section aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id={headingId} className="text-base font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mb-4 text-xs text-slate-500">Last changed {updatedAt} UTC</p>
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-4" aria-label={`${title} policy`}>
        <input type="hidden" {...register("scope")} />
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Respond within"
            inputMode="numeric"
            hint={minutesHint(watch("firstResponseMinutes"))}
            error={errors.firstResponseMinutes?.message}
            {...register("firstResponseMinutes")}
          />
          <TextField
            label="Resolve within"
            inputMode="numeric"
            hint={minutesHint(watch("resolutionMinutes"))}
            error={errors.resolutionMinutes?.message}
            {...register("resolutionMinutes")}
          />
          <TextField
            label="Warn before"
            inputMode="numeric"
            hint="Minutes; 0 = no warning"
            error={errors.warnBeforeMinutes?.message}
            {...register("warnBeforeMinutes")}
          />
        </div>

        <div className="flex items-start gap-2">
          <input id={`${headingId}-business`} type="checkbox" className="mt-1 h-4 w-4" {...register("businessHoursOnly")} />
          <label htmlFor={`${headingId}-business`} className="text-sm text-slate-800">
            <span className="font-medium">Count business hours only</span>
            <span className="block text-xs text-slate-600">Nights, weekends and non-working days do not use up the targets.</span>
          </label>
        </div>

        {businessHoursOnly ? (
          <div className="flex flex-col gap-4 rounded-lg bg-slate-50 p-4">
            <div className="grid gap-4 sm:grid-cols-3">
              <TextField label="Opens at" type="time" error={errors.businessDayStart?.message} {...register("businessDayStart")} />
              <TextField label="Closes at" type="time" error={errors.businessDayEnd?.message} {...register("businessDayEnd")} />
              <SelectField label="Time zone" error={errors.timeZone?.message} {...register("timeZone")}>
                {timeZones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone}
                  </option>
                ))}
              </SelectField>
            </div>
            <fieldset aria-describedby={errors.businessDays ? `${headingId}-days-error` : undefined}>
              <legend className="text-sm font-medium text-slate-800">Business days</legend>
              <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
                {WEEKDAYS.map(({ day, label, short }) => (
                  <label key={day} className="flex items-center gap-1.5 text-sm text-slate-800">
                    <input type="checkbox" value={String(day)} className="h-4 w-4" {...register("businessDays")} />
                    <span aria-hidden="true">{short}</span>
                    <span className="sr-only">{label}</span>
                  </label>
                ))}
              </div>
              {errors.businessDays ? (
                <p id={`${headingId}-days-error`} role="alert" className="mt-1 text-sm text-red-700">
                  {errors.businessDays.message}
                </p>
              ) : null}
            </fieldset>
          </div>
        ) : null}

        {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
        <div>
          <SubmitButton pending={form.pending} busy="Saving…">
            {`Save ${SHORT_NAME[policy.scope]} policy`}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
