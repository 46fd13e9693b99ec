"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { unfreezeAccountAction, unlockCodeVerificationAction } from "@/features/verification/unlock-actions";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { staffUnlockSchema } from "@/features/verification/schemas";

export type UnlockKind = "code" | "frozen";
/** One account as the page describes it; `detail` says what happened and when. */
export type LockedAccountView = { id: string; name: string; email: string; detail: string };
type Outcome = { tone: "success" | "error"; text: string };

const KIND = {
  code: {
    action: unlockCodeVerificationAction,
    badge: "Code verification locked",
    button: (name: string) => `Unlock code verification for ${name}`,
    busy: "Unlocking…",
    field: (name: string) => `Reason for unlocking ${name}`,
    hint: "Recorded in the audit log, e.g. “Identity confirmed on a call back to the number on file.”",
    listLabel: "Accounts with code verification locked",
    empty: "No account has code verification locked.",
  },
  frozen: {
    action: unfreezeAccountAction,
    badge: "Frozen",
    button: (name: string) => `Unfreeze the account of ${name}`,
    busy: "Unfreezing…",
    field: (name: string) => `Reason for unfreezing ${name}'s account`,
    hint: "Recorded in the audit log, e.g. “Owner confirmed by phone; password and two-factor checked.”",
    listLabel: "Frozen accounts",
    empty: "No account is frozen.",
  },
} as const;

function UnlockForm({ kind, account, onDone }: { kind: UnlockKind; account: LockedAccountView; onDone: (outcome: Outcome) => void }) {
  const words = KIND[kind];
  const form = useActionForm(staffUnlockSchema, words.action, {
    defaultValues: { userId: account.id, reason: "" },
    fields: ["reason"],
    onSuccess: (data) => onDone({ tone: "success", text: data.message }),
    // Already done by someone else: say so at the top, where the list refreshes.
    onRefusal: (refusal) => {
      if (refusal.fieldErrors?.reason?.[0] || (refusal.code !== "conflict" && refusal.code !== "not_found")) return false;
      onDone({ tone: "error", text: refusal.error });
      return true;
    },
  });
  const { register, errors } = form;

  return (
    <form onSubmit={form.submit} noValidate className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
      <input type="hidden" {...register("userId")} />
      <TextField
        label={words.field(account.name)}
        hint={words.hint}
        error={errors.reason?.message}
        maxLength={500}
        autoComplete="off"
        className="min-w-0 flex-1"
        {...register("reason")}
      />
      <SubmitButton pending={form.pending} busy={words.busy} className="shrink-0">
        {words.button(account.name)}
      </SubmitButton>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}

/** Locked (or frozen) accounts, each with its form; the outcome stays above the list while it refreshes. */
export function UnlockList({ kind, accounts }: { kind: UnlockKind; accounts: LockedAccountView[] }) {
  const words = KIND[kind];
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  return (
    <div className="flex flex-col gap-3">
      <div aria-live="polite">{outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}</div>
      {accounts.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-6 text-center text-sm text-slate-700 shadow-sm">{words.empty}</p>
      ) : (
        <ul aria-label={words.listLabel} className="flex flex-col gap-3">
          {accounts.map((account) => (
            <li key={account.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-semibold text-slate-900">{account.name}</p>
                  <p className="break-all text-sm text-slate-700">{account.email}</p>
                  <p className="text-xs text-slate-600">{account.detail}</p>
                </div>
                <Badge tone="bad">{words.badge}</Badge>
              </div>
              <UnlockForm
                kind={kind}
                account={account}
                onDone={(result) => {
                  setOutcome(result);
                  router.refresh();
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
