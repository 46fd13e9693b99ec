"use client";

import { useEffect, useRef, useState } from "react";
import { confirmContactAction } from "@/features/customers/contacts/actions";
import type { ConfirmContactResult } from "@/features/customers/contacts/contacts";
import { confirmContactSchema } from "@/features/customers/contacts/schemas";
import { Alert } from "@/ui/alert";
import { CodeField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { codeFromLinkFragment } from "@/platform/one-time-code";

/**
 * The page a contact-verification link opens (the same pattern as /verify/email): opening it
 * changes nothing, since mail scanners open links too. Once loaded, it reads the code from the
 * link's #fragment (never sent to the server), fills it in and submits; a texted link has no
 * fragment, and its token alone confirms the number (the button, or the code from the text).
 */
export function ConfirmContact({ token, maskedTarget }: { token: string; maskedTarget: string }) {
  const [status, setStatus] = useState("");
  const [confirmed, setConfirmed] = useState<ConfirmContactResult | null>(null);
  const started = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useActionForm(confirmContactSchema, confirmContactAction, {
    defaultValues: { token, code: "" },
    fields: ["code"],
    onSuccess: (data) => {
      setStatus("");
      if (data.ok) setConfirmed(data);
      else form.setFormError(data.message);
    },
    onRefusal: () => setStatus(""),
  });
  const { register, setValue, errors } = form;
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    setStatus("Confirming…");
    return form.submit(event);
  };

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const code = codeFromLinkFragment(window.location.hash);
    if (!code) return;
    setValue("code", code);
    // Keep the code out of the history and of anything that reads the address bar later.
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    formRef.current?.requestSubmit();
  }, [setValue]);

  if (confirmed?.ok) {
    return (
      <div role="status">
        <Alert tone="success" title="Thank you">
          {confirmed.channel === "email" ? "Your email address is confirmed." : "Your phone number is confirmed."} You can close this page.
        </Alert>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm text-slate-700">
        Our support team asked you to confirm that <strong className="break-all text-slate-900">{maskedTarget}</strong> is yours.
      </p>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <form ref={formRef} onSubmit={submit} noValidate className="flex flex-col gap-4">
        <input type="hidden" {...register("token")} />
        <CodeField
          id="contact-code"
          label="Code from the message (optional)"
          hint="The link alone is enough: press the button. If you have the code, you may type it too."
          error={errors.code?.message}
          {...register("code")}
        />
        <div>
          <SubmitButton pending={form.pending} busy="Confirming…">
            Confirm it is mine
          </SubmitButton>
        </div>
        <p role="status" className="text-sm text-slate-600">
          {status}
        </p>
      </form>
    </div>
  );
}
