"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { IdentityBadgeMarkup, type IdentityBadgeView } from "@/features/identity/components/identity-badge-markup";
import { SatisfactionBadge } from "@/features/satisfaction/components/satisfaction-badge";
import { SlaCellMarkup, type SlaCellView } from "@/features/sla/components/sla-cell-markup";
import { PriorityBadge, StatusBadge } from "@/features/tickets/components/ticket-badges";
import { CHANNEL_LABEL } from "@/features/tickets/labels";
import { TIER_LABEL } from "@/features/customers/labels";
import type { AgreementTier, SatisfactionRating, TicketChannel, TicketPriority, TicketStatus } from "@/platform/db/generated/prisma/enums";
import { Badge } from "@/ui/badge";
import { type TimeText, TimeTextMarkup } from "@/ui/time-text";

/**
 * One queue row as plain values, every text already worked out on the server (queue-table.tsx).
 * The rows are a client component for the size of the page, not for interactivity: a server
 * component's markup travels twice (as HTML and again in the RSC payload that hydrates it), a
 * client component's only as these values (issue 17: ~2.6 KB of payload per row before, ~0.6 after).
 */
export type QueueRowView = {
  id: string;
  reference: string;
  channel: TicketChannel;
  subject: string;
  opened: TimeText;
  /** Organisation, else customer, else the name the requester gave. */
  requester: string;
  /** The person, under their organisation. */
  person: string | null;
  address: string | null;
  identity: IdentityBadgeView;
  /** The known domain the requester's address imitates. */
  lookAlike: string | null;
  entitlement: AgreementTier | null;
  hasCustomer: boolean;
  status: TicketStatus;
  satisfaction: SatisfactionRating | null;
  sla: SlaCellView | null;
  priority: TicketPriority;
  assignee: string | null;
  lastActivity: TimeText;
};

/**
 * On narrow screens each row is a card and every value shows its column's name (data-label, drawn
 * by app/globals.css). Each column's layout is in app/globals.css too, keyed by that label
 * (.queue-body): class lists repeated on 200 cells per page were a tenth of its bytes.
 */
function Cell({ label, children }: { label: string; children: ReactNode }) {
  return (
    <td role="cell" data-label={label}>
      {children}
    </td>
  );
}

export function QueueRows({ rows }: { rows: QueueRowView[] }) {
  return rows.map((row) => (
    // .queue-row / .queue-note / .queue-link: app/globals.css (short names for repeated markup).
    <tr key={row.id} role="row" className="queue-row">
      <td role="cell">
        <span className="queue-note font-mono">{row.reference}</span>
        <span className="queue-note">{` · ${CHANNEL_LABEL[row.channel]}`}</span>
        <div>
          <Link href={`/console/tickets/${row.id}`} data-queue-row="" className="queue-link">
            {row.subject}
          </Link>
        </div>
        <div className="queue-note">
          Opened <TimeTextMarkup time={row.opened} />
        </div>
      </td>
      <Cell label="Requester">
        <span>{row.requester}</span>
        {row.person ? <div className="text-xs text-slate-600">{row.person}</div> : null}
        <div className="queue-note truncate" title={row.address ?? undefined}>
          {row.address ?? "No address"}
        </div>
      </Cell>
      <Cell label="Identity">
        <IdentityBadgeMarkup view={row.identity} />
        {row.lookAlike ? (
          <span className="mt-1 block">
            <Badge tone="bad">
              <span aria-hidden="true" className="mr-1">
                ⚠
              </span>
              Looks like {row.lookAlike}
            </Badge>
          </span>
        ) : null}
      </Cell>
      <Cell label="Entitlement">
        {row.entitlement ? (
          <Badge tone="good">{TIER_LABEL[row.entitlement]}</Badge>
        ) : (
          <Badge tone="neutral">{row.hasCustomer ? "None valid" : "No customer"}</Badge>
        )}
      </Cell>
      <Cell label="Status">
        <StatusBadge status={row.status} />
        {row.satisfaction ? (
          <div className="mt-1">
            <SatisfactionBadge rating={row.satisfaction} />
          </div>
        ) : null}
        {row.sla ? (
          <div className="mt-1">
            <SlaCellMarkup view={row.sla} />
          </div>
        ) : null}
      </Cell>
      <Cell label="Priority">
        <PriorityBadge priority={row.priority} />
      </Cell>
      <Cell label="Assignee">{row.assignee ?? <span className="text-slate-500">Unassigned</span>}</Cell>
      <Cell label="Last activity">
        <TimeTextMarkup time={row.lastActivity} />
      </Cell>
    </tr>
  ));
}
