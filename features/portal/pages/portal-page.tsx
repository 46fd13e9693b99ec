import "server-only";
import type { Metadata } from "next";
import { AccountStatus, DownloadsCard, VerifyEmailBanner } from "@/features/portal/components/account-status";
import { loadPortalAccess } from "@/features/portal/access";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { Alert } from "@/ui/alert";
import { ButtonLink } from "@/ui/button";
import Link from "next/link";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { listTicketsOfCustomerAccount } from "@/features/tickets/queries";
import { ticketReference } from "@/features/tickets/labels";
import { MyDataCard } from "@/features/privacy/components/my-data-card";

export const metadata: Metadata = { title: "My support" };

export default async function PortalPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("portal");
  const [access, tickets, params] = await Promise.all([loadPortalAccess(actor.userId), listTicketsOfCustomerAccount(actor), searchParams]);

  return (
    <>
      <PageHeader
        title="My support"
        description={`Welcome, ${actor.name}.`}
        actions={access.ticketsAllowed ? <ButtonLink href="/portal/tickets/new">Open a ticket</ButtonLink> : null}
      />
      <div className="mb-6 flex flex-col gap-3">
        {params.verified === "1" && access.emailVerified ? <Alert tone="success">Your email address is verified.</Alert> : null}
        {access.emailVerified ? null : <VerifyEmailBanner />}
      </div>
      <div className="mb-8 grid gap-6 lg:grid-cols-[2fr_1fr]">
        <AccountStatus access={access} />
        <DownloadsCard access={access} />
      </div>
      <section aria-labelledby="my-tickets">
        <h2 id="my-tickets" className="mb-3 text-lg font-semibold">
          My tickets
        </h2>
        {tickets.length === 0 ? (
          <p className="text-sm text-slate-600">
            You have no tickets yet.
            {access.support === "not_entitled" ? ' Tickets you open are marked "not entitled" until a support agreement is in place.' : ""}
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {tickets.map((ticket) => (
              <li key={ticket.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                <div>
                  <span className="mr-2 font-mono text-xs text-slate-500">{ticketReference(ticket.number)}</span>
                  <Link href={`/portal/tickets/${ticket.id}`} className="font-medium text-brand-700 hover:underline">
                    {ticket.subject}
                  </Link>
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
      <MyDataCard />
    </>
  );
}
