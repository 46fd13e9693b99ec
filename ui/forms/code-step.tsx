"use client";

import type { BaseSyntheticEvent, ReactNode } from "react";
import type { FieldErrors, UseFormRegisterReturn } from "react-hook-form";
import { Alert } from "@/ui/alert";
import { CodeField } from "@/ui/field";
import { ResendButton } from "@/ui/forms/resend-button";
import type { ResendOutcome } from "@/ui/forms/resend-control";
import { SubmitButton } from "@/ui/forms/submit-button";

/** What CodeStep needs of a `useActionForm` form that has a `code` field. */
type CodeForm = {
  submit: (event?: BaseSyntheticEvent) => Promise<void>;
  register: (name: "code") => UseFormRegisterReturn<"code">;
  errors: FieldErrors<{ code: string }>;
  pending: boolean;
  formError: string | null;
};

/**
 * "Enter the code we sent": an announced line saying where it went (`sentTo`), the form's error,
 * the code field (focused) with its button, and "Send a new code" counting down to `resend`'s time.
 */
export function CodeStep({
  form,
  label,
  submit,
  sentTo,
  resend,
  id,
  autoFocus = true,
  children,
}: {
  form: CodeForm;
  label?: string;
  /** The button's text (“Verify code”); it says “Checking…” while the code is checked. */
  submit: string;
  sentTo?: ReactNode;
  resend?: { availableAt: string; onResend: () => Promise<ResendOutcome> };
  id?: string;
  autoFocus?: boolean;
  /** Hidden inputs of the form, if any. */
  children?: ReactNode;
}) {
  return (
    <>
      {sentTo ? (
        <p role="status" className="text-sm text-slate-700">
          {sentTo}
        </p>
      ) : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
        {children}
        <CodeField id={id} label={label} autoFocus={autoFocus} error={form.errors.code?.message} {...form.register("code")} />
        <div>
          <SubmitButton pending={form.pending} busy="Checking…">
            {submit}
          </SubmitButton>
        </div>
      </form>
      {resend ? <ResendButton availableAt={resend.availableAt} onResend={resend.onResend} /> : null}
    </>
  );
}
