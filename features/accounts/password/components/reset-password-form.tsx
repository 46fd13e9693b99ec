"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { resetPasswordAction } from "@/features/accounts/password/reset-password-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { PASSWORD_MIN_LENGTH } from "@/features/accounts/password/password-policy";
import { type ResetPasswordInput, resetPasswordSchema } from "@/features/accounts/password/schemas";

export function ResetPasswordForm({ token }: { token: string }) {
  const [formError, setFormError] = useState<string | null>(null);
  const [linkDead, setLinkDead] = useState(false);
  const [done, setDone] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ResetPasswordInput>({ resolver: zodResolver(resetPasswordSchema), defaultValues: { token, password: "", confirmPassword: "" } });

  async function onSubmit(values: ResetPasswordInput) {
    setFormError(null);
    const result = await resetPasswordAction(values);
    if (result.ok) return setDone(true);
    if (result.code === "not_found") setLinkDead(true);
    setFormError(showActionError(result, setError, ["password", "confirmPassword"]));
  }

  if (done) {
    return (
      <div className="flex flex-col gap-4">
        <Alert tone="success" title="Your password was changed">
          Every device that was signed in has been signed out. Sign in with your new password.
        </Alert>
        <Link href="/signin" className="font-semibold text-brand-700 underline-offset-2 hover:underline">
          Go to sign in
        </Link>
      </div>
    );
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-4">
      {formError ? (
        <Alert tone="error">
          {formError}{" "}
          {linkDead ? (
            <Link href="/forgot-password" className="font-semibold underline">
              Ask for a new link
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <input type="hidden" {...register("token")} />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        autoFocus
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
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
