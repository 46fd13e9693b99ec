"use client";

import { useEffect, useRef, useState } from "react";
import { verifyCodeAction } from "@/features/accounts/registration/verify-email-actions";
import { CorrectAddressForm } from "@/features/accounts/registration/components/correct-address-form";
import { ResendCode } from "@/features/accounts/registration/components/resend-code";
import { Alert } from "@/ui/alert";
import { CodeStep } from "@/ui/forms/code-step";
import { useActionForm } from "@/ui/forms/use-action-form";
import { EMAIL_CODE_LIFETIME_SECONDS } from "@/features/verification/limits";
import { formatDuration } from "@/platform/text/durations";
import { verifyCodeSchema } from "@/features/accounts/registration/schemas";

/**
 * The verification page while a registration waits for its code: the code field (focused), "Send
 * a new code" with its countdown, and "Wrong address?". The masked address and the cooldown come
 * from the server and are re-rendered after every action.
 */
export function PendingVerification({
  maskedEmail,
  resendSecondsLeft,
  resendAvailableAt,
}: {
  maskedEmail: string;
  resendSecondsLeft: number;
  resendAvailableAt: string;
}) {
  const [correcting, setCorrecting] = useState(false);
  /** Bumped to move focus to the code field once the page has re-rendered (after a new code). */
  const [focusCode, setFocusCode] = useState(0);
  const toggleRef = useRef<HTMLButtonElement>(null);
  // Right code: the action redirects to sign-in.
  const form = useActionForm(verifyCodeSchema, verifyCodeAction, { defaultValues: { code: "" }, fields: ["code"], leaves: true });
  const { setFocus } = form;

  useEffect(() => {
    if (focusCode > 0) setFocus("code");
  }, [focusCode, setFocus]);

  function newCodeSent(message: string) {
    form.reset({ code: "" });
    form.setFormError(null);
    form.setNotice(message);
    setFocusCode((count) => count + 1);
  }

  return (
    <div className="flex flex-col gap-6">
      <p className="text-sm text-slate-700">
        We sent a 6-digit code to <strong className="break-all text-slate-900">{maskedEmail}</strong>. Enter it below, or open the link in the email. The code
        works for {formatDuration(EMAIL_CODE_LIFETIME_SECONDS, { style: "words" })}.
      </p>
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      <CodeStep form={form} id="verification-code" submit="Verify email address" />

      <section aria-labelledby="no-code" className="flex flex-col gap-3 border-t border-slate-200 pt-5">
        <h2 id="no-code" className="text-base font-semibold text-slate-900">
          No code?
        </h2>
        <p className="text-sm text-slate-600">It can take a minute to arrive. Check your spam or junk folder too.</p>
        <ResendCode
          secondsLeft={resendSecondsLeft}
          availableAt={resendAvailableAt}
          onSent={(masked) => newCodeSent(`We sent a new code to ${masked}. Codes sent before no longer work.`)}
        />
        <div>
          <button
            ref={toggleRef}
            type="button"
            aria-expanded={correcting}
            aria-controls="correct-address"
            onClick={() => setCorrecting((open) => !open)}
            className="text-sm font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-800"
          >
            Wrong address?
          </button>
        </div>
        <div id="correct-address">
          {correcting ? (
            <CorrectAddressForm
              onCancel={() => {
                setCorrecting(false);
                toggleRef.current?.focus();
              }}
              onCorrected={(masked) => {
                setCorrecting(false);
                newCodeSent(`We sent a new code to ${masked}. The code sent to the old address no longer works.`);
              }}
            />
          ) : null}
        </div>
      </section>
    </div>
  );
}
