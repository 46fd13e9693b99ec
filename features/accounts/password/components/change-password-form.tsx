"use client";

import { changePasswordAction } from "@/features/accounts/security-actions";
import { PASSWORD_MIN_LENGTH } from "@/features/accounts/password/password-policy";
import { changePasswordSchema } from "@/features/accounts/password/schemas";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

export function ChangePasswordForm() {
  const form = useActionForm(changePasswordSchema, changePasswordAction, {
    defaultValues: { currentPassword: "", password: "", confirmPassword: "" },
    fields: ["currentPassword", "password", "confirmPassword"],
    onSuccess: () => {
      form.reset();
      return "Your password was changed. Other devices were signed out, and we emailed you a notice.";
    },
  });
  const { errors, register } = form;

  return (
    <form onSubmit={form.submit} noValidate className="flex max-w-md flex-col gap-4">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        error={errors.currentPassword?.message}
        {...register("currentPassword")}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password.`}
        error={errors.password?.message}
        {...register("password")}
      />
      <TextField
        label="New password again"
        type="password"
        autoComplete="new-password"
        error={errors.confirmPassword?.message}
        {...register("confirmPassword")}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Changing…">
          Change password
        </SubmitButton>
      </div>
    </form>
  );
}
