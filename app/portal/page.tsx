import type { Metadata } from "next";
import { PriorityBadge, StatusBadge } from "@/components/tickets/ticket-badges";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guard";
import { customerEntitlement } from "@/lib/customers/agreements";
import { db } from "@/lib/db/client";
import { listTicketsOfCustomerAccount } from "@/lib/tickets/queries";
import { ticketReference } from "@/lib/tickets/labels";

export const metadata: Metadata = { title: "My support" };

const ENTITLEMENT_TEXT = {
  valid: { tone: "good", text: "Support agreement valid" },
  expired: { tone: "warn", text: "Support agreement expired" },
  cancelled: { tone: "warn", text: "Support agreement cancelled" },
  none: { tone: "neutral", text: "No support agreement" },
} as const;

export default async function PortalPage() {
  const actor = await requirePageActor("portal");
  const [account, tickets] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { emailVerifiedAt: true, phoneVerifiedAt: true, matchStatus: true, customer: { select: { id: true, name: true, accountNumber: true } } } }),
    listTicketsOfCustomerAccount(actor),
  ]);
  const entitlement = account.customer ? await customerEntitlement(account.customer.id) : null;
  const entitlementText = entitlement ? ENTITLEMENT_TEXT[entitlement.status] : null;

  return (
    <>
      <PageHeader title="My support" description={`Welcome, ${actor.name}.`} />
      <section aria-labelledby="account-status" className="mb-8 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="account-status" className="mb-3 text-lg font-semibold">Account status</h2>
        <ul className="flex flex-wrap gap-2">
          <li><Badge tone={account.emailVerifiedAt ? "good" : "warn"}>{account.emailVerifiedAt ? "Email verified" : "Email not verified"}</Badge></li>
          <li><Badge tone={account.phoneVerifiedAt ? "good" : "neutral"}>{account.phoneVerifiedAt ? "Mobile verified" : "No verified mobile"}</Badge></li>
          <li>
            <Badge tone={account.customer ? "good" : "warn"}>
              {account.customer ? `Customer ${account.customer.name} (${account.customer.accountNumber})` : "Awaiting match to a customer record"}
            </Badge>
          </li>
          {entitlementText ? (
            <li>
              <Badge tone={entitlementText.tone}>
                {entitlementText.text}
                {entitlement?.tier ? ` · ${entitlement.tier}` : ""}
                {entitlement?.endsOn ? ` · until ${entitlement.endsOn.toISOString().slice(0, 10)}` : ""}
              </Badge>
            </li>
          ) : null}
        </ul>
      </section>
      <section aria-labelledby="my-tickets">
        <h2 id="my-tickets" className="mb-3 text-lg font-semibold">My tickets</h2>
        {tickets.length === 0 ? (
          <p className="text-sm text-slate-600">You have no tickets yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {tickets.map((ticket) => (
              <li key={ticket.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <div>
                  <span className="font-mono text-xs text-slate-500">{ticketReference(ticket.number)}</span>
                  <div className="font-medium">{ticket.subject}</div>
                </div>
                <div className="flex gap-2">
                  <StatusBadge status={ticket.status} />
                  <PriorityBadge priority={ticket.priority} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
