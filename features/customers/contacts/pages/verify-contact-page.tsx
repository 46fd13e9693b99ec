import "server-only";
import type { Metadata } from "next";
import { ConfirmContact } from "@/features/customers/contacts/components/confirm-contact";
import { peekContactLink } from "@/features/customers/contacts/contacts";
import { Alert } from "@/ui/alert";
import { searchParamText } from "@/platform/text/schemas";

export const metadata: Metadata = { title: "Confirm your contact details" };

/**
 * Public page: the customer who received an agent's verification request (email or SMS) has no
 * account here, necessarily; the link's token is the credential. Opening it (GET) only reads
 * what the link is for, with the address masked; the page's form consumes it (POST).
 */
export default async function VerifyContactPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? searchParamText(params.token, 128) : "";
  const peek = token ? await peekContactLink(token) : null;
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">Confirm your contact details</h1>
        {peek?.ok ? (
          <ConfirmContact token={token} maskedTarget={peek.maskedTarget} />
        ) : (
          <div className="flex flex-col gap-3">
            <Alert tone="error">{peek?.message ?? "This page needs the link from the message we sent you."}</Alert>
            <p className="text-sm text-slate-700">If you still want to confirm, ask our support team to send a new request.</p>
          </div>
        )}
      </div>
    </div>
  );
}
