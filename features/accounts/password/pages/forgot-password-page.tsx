import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/features/accounts/password/components/forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

// Public page: for people who cannot sign in. It says the same whether or not an address has an account.
export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Forgot your password?</h1>
        <p className="mb-6 text-sm text-slate-600">Enter the email address you sign in with. We will email you a link to choose a new password.</p>
        <ForgotPasswordForm />
        <p className="mt-6 text-sm">
          <Link href="/signin" className="font-medium text-brand-700 underline-offset-2 hover:underline">
            Back to sign in
          </Link>
        </p>
      </div>
    </div>
  );
}
