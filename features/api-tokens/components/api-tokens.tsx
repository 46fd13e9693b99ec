"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { createApiTokenAction, revokeApiTokenAction } from "@/features/api-tokens/actions";
import { createApiTokenSchema, revokeApiTokenSchema, TOKEN_LIFETIME_LABEL, TOKEN_LIFETIMES } from "@/features/api-tokens/schemas";
import { API_SCOPE_DESCRIPTION, API_SCOPES } from "@/platform/auth/api-scopes";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { Button } from "@/ui/button";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/** "New token": name, scopes, lifetime. The token appears once, focused, with a copy button. */
export function CreateApiTokenForm() {
  const router = useRouter();
  const scopesId = useId();
  const [created, setCreated] = useState<{ token: string; message: string } | null>(null);
  const createdRef = useRef<HTMLDivElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (created) createdRef.current?.focus();
  }, [created]);
  const form = useActionForm(createApiTokenSchema, createApiTokenAction, {
    defaultValues: { name: "", scopes: [], lifetime: "90" },
    fields: ["name", "scopes", "lifetime"],
    onSuccess: (data) => {
      setCopied(false);
      setCreated({ token: data.token, message: data.message });
      form.reset({ name: "", scopes: [], lifetime: "90" });
      router.refresh();
    },
  });
  return (
    <div className="flex flex-col gap-4">
      <div ref={createdRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {created ? (
          <Alert tone="success">
            <p>{created.message}</p>
            <p className="mt-2 flex flex-wrap items-center gap-2">
              <code className="break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900" aria-label="The new token">
                {created.token}
              </code>
              <Button
                type="button"
                variant="secondary"
                onClick={async () => {
                  await navigator.clipboard?.writeText(created.token).catch(() => undefined);
                  setCopied(true);
                }}
              >
                {copied ? "Copied" : "Copy"}
              </Button>
            </p>
          </Alert>
        ) : null}
      </div>
      <form onSubmit={form.submit} noValidate aria-labelledby="new-token-heading" className="flex flex-col gap-4">
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
        <div className="grid gap-4 md:grid-cols-2">
          <TextField label="Name" hint="What uses it, e.g. “CRM sync”." autoComplete="off" error={form.errors.name?.message} {...form.register("name")} />
          <SelectField label="Expires after" error={form.errors.lifetime?.message} {...form.register("lifetime")}>
            {TOKEN_LIFETIMES.map((lifetime) => (
              <option key={lifetime} value={lifetime}>
                {TOKEN_LIFETIME_LABEL[lifetime]}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset aria-describedby={form.errors.scopes ? `${scopesId}-error` : undefined}>
          <legend className="text-sm font-medium text-slate-900">Scopes (what the token may do; nothing else)</legend>
          <div className="mt-2 grid gap-2 md:grid-cols-2">
            {API_SCOPES.map((scope) => (
              <label key={scope} className="flex items-start gap-3 text-sm text-slate-800">
                <input type="checkbox" value={scope} {...form.register("scopes")} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300" />
                <span>
                  <code className="font-mono">{scope}</code> — {API_SCOPE_DESCRIPTION[scope]}
                </span>
              </label>
            ))}
          </div>
          {form.errors.scopes ? (
            <p id={`${scopesId}-error`} role="alert" className="mt-2 text-sm text-red-700">
              {form.errors.scopes.message ?? form.errors.scopes.root?.message}
            </p>
          ) : null}
        </fieldset>
        <div>
          <SubmitButton pending={form.pending} busy="Creating…">
            Create token
          </SubmitButton>
        </div>
      </form>
    </div>
  );
}

export type ApiTokenView = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdLabel: string;
  expiresLabel: string;
  lastUsedLabel: string;
  state: "active" | "expired" | "revoked";
};

function RevokeButton({ token, onDone }: { token: ApiTokenView; onDone: (outcome: { tone: "success" | "error"; text: string }) => void }) {
  const form = useActionForm(revokeApiTokenSchema, revokeApiTokenAction, {
    defaultValues: { tokenId: token.id },
    onSuccess: (data) => onDone({ tone: "success", text: data.message }),
    onRefusal: (refusal) => {
      onDone({ tone: "error", text: refusal.error });
      return true;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate>
      <input type="hidden" {...form.register("tokenId")} />
      <SubmitButton variant="secondary" pending={form.pending} busy="Revoking…" aria-label={`Revoke the token ${token.name}`}>
        Revoke
      </SubmitButton>
    </form>
  );
}

const STATE_BADGE = {
  active: { tone: "good", label: "Active" },
  expired: { tone: "warn", label: "Expired" },
  revoked: { tone: "bad", label: "Revoked" },
} as const;

/** Every token with its scopes, last use and state; revoke the live ones. */
export function ApiTokenList({ tokens }: { tokens: ApiTokenView[] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  return (
    <div className="flex flex-col gap-3">
      <div ref={outcomeRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      </div>
      {tokens.length === 0 ? (
        <p className="text-sm text-slate-600">No tokens yet.</p>
      ) : (
        <ul aria-label="API tokens" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
          {tokens.map((token) => (
            <li key={token.id} className="flex flex-col gap-3 p-4 md:flex-row md:items-center md:justify-between">
              <div className="min-w-0">
                <p className="font-semibold text-slate-900">
                  {token.name} <Badge tone={STATE_BADGE[token.state].tone}>{STATE_BADGE[token.state].label}</Badge>
                </p>
                <p className="break-all text-sm text-slate-700">
                  <code className="font-mono">{token.prefix}…</code> · {token.scopes.join(", ")}
                </p>
                <p className="text-sm text-slate-600">
                  {token.createdLabel} · {token.expiresLabel} · {token.lastUsedLabel}
                </p>
              </div>
              {token.state === "active" ? (
                <RevokeButton
                  token={token}
                  onDone={(result) => {
                    setOutcome(result);
                    router.refresh();
                  }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
