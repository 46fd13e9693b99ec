import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import { DisputeForm } from "@/features/accounts/freeze/components/dispute-form";
import { Alert } from "@/ui/alert";
import { previewDispute } from "@/features/accounts/contact-change/contact-change";
import { LocalTime } from "@/ui/local-time";

export const metadata: Metadata = { title: "This wasn't me" };

// Public page: opened from the "this wasn't me" link in a change notice, whose token is the
// credential (features/accounts/contact-change/contact-change.ts). Opening it changes nothing; only the button does.
export default async function DisputePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const token = searchParamText((await searchParams).token, 200);
  const preview = await previewDispute(token);
  const device = preview.ok && preview.kind === "device";
  const what = preview.ok && preview.kind === "phone" ? "mobile number" : "email address";
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">{device ? "Didn't sign in from a new browser?" : `Didn't change your ${what}?`}</h1>
        {!preview.ok ? (
          <Alert tone="error">{preview.message}</Alert>
        ) : preview.alreadyDisputed ? (
          <Alert tone="info" title="Already reported">
            This change was already reported. Your account is frozen until our staff have reviewed it; they will contact you.
          </Alert>
        ) : device ? (
          <div className="flex flex-col gap-4 text-sm text-slate-700">
            <p>
              On <LocalTime value={preview.changedAt} /> your account was signed in to from <strong>{preview.maskedTo}</strong> at the address{" "}
              <strong className="break-all">{preview.maskedFrom || "unknown"}</strong>, a browser it had not used before.
            </p>
            <p>If this wasn&apos;t you, someone knows your password. Freeze your account now. This:</p>
            <ul className="list-disc pl-5">
              <li>stops everyone signing in, including whoever signed in, and signs out every device;</li>
              <li>forgets that browser, so it must pass a code again;</li>
              <li>alerts our support staff, who will check the account with you and unfreeze it.</li>
            </ul>
            <DisputeForm token={token} what="sign-in" />
          </div>
        ) : (
          <div className="flex flex-col gap-4 text-sm text-slate-700">
            <p>
              On <LocalTime value={preview.changedAt} /> the {what} of your account was changed from <strong>{preview.maskedFrom}</strong> to{" "}
              <strong>{preview.maskedTo}</strong>.
            </p>
            <p>If you did not make this change, freeze your account now. This:</p>
            <ul className="list-disc pl-5">
              <li>stops everyone signing in, including whoever made the change, and signs out every device;</li>
              <li>puts your previous {what} back;</li>
              <li>alerts our support staff, who will check the account with you and unfreeze it.</li>
            </ul>
            <DisputeForm token={token} what={what} />
          </div>
        )}
      </div>
    </div>
  );
}
