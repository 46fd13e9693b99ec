"use client";

import { changePasswordAction } from "@/features/accounts/security-actions";
import { changePasswordSchema } from "@/features/accounts/password/schemas";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { NewPasswordFields } from "@/features/accounts/password/components/new-password-fields";
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
      <NewPasswordFields register={register} errors={errors} />
      <div>
        <SubmitButton pending={form.pending} busy="Changing…">
          Change password
        </SubmitButton>
      </div>
    </form>
  );
}
