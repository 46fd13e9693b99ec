"use client";

import { useState } from "react";
import { correctAddressAction } from "@/features/accounts/registration/verify-email-actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { suggestEmail } from "@/platform/email-address/typo-suggestions";
import { correctAddressSchema } from "@/features/accounts/registration/schemas";

/** "Wrong address?": the corrected address gets a new code; the old address's code stops working. */
export function CorrectAddressForm({ onCorrected, onCancel }: { onCorrected: (maskedEmail: string) => void; onCancel: () => void }) {
  const [checked, setChecked] = useState(false);
  const form = useActionForm(correctAddressSchema, correctAddressAction, {
    defaultValues: { email: "" },
    fields: ["email"],
    onSuccess: (data) => onCorrected(data.maskedEmail),
  });
  const { register, setValue, setFocus, errors } = form;
  const suggestion = checked ? suggestEmail(form.watch("email") ?? "") : null;

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField
        label="Correct email address"
        type="email"
        autoComplete="email"
        spellCheck={false}
        autoFocus
        error={errors.email?.message}
        {...register("email", { onBlur: () => setChecked(true) })}
      />
      <div role="status" aria-live="polite">
        {suggestion ? (
          <p className="text-sm text-amber-900">
            Did you mean <strong className="break-all">{suggestion}</strong>?{" "}
            <button
              type="button"
              onClick={() => {
                setValue("email", suggestion, { shouldValidate: true });
                setFocus("email");
              }}
              className="font-semibold text-brand-700 underline underline-offset-2"
            >
              Yes, use {suggestion}
            </button>
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <SubmitButton pending={form.pending} busy="Sending…">
          Send a code to this address
        </SubmitButton>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
