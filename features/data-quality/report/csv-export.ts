import "server-only";
import { recordAudit } from "@/platform/audit";
import { csvRecord, type CsvValue } from "@/platform/csv";
import type { Role } from "@/platform/db/client";
import { reasonLabel } from "@/features/data-quality/reasons";
import { type ContactRow, contactBatches } from "@/features/data-quality/report/contacts";
import type { ContactFilter } from "@/features/data-quality/report/schemas";

export const CONTACTS_CSV_HEADER = [
  "contact_id",
  "customer_id",
  "account_number",
  "customer_name",
  "channel",
  "kind",
  "value",
  "verified_at",
  "validity",
  "reasons",
  "reason_labels",
  "suggestion",
  "line_type",
  "validated_at",
] as const;

export function contactCsvValues(row: ContactRow, channel: ContactFilter["channel"]): CsvValue[] {
  return [
    row.id,
    row.customerId,
    row.accountNumber,
    row.customerName,
    channel,
    row.kind,
    row.value,
    row.verifiedAt,
    row.validity ?? "unvalidated",
    row.reasons.join(" "),
    row.reasons.map(reasonLabel).join("; "),
    row.suggestion,
    row.lineType,
    row.validatedAt,
  ];
}

/** "veridesk-invalid-email-2026-12-03.csv" */
export function contactsExportFilename(filter: ContactFilter, now: Date): string {
  const parts = ["veridesk", filter.verified === "yes" ? "verified" : null, filter.validity ?? null, filter.kind ?? null, filter.channel];
  return `${parts.filter(Boolean).join("-")}-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The drill-down list as CSV, streamed: the header, then the contacts in batches while the client
 * downloads (pull-based: a slow client holds back the reads, one batch in memory at most). Cells a
 * spreadsheet would run as a formula are neutralised by platform/csv.ts. The export (personal data
 * leaving the system) is audited first, with its filter.
 */
export async function contactsCsvStream(filter: ContactFilter, actor: { userId: string; role: Role }, ip: string | null): Promise<ReadableStream<Uint8Array>> {
  const { after: _after, ...withoutCursor } = filter;
  await recordAudit({
    action: "data_quality.contacts_exported",
    actor,
    subjectType: "DataQualityReport",
    ip,
    details: Object.fromEntries(Object.entries(withoutCursor).filter(([, value]) => value !== undefined)),
  });
  const encoder = new TextEncoder();
  const batches = contactBatches(withoutCursor);
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(csvRecord(CONTACTS_CSV_HEADER)));
        return;
      }
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => csvRecord(contactCsvValues(row, filter.channel))).join("")));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}
