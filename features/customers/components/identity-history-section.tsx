import "server-only";
import Link from "next/link";
import { customerIdentityHistory } from "@/features/customers/customer-profile";
import { CHECK_METHOD_WORDS } from "@/features/identity/ticket-identity";
import { ticketReference } from "@/features/tickets/labels";
import type { IdentityCheckOutcome } from "@/platform/db/generated/prisma/enums";
import { Badge, type BadgeTone } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { Panel } from "@/ui/panel";

const OUTCOME: Record<IdentityCheckOutcome, { label: string; tone: BadgeTone }> = {
  passed: { label: "Passed", tone: "good" },
  partial: { label: "Partial", tone: "warn" },
  failed: { label: "Failed", tone: "bad" },
  overridden: { label: "Overridden", tone: "info" },
};
const CHANNEL = { web: "portal", email: "email", phone: "phone", chat: "chat" } as const;

/** The customer's identity checks, newest first: how, with what result, by whom, and overrides' reasons. */
export async function IdentityHistorySection({ customerId }: { customerId: string }) {
  const history = await customerIdentityHistory(customerId);
  return (
    <Panel id="identity-history-heading" title="Identity history" description={history.more ? `The latest ${history.rows.length} checks.` : undefined}>
      {history.rows.length === 0 ? (
        <p className="text-sm text-slate-600">No identity check yet.</p>
      ) : (
        <ul aria-label="Identity checks" className="flex flex-col divide-y divide-slate-100">
          {history.rows.map((check) => (
            <li key={check.id} className="flex flex-col gap-1 py-2 text-sm">
              <span className="flex flex-wrap items-center gap-2">
                <Badge tone={OUTCOME[check.outcome].tone}>{OUTCOME[check.outcome].label}</Badge>
                <span className="text-slate-900">{CHECK_METHOD_WORDS[check.method] ?? check.method}</span>
                {check.codeChannel ? <span className="text-slate-600">code by {check.codeChannel === "sms" ? "SMS" : "email"}</span> : null}
                {check.conversationChannel ? <span className="text-slate-600">· on a {CHANNEL[check.conversationChannel]} conversation</span> : null}
              </span>
              <span className="text-xs text-slate-600">
                <LocalTime value={check.at} />
                {check.by ? ` · by ${check.by}` : ""}
                {check.ticket ? (
                  <>
                    {" · "}
                    <Link href={`/console/tickets/${check.ticket.id}`} className="text-brand-700 hover:underline">
                      {ticketReference(check.ticket.number)}
                    </Link>
                  </>
                ) : null}
              </span>
              {check.reason ? <span className="text-slate-700 [overflow-wrap:anywhere]">Reason: {check.reason}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
