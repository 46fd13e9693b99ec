"use client";

import Link from "next/link";
import { type ComponentProps, useState } from "react";
import {
  beginTotpSetupAction,
  confirmTotpSetupAction,
  confirmTwoFactorSetupCodeAction,
  sendTwoFactorSetupCodeAction,
} from "@/features/accounts/security-actions";
import { CodeStep } from "@/ui/forms/code-step";
import { ResendControl, type ResendOutcome } from "@/ui/forms/resend-control";
import { useActionForm } from "@/ui/forms/use-action-form";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import type { ActionResult } from "@/platform/auth/guard";
import { confirmTotpSchema } from "@/features/accounts/two-factor/schemas";

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

  async function sendCode(channel: "email" | "sms"): Promise<ResendOutcome> {
    setBusy(channel);
    setError(null);
    const result = await sendTwoFactorSetupCodeAction({ channel });
    setBusy(null);
    if (result.ok) {
      setStep({ name: "code", channel, ...result.data });
      return null;
    }
    // The button shows the refusal, and counts down to its availableAt.
    return result;
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
        <SetupCode label="Code from your authenticator app" confirm={(code) => confirmTotpSetupAction({ code })} onTurnedOn={onTurnedOn} />
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
        <SetupCode
          label="6-digit code"
          sentTo={
            <>
              We sent a code to <strong className="break-all">{step.maskedTarget}</strong>. Enter it to turn on two-factor sign-in by{" "}
              {step.channel === "email" ? "email" : "text message"}.
            </>
          }
          confirm={(code) => confirmTwoFactorSetupCodeAction({ channel: step.channel, code })}
          onTurnedOn={onTurnedOn}
          resend={{ availableAt: step.resendAvailableAt, onResend: () => sendCode(step.channel) }}
        />
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
          {emailVerified ? (
            <ResendControl deadline={null} label="Use codes by email" onResend={() => sendCode("email")} />
          ) : (
            <Button variant="secondary" disabled>
              Use codes by email
            </Button>
          )}
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
          {phoneVerified ? (
            <ResendControl deadline={null} label="Use codes by text message" onResend={() => sendCode("sms")} />
          ) : (
            <Button variant="secondary" disabled>
              Use codes by text message
            </Button>
          )}
        </li>
      </ul>
    </div>
  );
}

/** The code that proves the chosen method works; the right one turns two-factor sign-in on. */
function SetupCode({
  confirm,
  onTurnedOn,
  ...step
}: Omit<ComponentProps<typeof CodeStep>, "form" | "submit"> & {
  confirm: (code: string) => Promise<ActionResult<{ recoveryCodes: string[] }>>;
  onTurnedOn: (recoveryCodes: string[]) => void;
}) {
  const form = useActionForm(confirmTotpSchema, ({ code }) => confirm(code), {
    defaultValues: { code: "" },
    fields: ["code"],
    onSuccess: (data) => onTurnedOn(data.recoveryCodes),
  });
  return <CodeStep form={form} submit="Turn on two-factor sign-in" {...step} />;
}
