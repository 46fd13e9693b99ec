import "server-only";
import Link from "next/link";
import type { ReactNode } from "react";
import { IdentityBadge } from "@/features/identity/components/identity-badge";
import { CHANNEL_LABEL } from "@/features/tickets/queue/components/queue-filters";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { SatisfactionBadge } from "@/features/satisfaction/components/satisfaction-badge";
import { Badge } from "@/ui/badge";
import type { AgreementTier } from "@/platform/db/generated/prisma/enums";
import type { QueueRow } from "@/features/tickets/queue/queue";
import { ticketReference } from "@/features/tickets/labels";
import { SlaCell } from "@/features/sla/components/sla-badge";
import { slaStateOf } from "@/features/sla/state";
import { LocalTime } from "@/ui/local-time";

const TIER_LABEL: Record<AgreementTier, string> = { basic: "Basic", standard: "Standard", premium: "Premium" };
// The column says "Entitlement": a valid agreement shows its tier.

/** "3 h ago" in the viewer's zone, the absolute time on hover (ui/local-time.tsx). */
function When({ date, now }: { date: Date; now: Date }) {
  return <LocalTime value={date} ageAt={now} />;
}

/** On narrow screens each row is a card and every value carries its column's name. */
function Cell({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <td role="cell" className={`queue-cell ${className}`}>
      <span className="queue-label">{label}</span>
      {children}
    </td>
  );
}

const COLUMNS = ["Ticket", "Requester", "Identity", "Entitlement", "Status", "Priority", "Assignee", "Last activity"];

/**
 * The queue's rows. A table from 768 px up; below that the same markup lays out as a list of
 * cards (explicit ARIA table roles keep the semantics screen readers rely on when CSS changes the
 * display). The ticket link in each row is what keyboard navigation (QueueKeyboard) moves between.
 */
export function QueueTable({
  rows,
  lookAlikes,
  caption,
  now,
  describedBy,
  sla,
}: {
  rows: QueueRow[];
  /** Requester address → the known domain it imitates (features/identity/look-alike-senders.ts). */
  lookAlikes?: ReadonlyMap<string, string>;
  caption: string;
  now: Date;
  describedBy?: string;
  /** The app clock and each policy's warning (seconds, by scope), for the time left under the status. */
  sla?: { now: Date; warnBeforeSeconds: ReadonlyMap<string, number> };
}) {
  return (
    <div className="relative rounded-xl border border-slate-200 bg-white shadow-sm md:overflow-x-auto">
      <table role="table" aria-describedby={describedBy} className="block w-full text-left text-sm md:table">
        <caption className="sr-only">{caption}</caption>
        <thead role="rowgroup" className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 md:table-header-group">
          <tr role="row">
            {COLUMNS.map((column) => (
              <th key={column} role="columnheader" scope="col" className="px-3 py-3 font-semibold">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="block divide-y divide-slate-100 md:table-row-group">
          {rows.map((row) => (
            <tr
              key={row.id}
              role="row"
              // .queue-row / .queue-cell / .queue-label / .queue-note: app/globals.css (short names for repeated markup).
              className="queue-row"
            >
              <td role="cell" className="queue-cell col-span-2 md:min-w-[13rem]">
                <span className="queue-note font-mono">{ticketReference(row.number)}</span>
                <span className="queue-note"> · {CHANNEL_LABEL[row.channel]}</span>
                <div>
                  <Link
                    href={`/console/tickets/${row.id}`}
                    data-queue-row=""
                    className="font-medium text-slate-900 underline-offset-2 hover:underline focus-visible:underline"
                  >
                    {row.subject}
                  </Link>
                </div>
                <div className="queue-note">
                  Opened <When date={row.createdAt} now={now} />
                </div>
              </td>
              <Cell label="Requester" className="col-span-2 break-words md:max-w-[13rem]">
                <span>{row.customer?.organisationName ?? row.customer?.name ?? row.requesterName ?? "Unknown requester"}</span>
                {row.customer?.organisationName && row.requesterName ? <div className="text-xs text-slate-600">{row.requesterName}</div> : null}
                <div className="queue-note truncate" title={row.requesterAddress ?? undefined}>
                  {row.requesterAddress ?? "No address"}
                </div>
              </Cell>
              <Cell label="Identity" className="md:whitespace-nowrap">
                <IdentityBadge badge={row.identity.badge} facts={row.identity.facts} />
                {row.requesterAddress && lookAlikes?.get(row.requesterAddress) ? (
                  <span className="mt-1 block">
                    <Badge tone="bad">
                      <span aria-hidden="true" className="mr-1">
                        ⚠
                      </span>
                      Looks like {lookAlikes.get(row.requesterAddress)}
                    </Badge>
                  </span>
                ) : null}
              </Cell>
              <Cell label="Entitlement" className="md:whitespace-nowrap">
                {row.entitlement ? (
                  <Badge tone="good">{TIER_LABEL[row.entitlement]}</Badge>
                ) : (
                  <Badge tone="neutral">{row.customer ? "None valid" : "No customer"}</Badge>
                )}
              </Cell>
              <Cell label="Status">
                <StatusBadge status={row.status} />
                {row.satisfaction ? (
                  <div className="mt-1">
                    <SatisfactionBadge rating={row.satisfaction} />
                  </div>
                ) : null}
                {sla && row.sla.slaScope ? (
                  <div className="mt-1">
                    <SlaCell state={slaStateOf(row.sla, sla.now, sla.warnBeforeSeconds.get(row.sla.slaScope) ?? 0)} />
                  </div>
                ) : null}
              </Cell>
              <Cell label="Priority" className="md:whitespace-nowrap">
                <PriorityBadge priority={row.priority} />
              </Cell>
              <Cell label="Assignee">{row.assignee?.name ?? <span className="text-slate-500">Unassigned</span>}</Cell>
              <Cell label="Last activity" className="whitespace-nowrap text-slate-600">
                <When date={row.lastActivityAt} now={now} />
              </Cell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
