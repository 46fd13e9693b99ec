"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { acceptOrganisationSuggestion, createCustomer, linkAccount } from "@/features/customers/registration-review/actions";
import { createCustomerSchema } from "@/features/customers/registration-review/schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** "Link to Lumen Dental Clinic (ACC-10005)": one click, audited; the list then confirms it. */
export function LinkButton({ userId, customerId, label }: { userId: string; customerId: string; label: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function link() {
    setBusy(true);
    setError(null);
    const result = await linkAccount({ userId, customerId });
    // On success the action moves to the list.
    if (result && !result.ok) {
      setError(result.error);
      setBusy(false);
    }
  }
  return (
    <div className="flex flex-col items-start gap-2">
      <Button onClick={link} disabled={busy}>
        {busy ? "Linking…" : label}
      </Button>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}

/** Creates a customer record from the account (its verified address becomes the primary one). */
export function CreateCustomerForm({ userId, defaultName }: { userId: string; defaultName: string }) {
  // On success the action moves to the list.
  const form = useActionForm(createCustomerSchema, createCustomer, {
    defaultValues: { userId, name: defaultName },
    fields: ["name"],
    leaves: true,
  });
  const { register, errors } = form;

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...register("userId")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Customer name" hint="A person or the business." error={errors.name?.message} {...register("name")} />
      </div>
      <div>
        <SubmitButton variant="secondary" pending={form.pending} busy="Creating…">
          Create customer and link the account
        </SubmitButton>
      </div>
    </form>
  );
}

/** "Add Grace Kim to Lumen Dental Clinic": the reviewer accepts the domain's suggestion (audited); never automatic. */
export function AcceptOrganisationButton({ userId, organisationId, label }: { userId: string; organisationId: string; label: string }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function accept() {
    setBusy(true);
    setOutcome(null);
    const result = await acceptOrganisationSuggestion({ userId, organisationId });
    setBusy(false);
    if (!result) return;
    setOutcome(result.ok ? { tone: "success", text: result.data?.message ?? "Done." } : { tone: "error", text: result.error });
    if (result.ok) router.refresh();
  }
  return (
    <div className="flex flex-col items-start gap-2">
      <Button variant="secondary" onClick={accept} disabled={busy}>
        {busy ? "Adding…" : label}
      </Button>
      <div aria-live="polite">{outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}</div>
    </div>
  );
}
