"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { confirmEmailChangeAction, resendEmailChangeCodeAction, startEmailChangeAction } from "@/features/accounts/contact-change/email-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { CodeField } from "@/ui/field";
import { ResendButton } from "@/ui/forms/resend-button";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import {
  type EmailChangeCodeInput,
  type StartEmailChangeInput,
  emailChangeCodeSchema,
  startEmailChangeSchema,
} from "@/features/accounts/contact-change/schemas";

/** The new address and the password, then the code sent to the new address. */
export function EmailChangeForm() {
  const router = useRouter();
  const [sent, setSent] = useState<{ maskedTarget: string; resendAvailableAt: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const startForm = useForm<StartEmailChangeInput>({ resolver: zodResolver(startEmailChangeSchema), defaultValues: { newEmail: "", password: "" } });
  const codeForm = useForm<EmailChangeCodeInput>({ resolver: zodResolver(emailChangeCodeSchema), defaultValues: { code: "" } });

  async function start(values: StartEmailChangeInput) {
    setFormError(null);
    setDone(null);
    const result = await startEmailChangeAction(values);
    if (result.ok) {
      setSent(result.data);
      codeForm.reset({ code: "" });
      return;
    }
    setFormError(showActionError(result, startForm.setError, ["newEmail", "password"]));
  }

  async function confirm(values: EmailChangeCodeInput) {
    setFormError(null);
    const result = await confirmEmailChangeAction(values);
    if (result.ok) {
      setSent(null);
      startForm.reset();
      setDone(`Your email address is now ${result.data.email}. We sent a notice to your previous address.`);
      router.refresh();
      return;
    }
    setFormError(showActionError(result, codeForm.setError, ["code"]));
  }

  if (sent) {
    return (
      <div className="flex flex-col gap-4">
        <p role="status" className="text-sm text-slate-700">
          We sent a code to <strong className="break-all">{sent.maskedTarget}</strong>. It works for 10 minutes. Your address changes once you enter it.
        </p>
        {formError ? <Alert tone="error">{formError}</Alert> : null}
        <form onSubmit={codeForm.handleSubmit(confirm)} noValidate className="flex flex-col gap-4">
          <CodeField label="Code from the email" autoFocus error={codeForm.formState.errors.code?.message} {...codeForm.register("code")} />
          <div>
            <Button type="submit" disabled={codeForm.formState.isSubmitting}>
              {codeForm.formState.isSubmitting ? "Checking…" : "Verify code and change address"}
            </Button>
          </div>
        </form>
        <ResendButton
          availableAt={sent.resendAvailableAt}
          onResend={async () => {
            const result = await resendEmailChangeCodeAction({});
            if (!result.ok) return result.error;
            setSent(result.data);
            return null;
          }}
        />
        <div>
          <Button
            variant="ghost"
            onClick={() => {
              setSent(null);
              setFormError(null);
            }}
          >
            Use a different address
          </Button>
        </div>
      </div>
    );
  }

  const { errors, isSubmitting } = startForm.formState;
  return (
    <form onSubmit={startForm.handleSubmit(start)} noValidate className="flex max-w-md flex-col gap-4">
      {done ? <Alert tone="success">{done}</Alert> : null}
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <TextField
        label="New email address"
        type="email"
        autoComplete="email"
        spellCheck={false}
        error={errors.newEmail?.message}
        {...startForm.register("newEmail")}
      />
      <TextField label="Your password" type="password" autoComplete="current-password" error={errors.password?.message} {...startForm.register("password")} />
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Sending…" : "Send a code to the new address"}
        </Button>
      </div>
    </form>
  );
}
