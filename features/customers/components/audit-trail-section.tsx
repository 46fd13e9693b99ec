import "server-only";
import Link from "next/link";
import { type CustomerAuditRow, customerAuditTrail, customerContactChanges } from "@/features/customers/customer-profile";
import { buttonClasses } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { Panel } from "@/ui/panel";

function AuditList({ rows, label }: { rows: CustomerAuditRow[]; label: string }) {
  return (
    <ul aria-label={label} className="flex flex-col divide-y divide-slate-100">
      {rows.map((row) => (
        <li key={row.id.toString()} className="flex flex-col gap-0.5 py-2 text-sm sm:flex-row sm:items-baseline sm:justify-between sm:gap-3">
          <span className="font-mono text-xs text-slate-900 [overflow-wrap:anywhere]">{row.action}</span>
          <span className="text-xs text-slate-600">
            <LocalTime value={row.at} />
            {` · ${row.actor ?? (row.subjectType === "User" || row.subjectType === "user" ? "the customer or the system" : "the system")}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The latest changes to how the customer is reached (from the audit log). */
export async function ContactChangesSection({ customerId }: { customerId: string }) {
  const rows = await customerContactChanges(customerId);
  return (
    <Panel id="contact-changes-heading" title="Recent contact changes">
      {rows.length === 0 ? <p className="text-sm text-slate-600">No contact change recorded.</p> : <AuditList rows={rows} label="Recent contact changes" />}
    </Panel>
  );
}

/** The record's audit trail (the customer, its portal accounts, its agreements), 20 a page, newest first (`?audit=<id>`). */
export async function AuditTrailSection({ customerId, beforeId }: { customerId: string; beforeId?: bigint }) {
  const trail = await customerAuditTrail(customerId, { beforeId });
  return (
    <Panel id="audit-trail-heading" title="Audit trail">
      {trail.rows.length === 0 ? (
        <p className="text-sm text-slate-600">Nothing recorded{beforeId ? " before these" : ""}.</p>
      ) : (
        <AuditList rows={trail.rows} label="Audit trail" />
      )}
      <div className="mt-3 flex flex-wrap gap-2">
        {beforeId ? (
          <Link href={`/console/customers/${customerId}#audit-trail-heading`} className={buttonClasses("secondary")}>
            Newest
          </Link>
        ) : null}
        {trail.nextBeforeId ? (
          <Link href={`/console/customers/${customerId}?audit=${trail.nextBeforeId}#audit-trail-heading`} className={buttonClasses("secondary")} rel="next">
            Older events →
          </Link>
        ) : null}
      </div>
    </Panel>
  );
}
