import "server-only";
import { recordAudit } from "@/platform/audit";
import { csvRecord } from "@/platform/csv";
import { AUDIT_CSV_HEADER, type AuditFilter, auditCsvValues, auditEventBatches, filterWithoutCursor, latestAuditEventId } from "@/features/audit/queries";
import type { Role } from "@/platform/db/client";

/** "veridesk-audit-2026-11-29.csv" */
export function auditExportFilename(now: Date): string {
  return `veridesk-audit-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The CSV export of the audit log as a stream: the header, then the matching events newest first,
 * read in keyset batches while the client downloads (pull-based, so a slow client holds back the
 * reads and at most one batch is in memory). No row cap: the snapshot bound (events up to the
 * newest id when the export started) guarantees it ends. The export itself is recorded first, with
 * its filter, and is not part of its own file.
 */
export async function auditCsvStream(filter: AuditFilter, actor: { userId: string; role: Role }, ip: string | null): Promise<ReadableStream<Uint8Array>> {
  const upToId = await latestAuditEventId();
  await recordAudit({
    action: "audit.exported",
    actor,
    subjectType: "AuditLog",
    ip,
    details: { filter: filterWithoutCursor(filter), upToId: upToId.toString() },
  });
  const encoder = new TextEncoder();
  const batches = auditEventBatches({ ...filter, after: undefined }, upToId);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRecord(AUDIT_CSV_HEADER)));
        return;
      }
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => csvRecord(auditCsvValues(row))).join("")));
    },
    async cancel() {
      // The client went away: stop reading the log.
      await batches.return(undefined);
    },
  });
}
