"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { unlockCodeVerificationAction } from "@/app/supervisor/unlocks/actions";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { type UnlockCodeVerificationInput, unlockCodeVerificationSchema } from "@/lib/identity/code-lock-schema";

export type LockedAccountView = { id: string; name: string; email: string; roleLabel: string; lockedAt: string; failureCount: number; accountNumber: string | null };

function UnlockForm({ account, onDone }: { account: LockedAccountView; onDone: (outcome: { tone: "success" | "error"; text: string }) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<UnlockCodeVerificationInput>({ resolver: zodResolver(unlockCodeVerificationSchema), defaultValues: { userId: account.id, reason: "" } });

  async function onSubmit(values: UnlockCodeVerificationInput) {
    setFormError(null);
    const result = await unlockCodeVerificationAction(values);
    if (result.ok) return onDone({ tone: "success", text: result.data.message });
    const reasonError = result.fieldErrors?.reason?.[0];
    if (reasonError) setError("reason", { type: "server", message: reasonError }, { shouldFocus: true });
    // Already unlocked by someone else: say so at the top, where the list refreshes.
    else if (result.code === "conflict" || result.code === "not_found") onDone({ tone: "error", text: result.error });
    else setFormError(result.error);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
      <input type="hidden" {...register("userId")} />
      <TextField
        label={`Reason for unlocking ${account.name}`}
        hint="Recorded in the audit log, e.g. “Identity confirmed on a call back to the number on file.”"
        error={errors.reason?.message}
        maxLength={500}
        autoComplete="off"
        className="min-w-0 flex-1"
        {...register("reason")}
      />
      <Button type="submit" disabled={isSubmitting} className="shrink-0">
        {isSubmitting ? "Unlocking…" : `Unlock code verification for ${account.name}`}
      </Button>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
    </form>
  );
}

/** The locked accounts, each with its unlock form; the outcome stays above the list while it refreshes. */
export function UnlockList({ accounts }: { accounts: LockedAccountView[] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  return (
    <div className="flex flex-col gap-4">
      <div aria-live="polite">{outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}</div>
      {accounts.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white px-6 py-8 text-center text-sm text-slate-700 shadow-sm">No account has code verification locked.</p>
      ) : (
        <ul aria-label="Accounts with code verification locked" className="flex flex-col gap-3">
          {accounts.map((account) => (
            <li key={account.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-semibold text-slate-900">{account.name}</p>
                  <p className="break-all text-sm text-slate-700">{account.email}</p>
                  <p className="text-xs text-slate-600">
                    {account.roleLabel}
                    {account.accountNumber ? ` · ${account.accountNumber}` : ""} · locked {account.lockedAt} UTC after {account.failureCount} wrong codes in a row
                  </p>
                </div>
                <Badge tone="bad">Code verification locked</Badge>
              </div>
              <UnlockForm
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
