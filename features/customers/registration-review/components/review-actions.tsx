"use client";

import { useState } from "react";
import { createCustomer, linkAccount } from "@/features/customers/registration-review/actions";
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
export function CreateCustomerForm({ userId, defaultName, defaultCompany }: { userId: string; defaultName: string; defaultCompany: string }) {
  // On success the action moves to the list.
  const form = useActionForm(createCustomerSchema, createCustomer, {
    defaultValues: { userId, name: defaultName, company: defaultCompany },
    fields: ["name", "company"],
    leaves: true,
  });
  const { register, errors } = form;

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...register("userId")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Customer name" hint="A person or the business." error={errors.name?.message} {...register("name")} />
        <TextField label="Company (optional)" hint="Leave empty for a private customer." error={errors.company?.message} {...register("company")} />
      </div>
      <div>
        <SubmitButton variant="secondary" pending={form.pending} busy="Creating…">
          Create customer and link the account
        </SubmitButton>
      </div>
    </form>
  );
}
