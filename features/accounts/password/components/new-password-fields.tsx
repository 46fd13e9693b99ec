"use client";

import type { FieldErrors, FieldValues, Path, UseFormRegister } from "react-hook-form";
import { PASSWORD_MIN_LENGTH } from "@/features/accounts/password/password-policy";
import { TextField } from "@/ui/field";

type NewPasswordValues = { password: string; confirmPassword: string };

/**
 * A new password, typed twice, with the policy's hint: the one copy used wherever a password is
 * set (reset, change, accepting a staff invitation). The schema behind the form checks both.
 */
export function NewPasswordFields<T extends FieldValues & NewPasswordValues>({
  register,
  errors,
  label = "New password",
  autoFocus = false,
}: {
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
  label?: string;
  autoFocus?: boolean;
}) {
  const fieldErrors = errors as FieldErrors<NewPasswordValues>;
  return (
    <>
      <TextField
        label={label}
        type="password"
        autoComplete="new-password"
        autoFocus={autoFocus}
        hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong password.`}
        error={fieldErrors.password?.message}
        {...register("password" as Path<T>)}
      />
      <TextField
        label={`${label} again`}
        type="password"
        autoComplete="new-password"
        error={fieldErrors.confirmPassword?.message}
        {...register("confirmPassword" as Path<T>)}
      />
    </>
  );
}
