import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/features/audit/components/audit-filters";
import { AuditTable } from "@/features/audit/components/audit-table";
import { Alert } from "@/ui/alert";
import { buttonClasses } from "@/ui/button";
import { PageHeader } from "@/ui/page-header";
import { auditQueryString, listAuditEvents, parseAuditFilter } from "@/features/audit/queries";
import { requirePageActor } from "@/platform/auth/guard";

export const metadata: Metadata = { title: "Audit log" };

/** The audit log: filters in the URL (GET form), newest first, keyset pages, CSV export of the same filter. */
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("supervisor");
  const parsed = parseAuditFilter(await searchParams);
  const header = (
    <PageHeader
      title="Audit log"
      description="Every sign-in, identity event, escalation and change, as recorded (append-only). Values compared in identity checks and codes are never recorded."
    />
  );
  if (!parsed.ok) {
    return (
      <>
        {header}
        <AuditFilters input={parsed.input} errors={parsed.errors} />
        <Alert tone="error">Some filters need attention; nothing was searched.</Alert>
      </>
    );
  }
  const { filter } = parsed;
  const page = await listAuditEvents(filter);
  const { after, ...withoutCursor } = filter;
  const filtered = auditQueryString(withoutCursor) !== "";
  return (
    <>
      {header}
      <AuditFilters input={filter} />
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p role="status" className="text-sm text-slate-700">
          {page.rows.length === 0
            ? filtered
              ? "No events match these filters."
              : "The audit log is empty."
            : `Showing ${page.rows.length} ${page.rows.length === 1 ? "event" : "events"}${filtered ? " matching the filters" : ""}, newest first${after ? " (a later page)" : ""}.`}
        </p>
        <a href={`/supervisor/audit/export${auditQueryString(withoutCursor)}`} className={buttonClasses("secondary")} download>
          Export CSV{filtered ? " (these filters)" : ""}
        </a>
      </div>
      {page.rows.length > 0 ? <AuditTable rows={page.rows} caption={`Audit events${filtered ? " matching the filters" : ""}, newest first`} /> : null}
      {after || page.nextCursor ? (
        <nav aria-label="Pages of the audit log" className="mt-4 flex flex-wrap items-center justify-between gap-3">
          {after ? (
            <Link href={`/supervisor/audit${auditQueryString(withoutCursor)}`} className={buttonClasses("secondary")}>
              ↑ Newest events
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <Link href={`/supervisor/audit${auditQueryString(withoutCursor, { after: page.nextCursor })}`} className={buttonClasses("secondary")} rel="next">
              Next page (older) →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
