"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { checkCallerCode, checkCallerDetails, sendCallerCodeAction } from "@/features/callers/actions";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { TextField } from "@/ui/field";
import { CodeStep } from "@/ui/forms/code-step";
import { ResendControl, type ResendOutcome, resendOutcomeOf } from "@/ui/forms/resend-control";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import type { CallerCheckResult, CallerCodeSent, CallerField, CodeChannel, FieldResult } from "@/features/callers/caller-verification";
import { callerCodeSchema, callerFieldsSchema } from "@/features/callers/schemas";

const FIELD_LABEL: Record<CallerField, string> = { name: "Full name", accountOrEmail: "Account number or email", phone: "Phone number" };
const RESULT_TEXT: Record<FieldResult, string> = { match: "matches", close: "close — ask again", no_match: "does not match", not_given: "not given" };
const RESULT_TONE: Record<FieldResult, BadgeTone> = { match: "good", close: "warn", no_match: "bad", not_given: "neutral" };
const OUTCOME = {
  passed: { tone: "success", text: "The details match the record. This counts for this conversation." },
  partial: { tone: "warning", text: "Not verified yet: ask again for the fields that are close or missing, or send a code." },
  failed: { tone: "error", text: "The details do not match the record. Ask again, send a code to a verified channel, or escalate." },
} as const;

const time = (iso: string) => `${iso.slice(11, 16)} UTC`;

function EscalateLink() {
  return (
    <a href="#escalate" className="mt-2 inline-flex font-semibold text-brand-700 underline hover:text-brand-800">
      Escalate to a supervisor
    </a>
  );
}

/**
 * The agent's "Verify caller" tool on a ticket: (1) type what the caller states and learn per field
 * whether it matches — never the stored value; (2) send a code to one of the customer's verified
 * channels, shown masked; (3) type the code the caller reads back.
 */
export function VerifyCaller({ customerId, ticketId, channels }: { customerId: string; ticketId: string; channels: CodeChannel[] }) {
  const router = useRouter();
  const [check, setCheck] = useState<CallerCheckResult | null>(null);
  const [channelRef, setChannelRef] = useState<string>((channels.find((channel) => !channel.optedOut && !channel.changedRecently) ?? channels[0])?.id ?? "");
  const [sent, setSent] = useState<(CallerCodeSent & { ref: string }) | null>(null);
  const [escalate, setEscalate] = useState<string | null>(null);
  const [verified, setVerified] = useState<string | null>(null);

  const details = useActionForm(callerFieldsSchema, (values) => checkCallerDetails({ ...values, customerId, ticketId }), {
    defaultValues: { customerId, ticketId, fullName: "", accountOrEmail: "", phone: "" },
    fields: ["fullName", "accountOrEmail", "phone"],
    onSuccess: (data) => {
      setCheck(data);
      // The check is on the record now: the identity panel and its badge show it.
      router.refresh();
    },
    onRefusal: () => setCheck(null),
  });
  const codeForm = useActionForm(callerCodeSchema, (values) => checkCallerCode({ ...values, customerId, ticketId }), {
    defaultValues: { customerId, ticketId, code: "" },
    fields: ["code"],
    onSuccess: (answer) => {
      if (answer.ok) {
        setVerified(
          `Caller verified by ${answer.method === "sms_code" ? "phone" : "email"} code at ${time(answer.verifiedAt)}. This counts for this conversation until ${time(answer.expiresAt)} on ${answer.expiresAt.slice(0, 10)}.`,
        );
        setEscalate(null);
        setSent(null);
        router.refresh();
        return;
      }
      codeForm.reset({ customerId, ticketId, code: "" });
      codeForm.setFormError(answer.message);
      if (answer.reason === "too_many_tries") router.refresh();
      if (answer.offerEscalation) {
        setEscalate(
          answer.reason === "too_many_tries"
            ? "This code no longer works. Send a new code only if you are confident the caller has the phone or inbox; otherwise escalate."
            : `${answer.failures} wrong codes on this conversation. If the caller cannot read the code, escalate rather than keep guessing.`,
        );
      }
    },
  });

  /** Sends a code to the chosen channel; returns the refusal to show, or null. */
  async function sendCode(): Promise<ResendOutcome> {
    if (!channelRef) return "Choose where to send the code.";
    return resendOutcomeOf(sendCallerCodeAction({ customerId, ticketId, channelRef }), (data) => {
      setSent({ ...data, ref: channelRef });
      codeForm.setFormError(null);
      codeForm.reset({ customerId, ticketId, code: "" });
    });
  }

  const detailErrors = details.errors;
  return (
    <div className="flex flex-col gap-6">
      <form onSubmit={details.submit} noValidate className="flex flex-col gap-4" aria-labelledby="verify-step-details">
        <h3 id="verify-step-details" className="text-sm font-semibold text-slate-800">
          1. Check what the caller says
        </h3>
        <p className="-mt-2 text-sm text-slate-600">
          Ask for each detail and type it as said (a phone number with + and the country code if the caller is abroad). The tool answers per field and never
          shows what is on record.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField label="Full name" autoComplete="off" spellCheck={false} error={detailErrors.fullName?.message} {...details.register("fullName")} />
          <TextField
            label="Account number or email"
            autoComplete="off"
            spellCheck={false}
            error={detailErrors.accountOrEmail?.message}
            {...details.register("accountOrEmail")}
          />
          <TextField label="Phone number" type="tel" inputMode="tel" autoComplete="off" error={detailErrors.phone?.message} {...details.register("phone")} />
        </div>
        {details.formError ? <Alert tone="error">{details.formError}</Alert> : null}
        <div>
          <SubmitButton pending={details.pending} busy="Checking…">
            Check details
          </SubmitButton>
        </div>
        <div aria-live="polite" role="status" className="text-sm">
          {check ? (
            <div className="flex flex-col gap-2" data-testid="caller-check-results">
              <ul className="flex flex-col gap-1">
                {(Object.keys(FIELD_LABEL) as CallerField[]).map((field) => (
                  <li key={field} className="flex flex-wrap items-center gap-2">
                    <Badge tone={RESULT_TONE[check.fields[field]]}>
                      {FIELD_LABEL[field]}: {RESULT_TEXT[check.fields[field]]}
                    </Badge>
                    {check.notes[field] ? <span className="text-slate-700">{check.notes[field]}</span> : null}
                  </li>
                ))}
              </ul>
              <p
                className={
                  check.outcome === "passed"
                    ? "font-medium text-emerald-800"
                    : check.outcome === "failed"
                      ? "font-medium text-red-800"
                      : "font-medium text-amber-900"
                }
              >
                {OUTCOME[check.outcome].text}
              </p>
              {check.outcome === "failed" ? <EscalateLink /> : null}
            </div>
          ) : null}
        </div>
      </form>

      <div className="flex flex-col gap-4 border-t border-slate-200 pt-4">
        <h3 className="text-sm font-semibold text-slate-800">2. Send a code</h3>
        {channels.length === 0 ? (
          <p className="text-sm text-slate-700">
            This customer has no verified email address or mobile number, so no code can be sent. If the details are not enough, escalate to a supervisor.
          </p>
        ) : (
          <>
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium text-slate-800">Where should the code go? Only verified channels are listed.</legend>
              {channels.map((channel) => (
                <label key={channel.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="caller-code-channel"
                    value={channel.id}
                    checked={channelRef === channel.id}
                    disabled={channel.optedOut || Boolean(channel.changedRecently)}
                    onChange={() => setChannelRef(channel.id)}
                  />
                  <span className={channel.optedOut || channel.changedRecently ? "text-slate-500" : undefined}>
                    {channel.channel === "sms" ? "Text message to " : "Email to "}
                    <span className={channel.channel === "sms" ? "whitespace-nowrap font-mono" : "break-all font-mono"}>{channel.masked}</span>
                    {channel.optedOut ? <span className="block text-xs">This number has opted out of texts (replied STOP).</span> : null}
                    {channel.changedRecently ? (
                      <span className="block text-xs text-amber-800">
                        {channel.changedRecently[0]!.toUpperCase() + channel.changedRecently.slice(1)}: a recently changed channel proves nothing, so no code
                        can go there. Use another channel.
                      </span>
                    ) : null}
                  </span>
                </label>
              ))}
            </fieldset>
            {sent ? (
              // The cooldown is per address or number: another channel may be used at once.
              <ResendControl
                key={sent.ref === channelRef ? `${sent.ref}:${sent.resendAvailableAt}` : channelRef}
                deadline={sent.ref === channelRef ? Date.parse(sent.resendAvailableAt) : null}
                onResend={sendCode}
              />
            ) : (
              <ResendControl key={channelRef} deadline={null} label="Send code" variant="primary" onResend={sendCode} />
            )}
          </>
        )}
      </div>

      {sent ? (
        <div className="flex flex-col gap-4 border-t border-slate-200 pt-4">
          <h3 className="text-sm font-semibold text-slate-800">3. Check the code</h3>
          <CodeStep
            form={codeForm}
            label="Code the customer reads back"
            submit="Check code"
            autoFocus={false}
            sentTo={
              <>
                Code sent by {sent.channel === "sms" ? "text message" : "email"} to{" "}
                <span className={sent.channel === "sms" ? "whitespace-nowrap font-mono" : "break-all font-mono"}>{sent.maskedTarget}</span>. It works until{" "}
                {time(sent.expiresAt)}.
              </>
            }
          />
        </div>
      ) : null}

      {escalate ? (
        <Alert tone="warning" title="Still not verified">
          <p>{escalate}</p>
          <EscalateLink />
        </Alert>
      ) : null}
      {verified ? (
        <Alert tone="success" title="Caller verified">
          {verified}
        </Alert>
      ) : null}
    </div>
  );
}
