"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { createCustomer, linkAccount } from "@/features/customers/registration-review/actions";
import { type CreateCustomerFormInput, createCustomerSchema } from "@/features/customers/registration-review/schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";

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
  const [formError, setFormError] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CreateCustomerFormInput>({ resolver: zodResolver(createCustomerSchema), defaultValues: { userId, name: defaultName, company: defaultCompany } });

  async function onSubmit(values: CreateCustomerFormInput) {
    setFormError(null);
    const result = await createCustomer(values);
    if (!result || result.ok) {
      setLeaving(true);
      return;
    }
    let focused = false;
    for (const field of ["name", "company"] as const) {
      const message = result.fieldErrors?.[field]?.[0];
      if (message) {
        setError(field, { type: "server", message }, { shouldFocus: !focused });
        focused = true;
      }
    }
    if (!focused) setFormError(result.error);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-4">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <input type="hidden" {...register("userId")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Customer name" hint="A person or the business." error={errors.name?.message} {...register("name")} />
        <TextField label="Company (optional)" hint="Leave empty for a private customer." error={errors.company?.message} {...register("company")} />
      </div>
      <div>
        <Button type="submit" variant="secondary" disabled={isSubmitting || leaving}>
          {isSubmitting || leaving ? "Creating…" : "Create customer and link the account"}
        </Button>
      </div>
    </form>
  );
}
