"use client";

import { signOut } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendSignInCodeAction, verifySecondFactorAction } from "@/features/accounts/sign-in/actions";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { CodeStep } from "@/ui/forms/code-step";
import { ResendControl, type ResendOutcome } from "@/ui/forms/resend-control";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { secondFactorSchema } from "@/features/accounts/two-factor/schemas";

/** "device": no two-factor, but a browser the account has not used: a code to the verified email or mobile. */
type Method = "totp" | "email" | "sms" | "device";

const INTRO: Record<Method, string> = {
  device:
    "You are signing in from a browser this account has not used before. We send a 6-digit code to your verified email address (or mobile) to check it is you.",
  totp: "Open your authenticator app and enter the 6-digit code it shows for Veridesk.",
  email: "We send a 6-digit code to your email address.",
  sms: "We send a 6-digit code to your mobile phone by text message.",
};

/**
 * The sign-in's second step: the authenticator code, or a code we send by email / SMS, or one of
 * the recovery codes. On success the session is complete and /after-sign-in takes over.
 */
export function SecondFactorForm({ method, destination, callbackUrl }: { method: Method; destination: string | null; callbackUrl: string }) {
  const router = useRouter();
  const [useRecovery, setUseRecovery] = useState(false);
  const [sent, setSent] = useState<{ maskedTarget: string; resendAvailableAt: string } | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const kind = useRecovery ? "recovery" : method === "totp" ? "totp" : "code";
  const form = useActionForm(secondFactorSchema, verifySecondFactorAction, {
    defaultValues: { kind, code: "" },
    fields: ["code"],
    leaves: true,
    onSuccess: () => {
      router.replace(`/after-sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      router.refresh();
    },
    onRefusal: (refusal) => {
      if (refusal.code !== "unauthenticated") return false;
      setEnded(refusal.error);
      return true;
    },
  });

  async function send(): Promise<ResendOutcome> {
    const result = await sendSignInCodeAction({});
    if (result.ok) {
      setSent(result.data);
      return null;
    }
    if (result.code === "unauthenticated") setEnded(result.error);
    // A refusal ("Please wait N seconds") carries its availableAt: the button counts down to it.
    return result;
  }

  if (ended) {
    return (
      <div className="flex flex-col gap-4">
        <Alert tone="error">{ended}</Alert>
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-semibold text-brand-700 underline-offset-2 hover:underline">
          Sign in again
        </Link>
      </div>
    );
  }

  const needsSending = kind === "code" && !sent;
  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm text-slate-700">
        {useRecovery ? "Enter one of the recovery codes you saved when you turned on two-factor sign-in. Each code works once." : INTRO[method]}
      </p>
      {/* The code step shows the form's error itself. */}
      {(needsSending || kind === "recovery") && form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      {needsSending ? (
        <ResendControl
          deadline={null}
          variant="primary"
          label={`Send a code to ${destination ?? (method === "sms" ? "my mobile" : "my email")}`}
          onResend={send}
        />
      ) : kind === "recovery" ? (
        <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
          <input type="hidden" {...form.register("kind")} />
          <TextField
            label="Recovery code"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            className="max-w-64"
            error={form.errors.code?.message}
            {...form.register("code")}
          />
          <div>
            <SubmitButton pending={form.pending} busy="Checking…">
              Use recovery code
            </SubmitButton>
          </div>
        </form>
      ) : (
        <CodeStep
          form={form}
          label={kind === "totp" ? "Code from your authenticator app" : "6-digit code"}
          submit="Verify code"
          sentTo={
            kind === "code" && sent ? (
              <>
                We sent a code to <strong className="break-all">{sent.maskedTarget}</strong>. It works for 10 minutes.
              </>
            ) : null
          }
          resend={kind === "code" && sent ? { availableAt: sent.resendAvailableAt, onResend: send } : undefined}
        >
          <input type="hidden" {...form.register("kind")} />
        </CodeStep>
      )}

      <div className="flex flex-col gap-2 border-t border-slate-100 pt-4 text-sm">
        {method === "device" ? null : (
          <button
            type="button"
            className="self-start font-medium text-brand-700 underline-offset-2 hover:underline"
            onClick={() => {
              const next = !useRecovery;
              setUseRecovery(next);
              form.setFormError(null);
              form.reset({ kind: next ? "recovery" : method === "totp" ? "totp" : "code", code: "" });
            }}
          >
            {useRecovery ? (method === "totp" ? "Use my authenticator app instead" : "Use a sent code instead") : "Use a recovery code instead"}
          </button>
        )}
        <button type="button" className="self-start text-slate-600 underline-offset-2 hover:underline" onClick={() => signOut({ callbackUrl: "/signin" })}>
          Cancel and sign out
        </button>
      </div>
    </div>
  );
}
