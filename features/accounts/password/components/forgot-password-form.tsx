"use client";

import { requestPasswordResetAction } from "@/features/accounts/password/forgot-password-actions";
import { forgotPasswordSchema } from "@/features/accounts/password/schemas";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const form = useActionForm(forgotPasswordSchema, requestPasswordResetAction, {
    defaultValues: { email: "" },
    onSuccess: (data) => data.message,
    // Even the address's own error is the form's answer here, not the field's.
    onRefusal: (refusal) => {
      form.setFormError(refusal.fieldErrors?.email?.[0] ?? refusal.error);
      return true;
    },
  });

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField label="Email address" type="email" autoComplete="username" spellCheck={false} error={form.errors.email?.message} {...form.register("email")} />
      <SubmitButton pending={form.pending} busy="Sending…">
        Email me a reset link
      </SubmitButton>
    </form>
  );
}
