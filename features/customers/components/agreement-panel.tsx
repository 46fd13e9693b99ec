"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { addAgreementAction, cancelAgreementAction, extendAgreementAction } from "@/features/customers/agreement-actions";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { Button } from "@/ui/button";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import type { AgreementState, AgreementView } from "@/features/customers/agreement-changes";
import { TIER_LABEL } from "@/features/customers/labels";
import { AGREEMENT_TIERS, addAgreementSchema, cancelAgreementSchema, extendAgreementSchema } from "@/features/customers/schemas";

type Outcome = { tone: "success" | "error"; text: string };
type Done = (outcome: Outcome) => void;

const STATE: Record<AgreementState, { label: string; tone: BadgeTone }> = {
  valid: { label: "Valid", tone: "good" },
  not_started: { label: "Not started", tone: "info" },
  expired: { label: "Expired", tone: "warn" },
  cancelled: { label: "Cancelled", tone: "bad" },
};

/** The day after a YYYY-MM-DD day: the earliest new last day an extension accepts. */
function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function ExtendForm({ agreement, onDone, onClose }: { agreement: AgreementView; onDone: Done; onClose: () => void }) {
  const form = useActionForm(extendAgreementSchema, extendAgreementAction, {
    defaultValues: { agreementId: agreement.id, endsOn: "" },
    fields: ["endsOn"],
    onSuccess: (data) => onDone({ tone: "success", text: data.message }),
  });
  const { register, setFocus, errors } = form;
  useEffect(() => setFocus("endsOn"), [setFocus]);

  return (
    <form
      onSubmit={form.submit}
      noValidate
      onKeyDown={(event) => event.key === "Escape" && onClose()}
      className="mt-3 flex flex-col gap-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <input type="hidden" {...register("agreementId")} />
      <TextField
        type="date"
        label={`New last day of ${agreement.reference}`}
        hint={`Later than the current last day, ${agreement.endsOn}.`}
        min={nextDay(agreement.endsOn)}
        error={errors.endsOn?.message}
        className="max-w-xs"
        {...register("endsOn")}
      />
      <div className="flex flex-wrap gap-2">
        <SubmitButton pending={form.pending} busy="Saving…">
          Save new last day
        </SubmitButton>
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

function CancelForm({ agreement, onDone, onClose }: { agreement: AgreementView; onDone: Done; onClose: () => void }) {
  const form = useActionForm(cancelAgreementSchema, cancelAgreementAction, {
    defaultValues: { agreementId: agreement.id, reason: "" },
    fields: ["reason"],
    onSuccess: (data) => onDone({ tone: "success", text: data.message }),
    // Cancelled by someone else meanwhile: say so above the list, which refreshes.
    onRefusal: (refusal) => {
      if (refusal.code !== "conflict" && refusal.code !== "not_found") return false;
      onDone({ tone: "error", text: refusal.error });
      return true;
    },
  });
  const { register, setFocus, errors } = form;
  useEffect(() => setFocus("reason"), [setFocus]);

  return (
    <form
      onSubmit={form.submit}
      noValidate
      onKeyDown={(event) => event.key === "Escape" && onClose()}
      className="mt-3 flex flex-col gap-3 rounded-md border border-red-200 bg-red-50/40 p-3"
    >
      <input type="hidden" {...register("agreementId")} />
      <TextField
        label={`Reason for cancelling ${agreement.reference}`}
        hint="Recorded in the audit log, e.g. “Customer ended the contract by letter of 3 March.” Cover ends today."
        error={errors.reason?.message}
        maxLength={500}
        autoComplete="off"
        {...register("reason")}
      />
      <div className="flex flex-wrap gap-2">
        <SubmitButton variant="danger" pending={form.pending} busy="Cancelling…">
          Cancel from today
        </SubmitButton>
        <Button variant="ghost" onClick={onClose}>
          Keep it
        </Button>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

function AgreementItem({ agreement, mayChange, onDone }: { agreement: AgreementView; mayChange: boolean; onDone: Done }) {
  const [open, setOpen] = useState<"extend" | "cancel" | null>(null);
  const extendRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const state = STATE[agreement.state];
  const close = () => {
    const was = open;
    setOpen(null);
    (was === "cancel" ? cancelRef : extendRef).current?.focus();
  };
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-sm font-semibold text-slate-900">{agreement.reference}</span>
            <Badge tone={state.tone}>{state.label}</Badge>
          </p>
          <p className="mt-1 text-sm text-slate-700">
            {TIER_LABEL[agreement.tier]} · <span className="whitespace-nowrap">{agreement.startsOn}</span> to{" "}
            <span className="whitespace-nowrap">{agreement.endsOn}</span>
          </p>
          {agreement.organisation ? (
            <p className="mt-1 text-sm text-slate-700">
              Held by the organisation <span className="font-medium">{agreement.organisation.name}</span>: it covers every contact.
            </p>
          ) : null}
          {agreement.cancelledAt ? (
            <p className="mt-1 text-sm text-slate-700">
              Cancelled on {agreement.cancelledAt.toISOString().slice(0, 10)}
              {agreement.cancelReason ? <span className="break-words">: “{agreement.cancelReason}”</span> : null}
            </p>
          ) : null}
        </div>
        {mayChange && !agreement.cancelledAt ? (
          <div className="flex flex-wrap gap-2">
            <Button
              ref={extendRef}
              variant="secondary"
              className="aria-expanded:border-brand-600 aria-expanded:bg-brand-50"
              aria-expanded={open === "extend"}
              aria-label={`Extend ${agreement.reference}`}
              onClick={() => setOpen(open === "extend" ? null : "extend")}
            >
              Extend
            </Button>
            {agreement.state === "expired" ? null : (
              <Button
                ref={cancelRef}
                variant="secondary"
                className="aria-expanded:border-red-600 aria-expanded:bg-red-50"
                aria-expanded={open === "cancel"}
                aria-label={`Cancel agreement ${agreement.reference}`}
                onClick={() => setOpen(open === "cancel" ? null : "cancel")}
              >
                Cancel agreement
              </Button>
            )}
          </div>
        ) : null}
      </div>
      {open === "extend" ? <ExtendForm agreement={agreement} onDone={onDone} onClose={close} /> : null}
      {open === "cancel" ? <CancelForm agreement={agreement} onDone={onDone} onClose={close} /> : null}
    </li>
  );
}

function AddAgreementForm({ holder, holderName, onDone }: { holder: Holder; holderName: string; onDone: Done }) {
  const form = useActionForm(addAgreementSchema, addAgreementAction, {
    defaultValues: { ...holder, tier: "standard", reference: "", startsOn: "", endsOn: "" },
    fields: ["tier", "reference", "startsOn", "endsOn"],
    onSuccess: (data) => {
      form.reset();
      onDone({ tone: "success", text: data.message });
    },
  });
  const { register, errors } = form;

  return (
    <form
      onSubmit={form.submit}
      noValidate
      aria-labelledby="add-agreement-heading"
      className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      <h3 id="add-agreement-heading" className="font-semibold text-slate-900">
        Add an agreement for {holderName}
      </h3>
      {"organisationId" in holder ? <input type="hidden" {...register("organisationId")} /> : <input type="hidden" {...register("customerId")} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Tier" hint="Sets the SLA targets of new tickets." error={errors.tier?.message} {...register("tier")}>
          {AGREEMENT_TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {TIER_LABEL[tier]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Reference"
          hint="As on the contract, e.g. SA-10001-C."
          error={errors.reference?.message}
          maxLength={40}
          autoComplete="off"
          spellCheck={false}
          {...register("reference")}
        />
        <TextField type="date" label="First day covered" error={errors.startsOn?.message} {...register("startsOn")} />
        <TextField type="date" label="Last day covered" error={errors.endsOn?.message} {...register("endsOn")} />
      </div>
      <div>
        <SubmitButton pending={form.pending} busy="Adding…">
          Add agreement
        </SubmitButton>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

type Holder = { customerId: string } | { organisationId: string };

/**
 * A customer's or an organisation's agreements (pass `organisationId` for an organisation; on a
 * customer's page the organisation's agreements are listed too, marked as such); with `mayChange`
 * (supervisors, administrators) the forms to add, extend and cancel.
 */
export function AgreementPanel({
  customerId,
  organisationId,
  customerName,
  agreements,
  mayChange,
}: {
  customerId?: string;
  organisationId?: string;
  /** The holder's name (the customer's, or the organisation's). */
  customerName: string;
  agreements: AgreementView[];
  mayChange: boolean;
}) {
  const holder: Holder = organisationId ? { organisationId } : { customerId: customerId ?? "" };
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Bumped on every outcome: the list remounts closed, with the refreshed rows.
  const [round, setRound] = useState(0);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const done: Done = (result) => {
    setOutcome(result);
    setRound((value) => value + 1);
    router.refresh();
  };

  return (
    <div className="flex flex-col gap-3">
      <div ref={outcomeRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      </div>
      {agreements.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-6 text-center text-sm text-slate-700 shadow-sm">
          {organisationId ? "This organisation has" : "This customer has"} no support agreement on record.
        </p>
      ) : (
        <ul key={round} aria-label={`Support agreements of ${customerName}`} className="flex flex-col gap-3">
          {agreements.map((agreement) => (
            <AgreementItem key={agreement.id} agreement={agreement} mayChange={mayChange} onDone={done} />
          ))}
        </ul>
      )}
      {mayChange ? <AddAgreementForm holder={holder} holderName={customerName} onDone={done} /> : null}
    </div>
  );
}
