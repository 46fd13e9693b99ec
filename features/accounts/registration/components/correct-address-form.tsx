"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { correctAddressAction } from "@/features/accounts/registration/verify-email-actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { suggestEmail } from "@/platform/email-address/typo-suggestions";
import { type CorrectAddressInput, correctAddressSchema } from "@/features/accounts/registration/schemas";

/** "Wrong address?": the corrected address gets a new code; the old address's code stops working. */
export function CorrectAddressForm({ onCorrected, onCancel }: { onCorrected: (maskedEmail: string) => void; onCancel: () => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [checked, setChecked] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    setFocus,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<CorrectAddressInput>({ resolver: zodResolver(correctAddressSchema), defaultValues: { email: "" } });
  const suggestion = checked ? suggestEmail(watch("email") ?? "") : null;

  async function onSubmit(values: CorrectAddressInput) {
    setFormError(null);
    const result = await correctAddressAction(values);
    if (result.ok) return onCorrected(result.data.maskedEmail);
    const message = result.fieldErrors?.email?.[0];
    if (message) setError("email", { type: "server", message }, { shouldFocus: true });
    else setFormError(result.error);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
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
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Send a code to this address"}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
