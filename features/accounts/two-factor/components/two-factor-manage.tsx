"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { newRecoveryCodesAction, turnOffTwoFactorAction } from "@/features/accounts/security-actions";
import { showActionError } from "@/ui/forms/action-errors";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import type { ActionResult } from "@/platform/auth/guard";
import { type PasswordOnlyInput, passwordOnlySchema } from "@/features/accounts/two-factor/schemas";

/** With two-factor sign-in on: new recovery codes, and turning it off (both need the password). */
export function TwoFactorManage({ canTurnOff, onNewCodes }: { canTurnOff: boolean; onNewCodes: (recoveryCodes: string[]) => void }) {
  const router = useRouter();
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <PasswordForm
        title="New recovery codes"
        description="Makes 10 new codes. The old ones stop working."
        button="Make new recovery codes"
        busyText="Making codes…"
        variant="secondary"
        action={newRecoveryCodesAction}
        onDone={(data) => onNewCodes((data as { recoveryCodes: string[] }).recoveryCodes)}
      />
      {canTurnOff ? (
        <PasswordForm
          title="Turn off two-factor sign-in"
          description="Signing in will take only your password. We email you a notice."
          button="Turn off two-factor sign-in"
          busyText="Turning off…"
          variant="danger"
          action={turnOffTwoFactorAction}
          onDone={() => router.refresh()}
        />
      ) : (
        <Alert tone="info">This site requires two-factor sign-in for staff accounts, so it cannot be turned off.</Alert>
      )}
    </div>
  );
}

function PasswordForm({
  title,
  description,
  button,
  busyText,
  variant,
  action,
  onDone,
}: {
  title: string;
  description: string;
  button: string;
  busyText: string;
  variant: "secondary" | "danger";
  action: (input: PasswordOnlyInput) => Promise<ActionResult<unknown>>;
  onDone: (data: unknown) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<PasswordOnlyInput>({ resolver: zodResolver(passwordOnlySchema), defaultValues: { password: "" } });
  return (
    <form
      aria-label={title}
      onSubmit={handleSubmit(async (values) => {
        setFormError(null);
        const result = await action(values);
        if (result.ok) onDone(result.data);
        else setFormError(showActionError(result, setError, ["password"]));
      })}
      noValidate
      className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4"
    >
      <h3 className="font-semibold">{title}</h3>
      <p className="text-sm text-slate-600">{description}</p>
      {formError ? <Alert tone="error">{formError}</Alert> : null}
      <TextField label="Your password" type="password" autoComplete="current-password" error={errors.password?.message} {...register("password")} />
      <div>
        <Button type="submit" variant={variant} disabled={isSubmitting}>
          {isSubmitting ? busyText : button}
        </Button>
      </div>
    </form>
  );
}
