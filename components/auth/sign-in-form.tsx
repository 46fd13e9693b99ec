"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { type SignInInput, signInSchema } from "@/lib/auth/schemas";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput>({ resolver: zodResolver(signInSchema) });

  async function onSubmit(values: SignInInput) {
    setFormError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setFormError(
        result?.error === "rate_limited"
          ? "Too many sign-in attempts. Wait a few minutes, then try again."
          : "That email and password do not match an account. Check them and try again.",
      );
      return;
    }
    // The server decides where the account may go: /after-sign-in checks the target against the role.
    router.replace(`/after-sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    router.refresh();
  }

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate className="flex flex-col gap-4" aria-describedby={formError ? "sign-in-error" : undefined}>
      {formError ? (
        <div id="sign-in-error">
          <Alert tone="error">{formError}</Alert>
        </div>
      ) : null}
      <TextField label="Email address" type="email" autoComplete="username" error={errors.email?.message} {...register("email")} />
      <TextField label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...register("password")} />
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
