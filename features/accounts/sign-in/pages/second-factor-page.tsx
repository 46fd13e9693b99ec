import "server-only";
import type { Metadata } from "next";
import { SecondFactorForm } from "@/features/accounts/sign-in/components/second-factor-form";
import { requirePendingSecondFactor } from "@/platform/auth/guard";
import { safeReturnPath } from "@/platform/auth/policy";
import { signInCodeDestination } from "@/features/accounts/two-factor/two-factor";

export const metadata: Metadata = { title: "Confirm it's you" };

// Only for a session that passed the password and still owes its second factor: the guard sends
// a complete session on to where it was going, and anyone else back to sign-in.
export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const callbackUrl = safeReturnPath((await searchParams).callbackUrl) ?? "/";
  const pending = await requirePendingSecondFactor(callbackUrl);
  // No two-factor sign-in: the pending step is the new-browser code (features/accounts/devices/).
  const method = pending.twoFactorMethod ?? "device";
  const destination = await signInCodeDestination(pending.userId);
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Confirm it&apos;s you</h1>
        <p className="mb-6 text-sm text-slate-600">
          {method === "device"
            ? "Your password was right. A new browser needs one more step before the account opens."
            : "Your password was right. This account also asks for a second step before it opens."}
        </p>
        <SecondFactorForm method={method} destination={destination} callbackUrl={callbackUrl} />
      </div>
    </div>
  );
}
