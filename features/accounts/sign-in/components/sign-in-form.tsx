"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { type SignInInput, signInSchema } from "@/features/accounts/sign-in/schemas";

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
          : result?.error === "account_locked"
            ? "This account is locked after too many failed sign-ins. Reset your password with the emailed link (Forgot password) to unlock it."
            : result?.error === "account_frozen"
              ? "This account is frozen while our staff review a change reported as not made by its owner. Contact support to have it unfrozen."
              : "That email and password do not match an account. Check them and try again.",
      );
      return;
    }
    // With two-factor sign-in on, the second step comes next; otherwise that page passes straight on
    // to /after-sign-in, where the server checks the target against the role.
    router.replace(`/signin/second-factor?callbackUrl=${encodeURIComponent(callbackUrl)}`);
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
      <p className="-mt-2 text-sm">
        <Link href="/forgot-password" className="font-medium text-brand-700 underline-offset-2 hover:underline">
          Forgot your password?
        </Link>
      </p>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
