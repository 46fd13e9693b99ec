"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { requestPasswordResetAction } from "@/features/accounts/password/forgot-password-actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { type ForgotPasswordInput, forgotPasswordSchema } from "@/features/accounts/password/schemas";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const [answer, setAnswer] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<ForgotPasswordInput>({ resolver: zodResolver(forgotPasswordSchema), defaultValues: { email: "" } });

  async function onSubmit(values: ForgotPasswordInput) {
    setAnswer(null);
    const result = await requestPasswordResetAction(values);
    setAnswer(result.ok ? { tone: "success", text: result.data.message } : { tone: "error", text: result.fieldErrors?.email?.[0] ?? result.error });
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-4">
      {answer ? <Alert tone={answer.tone}>{answer.text}</Alert> : null}
      <TextField label="Email address" type="email" autoComplete="username" spellCheck={false} error={errors.email?.message} {...register("email")} />
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Sending…" : "Email me a reset link"}
      </Button>
    </form>
  );
}
