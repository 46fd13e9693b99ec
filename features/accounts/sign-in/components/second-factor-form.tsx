"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { sendSignInCodeAction, verifySecondFactorAction } from "@/features/accounts/sign-in/actions";
import { showActionError } from "@/ui/forms/action-errors";
import { CodeField } from "@/ui/field";
import { ResendButton } from "@/ui/forms/resend-button";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { type SecondFactorInput, secondFactorSchema } from "@/features/accounts/two-factor/schemas";

type Method = "totp" | "email" | "sms";

const INTRO: Record<Method, string> = {
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
  const [formError, setFormError] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const kind = useRecovery ? "recovery" : method === "totp" ? "totp" : "code";
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<SecondFactorInput>({ resolver: zodResolver(secondFactorSchema), defaultValues: { kind, code: "" } });

  async function send(): Promise<string | null> {
    const result = await sendSignInCodeAction({});
    if (result.ok) {
      setSent(result.data);
      return null;
    }
    if (result.code === "unauthenticated") setEnded(result.error);
    return result.error;
  }

  async function onSubmit(values: SecondFactorInput) {
    setFormError(null);
    const result = await verifySecondFactorAction(values);
    if (result.ok) {
      setLeaving(true);
      router.replace(`/after-sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      router.refresh();
      return;
    }
    if (result.code === "unauthenticated") return setEnded(result.error);
    setFormError(showActionError(result, setError, ["code"]));
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
      {formError ? <Alert tone="error">{formError}</Alert> : null}

      {needsSending ? (
        <div className="flex flex-col gap-2">
          <Button
            disabled={sending}
            onClick={async () => {
              setSending(true);
              setFormError(await send());
              setSending(false);
            }}
          >
            {sending ? "Sending…" : `Send a code to ${destination ?? (method === "sms" ? "my mobile" : "my email")}`}
          </Button>
        </div>
      ) : (
        <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-4">
          {kind === "code" && sent ? (
            <p role="status" className="text-sm text-slate-700">
              We sent a code to <strong className="break-all">{sent.maskedTarget}</strong>. It works for 10 minutes.
            </p>
          ) : null}
          <input type="hidden" {...register("kind")} />
          {kind === "recovery" ? (
            <TextField
              label="Recovery code"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              className="max-w-64"
              error={errors.code?.message}
              {...register("code")}
            />
          ) : (
            <CodeField
              label={kind === "totp" ? "Code from your authenticator app" : "6-digit code"}
              autoFocus
              error={errors.code?.message}
              {...register("code")}
            />
          )}
          <div>
            <Button type="submit" disabled={isSubmitting || leaving}>
              {isSubmitting || leaving ? "Checking…" : kind === "recovery" ? "Use recovery code" : "Verify code"}
            </Button>
          </div>
        </form>
      )}

      {kind === "code" && sent ? <ResendButton availableAt={sent.resendAvailableAt} onResend={send} /> : null}

      <div className="flex flex-col gap-2 border-t border-slate-100 pt-4 text-sm">
        <button
          type="button"
          className="self-start font-medium text-brand-700 underline-offset-2 hover:underline"
          onClick={() => {
            const next = !useRecovery;
            setUseRecovery(next);
            setFormError(null);
            reset({ kind: next ? "recovery" : method === "totp" ? "totp" : "code", code: "" });
          }}
        >
          {useRecovery ? (method === "totp" ? "Use my authenticator app instead" : "Use a sent code instead") : "Use a recovery code instead"}
        </button>
        <button type="button" className="self-start text-slate-600 underline-offset-2 hover:underline" onClick={() => signOut({ callbackUrl: "/signin" })}>
          Cancel and sign out
        </button>
      </div>
    </div>
  );
}
