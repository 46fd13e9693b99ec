"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import {
  beginTotpSetupAction,
  confirmTotpSetupAction,
  confirmTwoFactorSetupCodeAction,
  sendTwoFactorSetupCodeAction,
} from "@/features/accounts/security-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { CodeField } from "@/ui/field";
import { ResendButton } from "@/ui/forms/resend-button";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import type { ActionResult } from "@/platform/auth/guard";
import { type ConfirmTotpInput, confirmTotpSchema } from "@/features/accounts/two-factor/schemas";

type Step =
  | { name: "choose" }
  | { name: "totp"; qrDataUrl: string; secretForTyping: string }
  | { name: "code"; channel: "email" | "sms"; maskedTarget: string; resendAvailableAt: string };

/** Turning two-factor sign-in on: choose a method, prove it works with a code, save the recovery codes. */
export function TwoFactorSetup({
  emailVerified,
  maskedEmail,
  phoneVerified,
  maskedPhone,
  onTurnedOn,
}: {
  emailVerified: boolean;
  maskedEmail: string;
  phoneVerified: boolean;
  maskedPhone: string | null;
  /** With the recovery codes, shown once by the caller. */
  onTurnedOn: (recoveryCodes: string[]) => void;
}) {
  const [step, setStep] = useState<Step>({ name: "choose" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function startTotp() {
    setBusy("totp");
    setError(null);
    const result = await beginTotpSetupAction({});
    setBusy(null);
    if (result.ok) setStep({ name: "totp", ...result.data });
    else setError(result.error);
  }

  async function sendCode(channel: "email" | "sms"): Promise<string | null> {
    setBusy(channel);
    setError(null);
    const result = await sendTwoFactorSetupCodeAction({ channel });
    setBusy(null);
    if (result.ok) {
      setStep({ name: "code", channel, ...result.data });
      return null;
    }
    setError(result.error);
    return result.error;
  }

  if (step.name === "totp") {
    return (
      <div className="flex flex-col gap-4">
        <ol className="flex list-decimal flex-col gap-3 pl-5 text-sm text-slate-800">
          <li>Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator, 1Password or Aegis).</li>
          <li>
            Scan this QR code with it.
            {/* eslint-disable-next-line @next/next/no-img-element -- a data URL made on the server, not an optimisable image */}
            <img
              src={step.qrDataUrl}
              alt="QR code to add Veridesk to your authenticator app"
              width={200}
              height={200}
              className="mt-2 rounded border border-slate-200 bg-white"
            />
          </li>
          <li>
            Or type this key into the app by hand:
            <code
              aria-label="Key for manual entry"
              className="mt-1 block break-all rounded bg-slate-100 px-3 py-2 font-mono text-sm tracking-wider text-slate-900"
            >
              {step.secretForTyping}
            </code>
          </li>
          <li>Enter the 6-digit code the app now shows.</li>
        </ol>
        <ConfirmCodeForm
          label="Code from your authenticator app"
          onConfirm={async (code) => {
            const result = await confirmTotpSetupAction({ code });
            if (result.ok) onTurnedOn(result.data.recoveryCodes);
            return result;
          }}
        />
        <div>
          <Button variant="ghost" onClick={() => setStep({ name: "choose" })}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }

  if (step.name === "code") {
    return (
      <div className="flex flex-col gap-4">
        <p role="status" className="text-sm text-slate-700">
          We sent a code to <strong className="break-all">{step.maskedTarget}</strong>. Enter it to turn on two-factor sign-in by{" "}
          {step.channel === "email" ? "email" : "text message"}.
        </p>
        <ConfirmCodeForm
          label="6-digit code"
          onConfirm={async (code) => {
            const result = await confirmTwoFactorSetupCodeAction({ channel: step.channel, code });
            if (result.ok) onTurnedOn(result.data.recoveryCodes);
            return result;
          }}
        />
        <ResendButton availableAt={step.resendAvailableAt} onResend={() => sendCode(step.channel)} />
        <div>
          <Button variant="ghost" onClick={() => setStep({ name: "choose" })}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <ul className="flex flex-col gap-3">
        <li className="rounded-lg border border-slate-200 p-4">
          <h3 className="font-semibold">
            Authenticator app <span className="text-sm font-normal text-emerald-700">(recommended)</span>
          </h3>
          <p className="mb-3 text-sm text-slate-600">A code from an app on your phone. Works without signal and cannot be intercepted on the way.</p>
          <Button onClick={startTotp} disabled={busy !== null}>
            {busy === "totp" ? "Preparing…" : "Set up an authenticator app"}
          </Button>
        </li>
        <li className="rounded-lg border border-slate-200 p-4">
          <h3 className="font-semibold">Codes by email</h3>
          <p className="mb-3 text-sm text-slate-600">
            {emailVerified ? `We email a code to ${maskedEmail} each time you sign in.` : "Verify your email address first."}
          </p>
          <Button variant="secondary" onClick={() => sendCode("email")} disabled={busy !== null || !emailVerified}>
            {busy === "email" ? "Sending…" : "Use codes by email"}
          </Button>
        </li>
        <li className="rounded-lg border border-slate-200 p-4">
          <h3 className="font-semibold">Codes by text message</h3>
          <p className="mb-3 text-sm text-slate-600">
            {phoneVerified && maskedPhone ? (
              `We text a code to ${maskedPhone} each time you sign in.`
            ) : (
              <>
                Needs a verified mobile number.{" "}
                <Link href="/account/phone" className="font-semibold text-brand-700 underline-offset-2 hover:underline">
                  Add your mobile number
                </Link>
              </>
            )}
          </p>
          <Button variant="secondary" onClick={() => sendCode("sms")} disabled={busy !== null || !phoneVerified}>
            {busy === "sms" ? "Sending…" : "Use codes by text message"}
          </Button>
        </li>
      </ul>
    </div>
  );
}

function ConfirmCodeForm({ label, onConfirm }: { label: string; onConfirm: (code: string) => Promise<ActionResult<unknown>> }) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<ConfirmTotpInput>({ resolver: zodResolver(confirmTotpSchema), defaultValues: { code: "" } });

  return (
    <form
      onSubmit={handleSubmit(async (values) => {
        setFormError(null);
        const result = await onConfirm(values.code);
        if (!result.ok) setFormError(showActionError(result, setError, ["code"]));
      })}
      noValidate
      className="flex flex-col gap-4"
    >
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <CodeField label={label} autoFocus error={errors.code?.message} {...register("code")} />
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Checking…" : "Turn on two-factor sign-in"}
        </Button>
      </div>
    </form>
  );
}
