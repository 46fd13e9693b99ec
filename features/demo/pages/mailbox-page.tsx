import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import Link from "next/link";
import { PageHeader } from "@/ui/page-header";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { requireDemoMode } from "@/platform/auth/guard";
import { listDevMailbox } from "@/platform/outbox/dev-mailbox";
import { LocalTime } from "@/ui/local-time";

export const metadata: Metadata = { title: "Development mailbox" };

export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireDemoMode();
  const to = searchParamText((await searchParams).to, 320);
  const messages = await listDevMailbox({ recipient: to || undefined, take: 100 });
  return (
    <>
      <PageHeader title="Development mailbox" description="Email and SMS the app sent while no provider is configured. Only available in demo mode." />
      <div className="mb-4">
        <Alert tone="warning">Demo mode: messages are kept here instead of being delivered. Configure RESEND_API_KEY and Twilio for real delivery.</Alert>
      </div>
      <form className="mb-4 flex flex-wrap items-end gap-2" method="get">
        <div className="flex flex-col gap-1">
          <label htmlFor="to" className="text-sm font-medium">
            Recipient
          </label>
          <input
            id="to"
            name="to"
            defaultValue={to ?? ""}
            placeholder="name@example.com or +44…"
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
        </div>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-50">
          Filter messages
        </button>
      </form>
      {messages.length === 0 ? (
        <p className="text-sm text-slate-600">No messages{to ? ` for ${to}` : ""}.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
          {messages.map((message) => (
            <li key={message.id} className="px-4 py-3">
              <Link href={`/dev/mailbox/${message.id}`} className="flex flex-wrap items-center justify-between gap-2 hover:underline">
                <span>
                  <Badge tone={message.channel === "sms" ? "info" : "neutral"}>{message.channel === "sms" ? "SMS" : "Email"}</Badge>{" "}
                  <span className="font-medium">{message.subject ?? message.textBody.slice(0, 60)}</span>
                </span>
                <span className="text-sm text-slate-600">
                  to {message.recipient} · <LocalTime value={message.createdAt} style="seconds" />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
