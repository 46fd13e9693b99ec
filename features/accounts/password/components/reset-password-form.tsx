"use client";

import Link from "next/link";
import { useState } from "react";
import { resetPasswordAction } from "@/features/accounts/password/reset-password-actions";
import { resetPasswordSchema } from "@/features/accounts/password/schemas";
import { Alert } from "@/ui/alert";
import { NewPasswordFields } from "@/features/accounts/password/components/new-password-fields";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

export function ResetPasswordForm({ token }: { token: string }) {
  const [linkDead, setLinkDead] = useState(false);
  const [done, setDone] = useState(false);
  const form = useActionForm(resetPasswordSchema, resetPasswordAction, {
    defaultValues: { token, password: "", confirmPassword: "" },
    fields: ["password", "confirmPassword"],
    onSuccess: () => setDone(true),
    onRefusal: (refusal) => {
      if (refusal.code === "not_found") setLinkDead(true);
    },
  });

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
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? (
        <Alert tone="error">
          {form.formError}{" "}
          {linkDead ? (
            <Link href="/forgot-password" className="font-semibold underline">
              Ask for a new link
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <input type="hidden" {...form.register("token")} />
      <NewPasswordFields register={form.register} errors={form.errors} autoFocus />
      <SubmitButton pending={form.pending} busy="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}
