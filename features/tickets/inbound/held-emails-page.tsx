import "server-only";
import type { Metadata } from "next";
import { Badge, type BadgeTone } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import type { AuthVerdict } from "@/features/tickets/inbound/authentication-results";
import { listHeldEmails } from "@/features/tickets/inbound/held-email";
import { HeldEmailDecision } from "./components/held-email-decision";
import { LocalTime } from "@/ui/local-time";

export const metadata: Metadata = { title: "Held email" };

const VERDICT_TONE: Record<AuthVerdict, BadgeTone> = {
  pass: "good",
  fail: "bad",
  softfail: "warn",
  neutral: "neutral",
  none: "neutral",
  temperror: "warn",
  permerror: "bad",
  policy: "warn",
  unknown: "neutral",
};

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export default async function HeldEmailPage() {
  await requirePageActor("console");
  const held = await listHeldEmails();
  return (
    <>
      <PageHeader
        title="Held email"
        description="Emails that claim to come from a customer's address but failed sender authentication. Nothing of them is in a ticket until you accept them."
      />
      {held.length === 0 ? (
        <p className="text-sm text-slate-600">No emails are waiting for a decision.</p>
      ) : (
        <ul aria-label="Held emails" className="flex flex-col gap-4">
          {held.map((email) => {
            const headingId = `held-${email.id}`;
            return (
              <li key={email.id}>
                <article aria-labelledby={headingId} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                  <h2 id={headingId} className="text-base font-semibold text-slate-900">
                    {email.subject || "(no subject)"}
                  </h2>
                  <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                    <dt className="text-slate-600">From</dt>
                    <dd>
                      {email.fromName ? `${email.fromName} ` : ""}&lt;{email.fromAddress}&gt;
                    </dd>
                    <dt className="text-slate-600">Customer record</dt>
                    <dd>{email.customer ? `${email.customer.name} (${email.customer.accountNumber})` : "A customer's portal account"}</dd>
                    <dt className="text-slate-600">Received</dt>
                    <dd>
                      <LocalTime value={email.receivedAt} />
                    </dd>
                    <dt className="text-slate-600">Sender checks</dt>
                    <dd className="flex flex-wrap gap-2">
                      <Badge tone={VERDICT_TONE[email.auth.spf]}>SPF {email.auth.spf}</Badge>
                      <Badge tone={VERDICT_TONE[email.auth.dkim]}>DKIM {email.auth.dkim}</Badge>
                      <Badge tone={VERDICT_TONE[email.auth.dmarc]}>DMARC {email.auth.dmarc}</Badge>
                    </dd>
                    {email.attachments.length > 0 ? (
                      <>
                        <dt className="text-slate-600">Attachments</dt>
                        <dd>{email.attachments.map((attachment) => `${attachment.filename} (${sizeText(attachment.sizeBytes)})`).join(", ")}</dd>
                      </>
                    ) : null}
                  </dl>
                  {email.heldReason ? (
                    <p className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">{email.heldReason}</p>
                  ) : null}
                  <details className="mt-3">
                    <summary className="cursor-pointer text-sm font-medium text-slate-700">Show the text</summary>
                    {/* Stored as plain text and rendered as text: never HTML. */}
                    <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 font-sans text-sm text-slate-800">
                      {email.textPreview || "(This email had no text.)"}
                    </pre>
                  </details>
                  <HeldEmailDecision id={email.id} subject={email.subject || "(no subject)"} />
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
