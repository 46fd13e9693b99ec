"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { changePasswordAction } from "@/features/accounts/security-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { type ChangePasswordInput, changePasswordSchema } from "@/features/accounts/password/schemas";
import { PASSWORD_MIN_LENGTH } from "@/features/accounts/password/password-policy";

export function ChangePasswordForm() {
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ChangePasswordInput>({ resolver: zodResolver(changePasswordSchema), defaultValues: { currentPassword: "", password: "", confirmPassword: "" } });

  async function onSubmit(values: ChangePasswordInput) {
    setFormError(null);
    setDone(false);
    const result = await changePasswordAction(values);
    if (result.ok) {
      reset();
      setDone(true);
      return;
    }
    setFormError(showActionError(result, setError, ["currentPassword", "password", "confirmPassword"]));
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex max-w-md flex-col gap-4">
      {done ? <Alert tone="success">Your password was changed. Other devices were signed out, and we emailed you a notice.</Alert> : null}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
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
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
