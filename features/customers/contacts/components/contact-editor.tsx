"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useRef, useState, useTransition } from "react";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import {
  addEmailAction,
  addPhoneAction,
  correctEmailAction,
  correctPhoneAction,
  makePrimaryEmailAction,
  removeEmailAction,
  removePhoneAction,
  sendContactVerificationAction,
  updateProfileAction,
} from "@/features/customers/contacts/actions";
import type { ContactDetails, ContactOutcome, EmailView, Holder, PhoneView } from "@/features/customers/contacts/contacts";
import {
  addEmailSchema,
  addPhoneSchema,
  correctEmailSchema,
  correctPhoneSchema,
  PHONE_KINDS,
  updateProfileSchema,
} from "@/features/customers/contacts/schemas";
import type { ActionResult } from "@/platform/auth/guard";
import type { Deliverability } from "@/platform/db/generated/prisma/enums";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { Button } from "@/ui/button";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

type CountryOption = { code: string; name: string; callingCode: string };
type Outcome = { tone: "success" | "error"; text: string; holder?: Holder };
type Done = (outcome: Outcome) => void;

const DELIVERABILITY: Record<Deliverability, { label: string; tone: BadgeTone }> = {
  unknown: { label: "Delivery unknown", tone: "neutral" },
  delivering: { label: "Delivering", tone: "good" },
  bouncing: { label: "Bouncing", tone: "bad" },
  complained: { label: "Marked as spam", tone: "warn" },
};
const KIND_LABEL = { mobile: "Mobile", fixed: "Landline", other: "Other" } as const;

function HolderLink({ holder }: { holder: Holder }) {
  return (
    <p className="mt-1 text-sm">
      <Link href={`/console/customers/${holder.id}`} className="font-semibold text-brand-700 underline underline-offset-2">
        Open {holder.name}&rsquo;s record
      </Link>
    </p>
  );
}

function VerifiedBadge({ verifiedAt }: { verifiedAt: Date | null }) {
  return verifiedAt ? <Badge tone="good">Verified</Badge> : <Badge tone="warn">Not verified</Badge>;
}

/**
 * What the contact forms do with a service answer: success reports above the lists (and
 * refreshes them); a refusal goes on its field (focused, announced), with the holder's link
 * when another customer holds the value.
 */
function useOutcome<T extends FieldValues>(
  setError: UseFormSetError<T>,
  onDone: Done,
  field: Path<T>,
  onHolder: (holder: Holder | null) => void,
): (data: ContactOutcome) => void {
  return (data) => {
    if (data.ok) {
      onHolder(null);
      onDone({ tone: "success", text: data.message });
      return;
    }
    onHolder(data.holder ?? null);
    setError(field, { type: "server", message: data.message }, { shouldFocus: true });
  };
}

// ───────────────────────────── Name and account number ─────────────────────────────

function ProfileForm({ details, onDone }: { details: ContactDetails; onDone: Done }) {
  const [holder, setHolder] = useState<Holder | null>(null);
  const form = useActionForm(updateProfileSchema, updateProfileAction, {
    defaultValues: { customerId: details.id, name: details.name, accountNumber: details.accountNumber },
    fields: ["name", "accountNumber"],
    onSuccess: (data) => {
      outcome(data);
    },
  });
  const outcome = useOutcome(form.setError, onDone, "accountNumber", setHolder);
  const { register, errors } = form;
  return (
    <form onSubmit={form.submit} noValidate aria-labelledby="contact-profile-heading" className="flex flex-col gap-3">
      <h3 id="contact-profile-heading" className="font-semibold text-slate-900">
        Name and account number
      </h3>
      <input type="hidden" {...register("customerId")} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Name" autoComplete="off" maxLength={100} error={errors.name?.message} {...register("name")} />
        <TextField
          label="Account number"
          autoComplete="off"
          spellCheck={false}
          maxLength={40}
          error={errors.accountNumber?.message}
          {...register("accountNumber")}
        />
      </div>
      {holder ? <HolderLink holder={holder} /> : null}
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save name and account number
        </SubmitButton>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

// ───────────────────────────── Buttons that act at once ─────────────────────────────

function useQuickAction(onDone: Done) {
  const [pending, startTransition] = useTransition();
  const run = (call: () => Promise<ActionResult<ContactOutcome | { message: string }>>) =>
    startTransition(async () => {
      const result = await call();
      if (!result.ok) onDone({ tone: "error", text: result.error });
      else if ("ok" in result.data && !result.data.ok) onDone({ tone: "error", text: result.data.message, holder: result.data.holder });
      else onDone({ tone: "success", text: result.data.message });
    });
  return { pending, run };
}

function RemoveControl({ label, onRemove, pending }: { label: string; onRemove: () => void; pending: boolean }) {
  const [asking, setAsking] = useState(false);
  const askRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <Button ref={askRef} variant="ghost" onClick={() => setAsking(true)} aria-label={`Remove ${label}`}>
        Remove
      </Button>
    );
  }
  return (
    <span
      role="group"
      aria-label={`Remove ${label}?`}
      className="flex flex-wrap items-center gap-2"
      onKeyDown={(event) => event.key === "Escape" && setAsking(false)}
    >
      <span className="text-sm text-slate-700">Remove it?</span>
      <Button ref={confirmRef} variant="danger" disabled={pending} onClick={onRemove}>
        {pending ? "Removing…" : "Yes, remove"}
      </Button>
      <Button variant="ghost" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </span>
  );
}

// ───────────────────────────── Email addresses ─────────────────────────────

function CorrectEmailForm({ email, onDone, onClose }: { email: EmailView; onDone: Done; onClose: () => void }) {
  const [holder, setHolder] = useState<Holder | null>(null);
  const form = useActionForm(correctEmailSchema, correctEmailAction, {
    defaultValues: { emailId: email.id, address: email.address },
    fields: ["address"],
    onSuccess: (data) => {
      outcome(data);
    },
  });
  const outcome = useOutcome(form.setError, onDone, "address", setHolder);
  const { register, setFocus, errors } = form;
  useEffect(() => setFocus("address"), [setFocus]);
  return (
    <form
      onSubmit={form.submit}
      noValidate
      onKeyDown={(event) => event.key === "Escape" && onClose()}
      className="mt-3 flex flex-col gap-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <input type="hidden" {...register("emailId")} />
      <TextField
        type="email"
        label={`Correct ${email.address}`}
        hint="For a typo in an address that is not verified yet. It stays unverified."
        autoComplete="off"
        spellCheck={false}
        error={errors.address?.message}
        {...register("address")}
      />
      {holder ? <HolderLink holder={holder} /> : null}
      <div className="flex flex-wrap gap-2">
        <SubmitButton pending={form.pending} busy="Saving…">
          Save correction
        </SubmitButton>
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

function EmailItem({ email, onDone }: { email: EmailView; onDone: Done }) {
  const [correcting, setCorrecting] = useState(false);
  const correctRef = useRef<HTMLButtonElement>(null);
  const { pending, run } = useQuickAction(onDone);
  const deliverability = DELIVERABILITY[email.deliverability];
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-col gap-2">
        <p className="break-all font-medium text-slate-900">{email.address}</p>
        <p className="flex flex-wrap items-center gap-2">
          <Badge tone={email.isPrimary ? "info" : "neutral"}>{email.isPrimary ? "Primary" : "Alias"}</Badge>
          <VerifiedBadge verifiedAt={email.verifiedAt} />
          <Badge tone={deliverability.tone}>{deliverability.label}</Badge>
        </p>
        <div className="flex flex-wrap gap-2">
          {email.isPrimary ? null : (
            <Button
              variant="secondary"
              disabled={pending}
              aria-label={`Make ${email.address} the primary address`}
              onClick={() => run(() => makePrimaryEmailAction({ emailId: email.id }))}
            >
              Make primary
            </Button>
          )}
          {email.verifiedAt ? null : (
            <>
              <Button
                variant="secondary"
                disabled={pending}
                aria-label={`Send a verification request to ${email.address}`}
                onClick={() => run(() => sendContactVerificationAction({ kind: "email", id: email.id }))}
              >
                Send verification request
              </Button>
              <Button
                ref={correctRef}
                variant="secondary"
                aria-expanded={correcting}
                aria-label={`Correct ${email.address}`}
                onClick={() => setCorrecting(!correcting)}
              >
                Correct
              </Button>
            </>
          )}
          {email.isPrimary ? null : (
            <RemoveControl label={email.address} pending={pending} onRemove={() => run(() => removeEmailAction({ emailId: email.id }))} />
          )}
        </div>
      </div>
      {correcting ? (
        <CorrectEmailForm
          email={email}
          onDone={onDone}
          onClose={() => {
            setCorrecting(false);
            correctRef.current?.focus();
          }}
        />
      ) : null}
    </li>
  );
}

function AddEmailForm({ customerId, hasEmails, onDone }: { customerId: string; hasEmails: boolean; onDone: Done }) {
  const [holder, setHolder] = useState<Holder | null>(null);
  const form = useActionForm(addEmailSchema, addEmailAction, {
    defaultValues: { customerId, address: "" },
    fields: ["address"],
    onSuccess: (data) => {
      if (data.ok) form.reset();
      outcome(data);
    },
  });
  const outcome = useOutcome(form.setError, onDone, "address", setHolder);
  const { register, errors } = form;
  return (
    <form onSubmit={form.submit} noValidate aria-label="Add an email address" className="flex flex-col gap-3">
      <input type="hidden" {...register("customerId")} />
      <TextField
        type="email"
        label={hasEmails ? "Add an alias" : "Add the primary address"}
        hint={hasEmails ? "Another address of this customer. Mail from it is matched to them." : "Replies and notices go to the primary address."}
        autoComplete="off"
        spellCheck={false}
        error={errors.address?.message}
        {...register("address")}
      />
      {holder ? <HolderLink holder={holder} /> : null}
      <div>
        <SubmitButton pending={form.pending} busy="Adding…">
          Add address
        </SubmitButton>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

// ───────────────────────────── Phone numbers ─────────────────────────────

function PhoneFields({
  form,
  countries,
  idPrefix,
  numberLabel,
}: {
  /** The add or the correct form: their values differ only by the id field. */
  form: any;
  countries: CountryOption[];
  idPrefix: string;
  numberLabel: string;
}) {
  const { register, errors } = form;
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <SelectField id={`${idPrefix}-country`} label="Country" hint="For a number typed without +." error={errors.country?.message} {...register("country")}>
        {countries.map((country) => (
          <option key={country.code} value={country.code}>
            {country.name} (+{country.callingCode})
          </option>
        ))}
      </SelectField>
      <TextField
        id={`${idPrefix}-number`}
        type="tel"
        label={numberLabel}
        hint="National form or with +."
        autoComplete="off"
        maxLength={30}
        error={errors.number?.message}
        {...register("number")}
      />
      <SelectField id={`${idPrefix}-kind`} label="Kind" error={errors.kind?.message} {...register("kind")}>
        {PHONE_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {KIND_LABEL[kind]}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

function CorrectPhoneForm({
  phone,
  countries,
  defaultCountry,
  onDone,
  onClose,
}: {
  phone: PhoneView;
  countries: CountryOption[];
  defaultCountry: string;
  onDone: Done;
  onClose: () => void;
}) {
  const [holder, setHolder] = useState<Holder | null>(null);
  const form = useActionForm(correctPhoneSchema, correctPhoneAction, {
    defaultValues: { phoneId: phone.id, country: defaultCountry, number: phone.e164, kind: phone.kind },
    fields: ["country", "number", "kind"],
    onSuccess: (data) => {
      outcome(data);
    },
  });
  const outcome = useOutcome(form.setError, onDone, "number", setHolder);
  const { setFocus } = form;
  useEffect(() => setFocus("number"), [setFocus]);
  return (
    <form
      onSubmit={form.submit}
      noValidate
      onKeyDown={(event) => event.key === "Escape" && onClose()}
      aria-label={`Correct ${phone.display}`}
      className="mt-3 flex flex-col gap-3 rounded-md border border-slate-200 bg-slate-50 p-3"
    >
      <input type="hidden" {...form.register("phoneId")} />
      <PhoneFields form={form} countries={countries} idPrefix={`correct-${phone.id}`} numberLabel={`Correct ${phone.display}`} />
      {holder ? <HolderLink holder={holder} /> : null}
      <div className="flex flex-wrap gap-2">
        <SubmitButton pending={form.pending} busy="Saving…">
          Save correction
        </SubmitButton>
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

function PhoneItem({ phone, countries, defaultCountry, onDone }: { phone: PhoneView; countries: CountryOption[]; defaultCountry: string; onDone: Done }) {
  const [correcting, setCorrecting] = useState(false);
  const correctRef = useRef<HTMLButtonElement>(null);
  const { pending, run } = useQuickAction(onDone);
  const deliverability = DELIVERABILITY[phone.deliverability];
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-col gap-2">
        <p className="font-medium tabular-nums text-slate-900">
          {phone.display} <span className="text-sm font-normal text-slate-600">· {KIND_LABEL[phone.kind]}</span>
        </p>
        <p className="flex flex-wrap items-center gap-2">
          <VerifiedBadge verifiedAt={phone.verifiedAt} />
          <Badge tone={deliverability.tone}>{deliverability.label}</Badge>
          <span className="font-mono text-xs text-slate-600">{phone.e164}</span>
        </p>
        <div className="flex flex-wrap gap-2">
          {phone.verifiedAt ? null : (
            <>
              {phone.kind === "mobile" ? (
                <Button
                  variant="secondary"
                  disabled={pending}
                  aria-label={`Send a verification request to ${phone.display}`}
                  onClick={() => run(() => sendContactVerificationAction({ kind: "phone", id: phone.id }))}
                >
                  Send verification request
                </Button>
              ) : null}
              <Button
                ref={correctRef}
                variant="secondary"
                aria-expanded={correcting}
                aria-label={`Correct ${phone.display}`}
                onClick={() => setCorrecting(!correcting)}
              >
                Correct
              </Button>
            </>
          )}
          <RemoveControl label={phone.display} pending={pending} onRemove={() => run(() => removePhoneAction({ phoneId: phone.id }))} />
        </div>
      </div>
      {correcting ? (
        <CorrectPhoneForm
          phone={phone}
          countries={countries}
          defaultCountry={defaultCountry}
          onDone={onDone}
          onClose={() => {
            setCorrecting(false);
            correctRef.current?.focus();
          }}
        />
      ) : null}
    </li>
  );
}

function AddPhoneForm({
  customerId,
  countries,
  defaultCountry,
  onDone,
}: {
  customerId: string;
  countries: CountryOption[];
  defaultCountry: string;
  onDone: Done;
}) {
  const [holder, setHolder] = useState<Holder | null>(null);
  const form = useActionForm(addPhoneSchema, addPhoneAction, {
    defaultValues: { customerId, country: defaultCountry, number: "", kind: "mobile" },
    fields: ["country", "number", "kind"],
    onSuccess: (data) => {
      if (data.ok) form.reset({ customerId, country: form.getValues("country"), number: "", kind: "mobile" });
      outcome(data);
    },
  });
  const outcome = useOutcome(form.setError, onDone, "number", setHolder);
  return (
    <form onSubmit={form.submit} noValidate aria-label="Add a phone number" className="flex flex-col gap-3">
      <input type="hidden" {...form.register("customerId")} />
      <PhoneFields form={form} countries={countries} idPrefix="add-phone" numberLabel="Add a phone number" />
      {holder ? <HolderLink holder={holder} /> : null}
      <div>
        <SubmitButton pending={form.pending} busy="Adding…">
          Add number
        </SubmitButton>
      </div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

// ───────────────────────────── The editor ─────────────────────────────

function Block({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-slate-50/60 p-4">
      <h3 id={id} className="font-semibold text-slate-900">
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * "Contact details": a customer's name, account number, addresses and numbers, each with its
 * verification state and deliverability, and what an agent may do with it (rules in
 * features/customers/contacts/contacts.ts).
 */
export function ContactEditor({ details, countries, defaultCountry }: { details: ContactDetails; countries: CountryOption[]; defaultCountry: string }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [round, setRound] = useState(0);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const done: Done = (result) => {
    setOutcome(result);
    if (result.tone === "success") setRound((value) => value + 1);
    router.refresh();
  };

  return (
    <div className="flex min-w-0 flex-col gap-4">
      <div ref={outcomeRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {outcome ? (
          <Alert tone={outcome.tone}>
            {outcome.text}
            {outcome.holder ? <HolderLink holder={outcome.holder} /> : null}
          </Alert>
        ) : null}
      </div>
      <ProfileForm key={`profile-${round}`} details={details} onDone={done} />
      <Block id="contact-emails-heading" title="Email addresses">
        {details.emails.length === 0 ? <p className="text-sm text-slate-700">No email address on record.</p> : null}
        <ul key={`emails-${round}`} aria-label="Email addresses" className="flex flex-col gap-3">
          {details.emails.map((email) => (
            <EmailItem key={email.id} email={email} onDone={done} />
          ))}
        </ul>
        <AddEmailForm customerId={details.id} hasEmails={details.emails.length > 0} onDone={done} />
      </Block>
      <Block id="contact-phones-heading" title="Phone numbers">
        {details.phones.length === 0 ? <p className="text-sm text-slate-700">No phone number on record.</p> : null}
        <ul key={`phones-${round}`} aria-label="Phone numbers" className="flex flex-col gap-3">
          {details.phones.map((phone) => (
            <PhoneItem key={phone.id} phone={phone} countries={countries} defaultCountry={defaultCountry} onDone={done} />
          ))}
        </ul>
        <AddPhoneForm customerId={details.id} countries={countries} defaultCountry={defaultCountry} onDone={done} />
      </Block>
    </div>
  );
}
