"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { addDomainAction, removeDomainAction } from "@/features/organisations/actions";
import { addDomainSchema, DOMAIN_MAX_LENGTH } from "@/features/organisations/schemas";

type Outcome = { tone: "success" | "error"; text: string };

/** The organisation's mail domains (each only suggests membership), with add and remove. */
export function DomainsPanel({ organisationId, domains }: { organisationId: string; domains: { id: string; domain: string }[] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const form = useActionForm(addDomainSchema, addDomainAction, {
    defaultValues: { organisationId, domain: "" },
    fields: ["domain"],
    onSuccess: (data) => {
      form.reset({ organisationId, domain: "" });
      setOutcome({ tone: "success", text: data.message });
      router.refresh();
    },
  });
  const { register, errors } = form;

  async function remove(domainId: string) {
    setRemoving(domainId);
    setOutcome(null);
    const result = await removeDomainAction({ domainId });
    setRemoving(null);
    if (!result) return;
    setOutcome(result.ok ? { tone: "success", text: result.data.message } : { tone: "error", text: result.error });
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite">{outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}</div>
      {domains.length === 0 ? (
        <p className="text-sm text-slate-600">No domains yet.</p>
      ) : (
        <ul aria-label="Mail domains" className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200">
          {domains.map((row) => (
            <li key={row.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2">
              <span className="break-all font-mono text-sm">{row.domain}</span>
              <Button variant="ghost" onClick={() => remove(row.id)} disabled={removing === row.id} aria-label={`Remove domain ${row.domain}`}>
                {removing === row.id ? "Removing…" : "Remove"}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <input type="hidden" {...register("organisationId")} />
        <TextField
          label="Add a mail domain"
          hint="The part after @, e.g. acme.example. Not a public provider such as gmail.com."
          error={errors.domain?.message}
          maxLength={DOMAIN_MAX_LENGTH}
          autoComplete="off"
          spellCheck={false}
          className="sm:w-80"
          {...register("domain")}
        />
        <div className="sm:pt-6">
          <SubmitButton variant="secondary" pending={form.pending} busy="Adding…">
            Add domain
          </SubmitButton>
        </div>
      </form>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </div>
  );
}
