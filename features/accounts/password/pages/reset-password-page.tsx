import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import Link from "next/link";
import { ResetPasswordForm } from "@/features/accounts/password/components/reset-password-form";
import { Alert } from "@/ui/alert";
import { checkPasswordResetToken } from "@/features/accounts/password/password-reset";

export const metadata: Metadata = { title: "Choose a new password" };

// Public page: opened from the emailed reset link, whose token is the credential. Opening it
// changes nothing; only submitting the form (resetPasswordAction) uses the link.
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const token = searchParamText((await searchParams).token, 512);
  const check = await checkPasswordResetToken(token);
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Choose a new password</h1>
        {check.ok ? (
          <>
            <p className="mb-6 text-sm text-slate-600">Setting it signs you out on every device.</p>
            <ResetPasswordForm token={token} />
          </>
        ) : (
          <div className="mt-4 flex flex-col gap-4">
            <Alert tone="error">{check.message}</Alert>
            <Link href="/forgot-password" className="font-semibold text-brand-700 underline-offset-2 hover:underline">
              Ask for a new link
            </Link>
          </div>
        )}
      </div>
    </div>
  );
}
