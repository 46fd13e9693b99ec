import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import { serverEnv } from "@/platform/env";
import { AcceptInvitationForm } from "@/features/staff/components/accept-invitation-form";
import { Alert } from "@/ui/alert";
import { checkInvitationToken } from "@/features/staff/invitations";
import { ROLE_LABEL } from "@/features/staff/roles";

export const metadata: Metadata = { title: "Accept your invitation" };

// Public page: opened from the emailed invitation, whose token is the credential. Opening it
// changes nothing; only submitting the form (acceptInvitationAction) uses the link.
export default async function AcceptInvitationPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const token = searchParamText((await searchParams).token, 512);
  const check = await checkInvitationToken(token);
  return (
    <div className="mx-auto max-w-md">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">Accept your invitation</h1>
        {check.ok ? (
          <>
            <p className="mb-6 text-sm text-slate-600">
              Welcome, {check.invitation.name}. You join as {ROLE_LABEL[check.invitation.role].toLowerCase()} with the address{" "}
              <span className="break-all font-medium text-slate-800">{check.invitation.email}</span>. Choose your password.
            </p>
            <AcceptInvitationForm token={token} twoFactorRequired={serverEnv().REQUIRE_STAFF_TWO_FACTOR} />
          </>
        ) : (
          <div className="mt-4">
            <Alert tone="error">{check.message}</Alert>
          </div>
        )}
      </div>
    </div>
  );
}
