"use client";

import { useState } from "react";
import { eraseCustomerAction } from "@/features/privacy/actions";
import type { ErasureCounts } from "@/features/privacy/erasure-types";
import { eraseCustomerSchema } from "@/features/privacy/schemas";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** Type the customer's name exactly, then erase. A wrong name is refused on its field (and focused). */
export function EraseCustomerForm({ customerId, customerName }: { customerId: string; customerName: string }) {
  const [done, setDone] = useState<ErasureCounts | null>(null);
  const form = useActionForm(eraseCustomerSchema, (values) => eraseCustomerAction({ ...values, customerId }), {
    defaultValues: { customerId, confirmName: "" },
    fields: ["confirmName"],
    onSuccess: (result) => {
      setDone(result.counts);
    },
  });

  if (done) {
    return (
      <div role="status" aria-live="polite">
        <Alert tone="success" title="Customer erased">
          {customerName} was erased: {done.tickets} tickets and {done.messages} messages redacted, {done.attachments} attachments, {done.emails} email
          addresses, {done.phones} phone numbers and {done.portalAccounts} portal accounts deleted. {done.identityChecksKept} identity checks are kept without
          personal data for reports.
        </Alert>
      </div>
    );
  }

  const { errors } = form;
  return (
    <form onSubmit={form.submit} noValidate className="flex max-w-xl flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField
        label="Type the customer's name to confirm"
        hint={`Exactly as shown: ${customerName}`}
        autoComplete="off"
        spellCheck={false}
        error={errors.confirmName?.message}
        {...form.register("confirmName")}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Erasing…" variant="danger">
          Erase customer permanently
        </SubmitButton>
      </div>
    </form>
  );
}
