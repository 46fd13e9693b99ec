"use client";

import Link from "next/link";
import { useState } from "react";
import { acceptInvitationAction } from "@/features/staff/invitation-actions";
import { acceptInvitationSchema } from "@/features/staff/schemas";
import { Alert } from "@/ui/alert";
import { NewPasswordFields } from "@/features/accounts/password/components/new-password-fields";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

export function AcceptInvitationForm({ token, twoFactorRequired }: { token: string; twoFactorRequired: boolean }) {
  const [doneFor, setDoneFor] = useState<string | null>(null);
  const form = useActionForm(acceptInvitationSchema, acceptInvitationAction, {
    defaultValues: { token, password: "", confirmPassword: "" },
    fields: ["password", "confirmPassword"],
    onSuccess: (data) => setDoneFor(data.email),
  });

  if (doneFor) {
    return (
      <div className="flex flex-col gap-4">
        <Alert tone="success" title="Your account is ready">
          Sign in with {doneFor} and the password you just chose.
          {twoFactorRequired ? " This site requires two-factor sign-in for staff: you will set it up right after signing in." : ""}
        </Alert>
        <Link href="/signin" className="font-semibold text-brand-700 underline-offset-2 hover:underline">
          Go to sign in
        </Link>
      </div>
    );
  }

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...form.register("token")} />
      <NewPasswordFields register={form.register} errors={form.errors} label="Password" autoFocus />
      {twoFactorRequired ? <p className="text-sm text-slate-600">After you sign in, you will set up two-factor sign-in before using Veridesk.</p> : null}
      <SubmitButton pending={form.pending} busy="Saving…">
        Create my account
      </SubmitButton>
    </form>
  );
}
