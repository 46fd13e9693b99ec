"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { addContactAction, removeContactAction } from "@/features/organisations/actions";
import { addContactSchema } from "@/features/organisations/schemas";

type Outcome = { tone: "success" | "error"; text: string };

/** The organisation's contacts (links to their pages), with add (by account number) and remove. */
export function ContactsPanel({ organisationId, contacts }: { organisationId: string; contacts: { id: string; name: string; accountNumber: string }[] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const form = useActionForm(addContactSchema, addContactAction, {
    defaultValues: { organisationId, accountNumber: "" },
    fields: ["accountNumber"],
    onSuccess: (data) => {
      form.reset({ organisationId, accountNumber: "" });
      setOutcome({ tone: "success", text: data.message });
      router.refresh();
    },
  });
  const { register, errors } = form;

  async function remove(customerId: string) {
    setRemoving(customerId);
    setOutcome(null);
    const result = await removeContactAction({ organisationId, customerId });
    setRemoving(null);
    if (!result) return;
    setOutcome(result.ok ? { tone: "success", text: result.data.message } : { tone: "error", text: result.error });
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite">{outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}</div>
      {contacts.length === 0 ? (
        <p className="text-sm text-slate-600">No contacts yet.</p>
      ) : (
        <ul aria-label="Contacts" className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200">
          {contacts.map((contact) => (
            <li key={contact.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2">
              <span className="min-w-0">
                <Link href={`/console/customers/${contact.id}`} className="font-medium text-brand-700 hover:underline">
                  {contact.name}
                </Link>{" "}
                <span className="font-mono text-xs text-slate-600">{contact.accountNumber}</span>
              </span>
              <Button
                variant="ghost"
                onClick={() => remove(contact.id)}
                disabled={removing === contact.id}
                aria-label={`Remove ${contact.name} (${contact.accountNumber}) from the organisation`}
              >
                {removing === contact.id ? "Removing…" : "Remove"}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <input type="hidden" {...register("organisationId")} />
        <TextField
          label="Add a contact by account number"
          hint="As on the customer's page, e.g. ACC-10007. A customer in another organisation moves here."
          error={errors.accountNumber?.message}
          maxLength={40}
          autoComplete="off"
          spellCheck={false}
          className="sm:w-80"
          {...register("accountNumber")}
        />
        <div className="sm:pt-6">
          <SubmitButton variant="secondary" pending={form.pending} busy="Adding…">
            Add contact
          </SubmitButton>
        </div>
      </form>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </div>
  );
}
