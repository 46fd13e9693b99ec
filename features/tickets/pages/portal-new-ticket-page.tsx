import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { NewTicketForm } from "@/features/tickets/components/new-ticket-form";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { customerEntitlement } from "@/features/customers/agreements";
import { loadOwnAccountOrThrow } from "@/features/accounts/own-account";
import { serverEnv } from "@/platform/env";
import { attachmentLimits } from "@/features/tickets/uploads/limits";
import { getOwnTicket } from "@/features/tickets/desk";
import { ticketReference } from "@/features/tickets/labels";
import { isUuid } from "@/platform/ids";

export const metadata: Metadata = { title: "New ticket" };

export default async function NewTicketPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("portal");
  // ?followUp=<id> of the customer's own ticket (anything else is ignored: an ordinary new ticket).
  const { followUp: followUpId } = await searchParams;
  const earlier = typeof followUpId === "string" && isUuid(followUpId) ? await getOwnTicket(actor, followUpId) : null;
  const followUp = earlier ? { ticketId: earlier.id, reference: ticketReference(earlier.number), subject: earlier.subject } : undefined;
  const account = await loadOwnAccountOrThrow(actor);
  const entitlement = account.customerId ? await customerEntitlement(account.customerId) : null;
  return (
    <div className="mx-auto max-w-2xl">
      <p className="mb-3 text-sm">
        <Link href="/portal" className="font-medium text-brand-700 hover:underline">
          ← My support
        </Link>
      </p>
      <PageHeader title="Open a ticket" description="Tell us what you need; we answer by email and here in the portal." />
      {!account.emailVerifiedAt ? (
        <Alert tone="warning" title="Verify your email address first">
          Tickets can be opened once your email address is verified.{" "}
          <Link href="/verify/email" className="font-semibold underline">
            Verify it now
          </Link>
          .
        </Alert>
      ) : (
        <>
          {entitlement?.status !== "valid" ? (
            <div className="mb-4">
              <Alert tone="warning" title="Not entitled to support">
                We could not find a valid support agreement for your account, so this ticket will be marked &quot;not entitled&quot; and may be answered later.
              </Alert>
            </div>
          ) : null}
          <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
            <NewTicketForm attachmentLimits={attachmentLimits(serverEnv())} followUp={followUp} />
          </div>
        </>
      )}
    </div>
  );
}
