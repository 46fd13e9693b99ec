import "server-only";
import { identityBadgeView } from "@/features/identity/components/identity-badge";
import { type QueueRowView, QueueRows } from "@/features/tickets/queue/components/queue-rows";
import type { QueueRow } from "@/features/tickets/queue/queue";
import { ticketReference } from "@/features/tickets/labels";
import { slaCellView } from "@/features/sla/components/sla-badge";
import { slaStateOf } from "@/features/sla/state";
import { timeText } from "@/ui/local-time";

/** A row's values for QueueRows, in the viewer's time zone. */
async function queueRowView(
  row: QueueRow,
  { lookAlikes, now, sla }: { lookAlikes?: ReadonlyMap<string, string>; now: Date; sla?: { now: Date; warnBeforeSeconds: ReadonlyMap<string, number> } },
): Promise<QueueRowView> {
  const [opened, lastActivity] = await Promise.all([timeText(row.createdAt, { ageAt: now }), timeText(row.lastActivityAt, { ageAt: now })]);
  return {
    id: row.id,
    reference: ticketReference(row.number),
    channel: row.channel,
    subject: row.subject,
    opened,
    requester: row.customer?.organisationName ?? row.customer?.name ?? row.requesterName ?? "Unknown requester",
    person: row.customer?.organisationName && row.requesterName ? row.requesterName : null,
    address: row.requesterAddress,
    identity: identityBadgeView(row.identity.badge, row.identity.facts),
    lookAlike: (row.requesterAddress && lookAlikes?.get(row.requesterAddress)) || null,
    entitlement: row.entitlement,
    hasCustomer: Boolean(row.customer),
    status: row.status,
    satisfaction: row.satisfaction,
    sla: sla && row.sla.slaScope ? slaCellView(slaStateOf(row.sla, sla.now, sla.warnBeforeSeconds.get(row.sla.slaScope) ?? 0)) : null,
    priority: row.priority,
    assignee: row.assignee?.name ?? null,
    lastActivity,
  };
}

const COLUMNS = ["Ticket", "Requester", "Identity", "Entitlement", "Status", "Priority", "Assignee", "Last activity"];

/**
 * The queue's rows. A table from 768 px up; below that the same markup lays out as a list of
 * cards (explicit ARIA table roles keep the semantics screen readers rely on when CSS changes the
 * display). The ticket link in each row is what keyboard navigation (QueueKeyboard) moves between.
 */
export async function QueueTable({
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
  const views = await Promise.all(rows.map((row) => queueRowView(row, { lookAlikes, now, sla })));
  return (
    <div className="relative rounded-xl border border-slate-200 bg-white shadow-sm md:overflow-x-auto">
      <table role="table" aria-describedby={describedBy} className="block w-full text-left text-sm md:table">
        <caption className="sr-only">{caption}</caption>
        <thead role="rowgroup" className="list-head">
          <tr role="row">
            {COLUMNS.map((column) => (
              <th key={column} role="columnheader" scope="col" className="queue-th">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="queue-body block divide-y divide-slate-100 md:table-row-group">
          <QueueRows rows={views} />
        </tbody>
      </table>
    </div>
  );
}
