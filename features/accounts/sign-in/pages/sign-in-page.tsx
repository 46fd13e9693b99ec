import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { SignInForm } from "@/features/accounts/sign-in/components/sign-in-form";
import { Alert } from "@/ui/alert";
import { safeReturnPath } from "@/platform/auth/policy";

export const metadata: Metadata = { title: "Sign in" };

// Public page: anyone may see the sign-in form.
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeReturnPath(params.callbackUrl) ?? "/";
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Sign in to Veridesk</h1>
        <p className="mb-6 text-sm text-slate-600">Customers and support staff sign in here.</p>
        {params.verified === "1" ? (
          <div className="mb-4">
            <Alert tone="success" title="Your email address is verified">
              Sign in to continue.
            </Alert>
          </div>
        ) : null}
        {params.signedOut ? (
          <div className="mb-4">
            <Alert tone="success">You have signed out.</Alert>
          </div>
        ) : null}
        {params.callbackUrl && callbackUrl !== "/" ? (
          <div className="mb-4">
            <Alert tone="info">Sign in to continue to the page you asked for.</Alert>
          </div>
        ) : null}
        <SignInForm callbackUrl={callbackUrl} />
        <p className="mt-6 text-sm text-slate-600">
          New customer?{" "}
          <Link href="/register" className="font-semibold text-brand-700 underline-offset-2 hover:underline">
            Create an account
          </Link>
        </p>
      </div>
    </div>
  );
}
