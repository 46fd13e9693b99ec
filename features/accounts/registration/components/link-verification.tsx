"use client";

import { useEffect, useRef, useState } from "react";
import { verifyLinkAction } from "@/features/accounts/registration/verify-email-actions";
import { CodeField } from "@/ui/field";
import { Alert } from "@/ui/alert";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { codeFromLinkFragment } from "@/platform/one-time-code";
import { type VerifyLinkFormInput, verifyLinkSchema } from "@/features/accounts/registration/schemas";

/**
 * The page the emailed link opens. Opening it changes nothing (mail scanners open links too): once
 * loaded, this reads the code from the link's #fragment (which never reaches the server), fills it
 * in and submits the form itself; the button is there when scripts are slow or the code is missing.
 */
export function LinkVerification({ token, maskedEmail }: { token: string; maskedEmail: string }) {
  const [status, setStatus] = useState("");
  const [fromLink, setFromLink] = useState<boolean | null>(null);
  const started = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const verify = (values: VerifyLinkFormInput) => {
    setStatus("Verifying your email address…");
    return verifyLinkAction(values);
  };
  // Right code (or the link alone): the action redirects to sign-in.
  const form = useActionForm(verifyLinkSchema, verify, {
    defaultValues: { token, code: "" },
    fields: ["code"],
    leaves: true,
    onRefusal: () => setStatus(""),
  });
  const { register, setValue, errors } = form;

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const code = codeFromLinkFragment(window.location.hash);
    setFromLink(code !== null);
    if (!code) return;
    setValue("code", code);
    // Keep the code out of the history and of anything that reads the address bar later.
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    formRef.current?.requestSubmit();
  }, [setValue]);

  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm text-slate-700">
        This confirms that <strong className="break-all text-slate-900">{maskedEmail}</strong> is your address.
      </p>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <form ref={formRef} onSubmit={form.submit} noValidate className="flex flex-col gap-4">
        <input type="hidden" {...register("token")} />
        <CodeField
          id="link-code"
          label="Code from the email"
          hint={
            fromLink === false
              ? "The link arrived without its code. Type the code from the email, or just press the button: the link alone also works."
              : undefined
          }
          error={errors.code?.message}
          {...register("code")}
        />
        <div>
          <SubmitButton pending={form.pending} busy="Verifying…">
            Verify my email address
          </SubmitButton>
        </div>
        <p role="status" className="text-sm text-slate-600">
          {status}
        </p>
      </form>
    </div>
  );
}
