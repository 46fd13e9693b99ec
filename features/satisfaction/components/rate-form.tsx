"use client";

import { useState } from "react";
import { rateTicketAction } from "@/features/satisfaction/actions";
import { RATING_LABEL, rateTicketSchema, SATISFACTION_RATINGS, type SatisfactionRatingValue } from "@/features/satisfaction/schemas";
import { Alert } from "@/ui/alert";
import { TextAreaField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/**
 * The rating page's form: the choice from the link preselected (opening the link recorded
 * nothing), an optional comment, and the button that records it (a POST).
 */
export function RateForm({ token, preselected }: { token: string; preselected: SatisfactionRatingValue }) {
  const [done, setDone] = useState<SatisfactionRatingValue | null>(null);
  const form = useActionForm(rateTicketSchema, rateTicketAction, {
    defaultValues: { token, rating: preselected, comment: "" },
    fields: ["rating", "comment"],
    onSuccess: (data) => {
      if (data.ok) setDone(data.rating);
      else form.setFormError(data.message);
    },
  });
  const { register, errors } = form;
  if (done) {
    return (
      <div role="status">
        <Alert tone="success" title="Thank you">
          Your rating ({RATING_LABEL[done]}) is recorded. You can close this page.
        </Alert>
      </div>
    );
  }
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...register("token")} />
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-900">How was our help?</legend>
        <div className="flex gap-4">
          {SATISFACTION_RATINGS.map((rating) => (
            <label key={rating} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="radio" value={rating} {...register("rating")} />
              {RATING_LABEL[rating]}
            </label>
          ))}
        </div>
        {errors.rating?.message ? <p className="text-sm text-red-700">{errors.rating.message}</p> : null}
      </fieldset>
      <TextAreaField id="rating-comment" label="Comment (optional)" rows={4} error={errors.comment?.message} {...register("comment")} />
      <div>
        <SubmitButton pending={form.pending} busy="Sending…">
          Send rating
        </SubmitButton>
      </div>
    </form>
  );
}
