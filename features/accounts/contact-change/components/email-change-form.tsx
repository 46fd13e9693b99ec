"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { confirmEmailChangeAction, resendEmailChangeCodeAction, startEmailChangeAction } from "@/features/accounts/contact-change/email-actions";
import { emailChangeCodeSchema, startEmailChangeSchema } from "@/features/accounts/contact-change/schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { CodeStep } from "@/ui/forms/code-step";
import { resendOutcomeOf } from "@/ui/forms/resend-control";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** The new address and the password, then the code sent to the new address. */
export function EmailChangeForm() {
  const router = useRouter();
  const [sent, setSent] = useState<{ maskedTarget: string; resendAvailableAt: string } | null>(null);
  const form = useActionForm(startEmailChangeSchema, startEmailChangeAction, {
    defaultValues: { newEmail: "", password: "" },
    fields: ["newEmail", "password"],
    onSuccess: (data) => {
      setSent(data);
      codeForm.reset({ code: "" });
      codeForm.setFormError(null);
    },
  });
  const codeForm = useActionForm(emailChangeCodeSchema, confirmEmailChangeAction, {
    defaultValues: { code: "" },
    fields: ["code"],
    onSuccess: (data) => {
      setSent(null);
      form.reset();
      form.setNotice(data.pendingMessage ?? `Your email address is now ${data.email}. We sent a notice to your previous address.`);
      router.refresh();
    },
  });

  if (sent) {
    return (
      <div className="flex flex-col gap-4">
        <CodeStep
          form={codeForm}
          label="Code from the email"
          submit="Verify code and change address"
          sentTo={
            <>
              We sent a code to <strong className="break-all">{sent.maskedTarget}</strong>. It works for 10 minutes. Your address changes once you enter it.
            </>
          }
          resend={{
            availableAt: sent.resendAvailableAt,
            onResend: () => resendOutcomeOf(resendEmailChangeCodeAction({}), setSent),
          }}
        />
        <div>
          <Button variant="ghost" onClick={() => setSent(null)}>
            Use a different address
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={form.submit} noValidate className="flex max-w-md flex-col gap-4">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField
        label="New email address"
        type="email"
        autoComplete="email"
        spellCheck={false}
        error={form.errors.newEmail?.message}
        {...form.register("newEmail")}
      />
      <TextField label="Your password" type="password" autoComplete="current-password" error={form.errors.password?.message} {...form.register("password")} />
      <div>
        <SubmitButton pending={form.pending} busy="Sending…">
          Send a code to the new address
        </SubmitButton>
      </div>
    </form>
  );
}
