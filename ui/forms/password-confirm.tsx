"use client";

import type { z } from "zod";
import type { ActionResult } from "@/platform/auth/guard";
import type { ButtonVariant } from "@/ui/button";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

/**
 * A sensitive action behind the account's password (new recovery codes, turning two-factor sign-in
 * off…): a titled box with “Your password” and the action's button. A wrong password is shown on
 * the field; `onDone` gets the action's answer.
 */
export function PasswordConfirm<TData>({
  title,
  description,
  button,
  busy,
  variant,
  schema,
  action,
  onDone,
}: {
  title: string;
  description: string;
  button: string;
  busy: string;
  variant: ButtonVariant;
  schema: z.ZodType<{ password: string }, { password: string }>;
  action: (input: { password: string }) => Promise<ActionResult<TData>>;
  onDone: (data: TData) => void;
}) {
  const form = useActionForm(schema, action, { defaultValues: { password: "" }, fields: ["password"], onSuccess: (data) => onDone(data) });
  return (
    <form aria-label={title} onSubmit={form.submit} noValidate className="flex flex-col gap-3 rounded-lg border border-slate-200 p-4">
      <h3 className="font-semibold">{title}</h3>
      <p className="text-sm text-slate-600">{description}</p>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField label="Your password" type="password" autoComplete="current-password" error={form.errors.password?.message} {...form.register("password")} />
      <div>
        <SubmitButton variant={variant} pending={form.pending} busy={busy}>
          {button}
        </SubmitButton>
      </div>
    </form>
  );
}
