import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/ui/page-header";
import { requireDemoMode } from "@/platform/auth/guard";
import { getDevMailboxMessage } from "@/platform/outbox/dev-mailbox";
import { isUuid } from "@/platform/ids";

export const metadata: Metadata = { title: "Message · Development mailbox" };

export default async function DevMailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  await requireDemoMode();
  const { id } = await params;
  const message = isUuid(id) ? await getDevMailboxMessage(id) : null;
  if (!message) notFound();
  return (
    <>
      <PageHeader
        title={message.subject ?? (message.channel === "sms" ? "SMS" : "(no subject)")}
        description={`To ${message.recipient} · from ${message.sender}`}
      />
      <p className="mb-4 text-sm">
        <Link href="/dev/mailbox" className="font-medium text-brand-700 hover:underline">
          ← Back to the mailbox
        </Link>
      </p>
      {message.htmlBody ? (
        // Sandboxed: no scripts, no same-origin access; a clicked link may still open (like a real mail client).
        <iframe
          title="HTML part of the message"
          sandbox="allow-popups allow-top-navigation-by-user-activation"
          srcDoc={message.htmlBody}
          className="mb-6 h-[28rem] w-full rounded-xl border border-slate-200 bg-white"
        />
      ) : null}
      <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-600">Plain text</h2>
      <pre className="whitespace-pre-wrap rounded-xl border border-slate-200 bg-white p-4 text-sm">{message.textBody}</pre>
    </>
  );
}
