import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { requirePageActor } from "@/platform/auth/guard";
import { Badge } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import { ImportUploadForm } from "../components/upload-form";
import { listImports } from "../imports";
import { IMPORT_STATUS_LABELS, IMPORT_STATUS_TONES } from "../labels";

export const metadata: Metadata = { title: "Import customers" };

/** /supervisor/data-quality/import: upload a CSV, and every import so far with its status. */
export default async function ImportsPage() {
  await requirePageActor("supervisor");
  const imports = await listImports();
  return (
    <>
      <PageHeader
        title="Import customers"
        description="Bring customers, organisations and contacts in from a CSV. You map the columns, see what every row would do, then import; an import can be undone."
      />
      <DataQualityNav />
      <div className="space-y-6">
        <Panel id="import-upload" title="New import">
          <ImportUploadForm />
        </Panel>
        <Panel id="import-history" title="Imports">
          {imports.length === 0 ? (
            <p className="text-sm text-slate-600">No imports yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200" aria-labelledby="import-history">
              {imports.map((item) => (
                <li key={item.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-3">
                  <div className="min-w-0">
                    <Link
                      href={`/supervisor/data-quality/import/${item.id}`}
                      className="break-all font-medium text-brand-700 underline-offset-2 hover:underline"
                    >
                      {item.fileName}
                    </Link>
                    <p className="text-xs text-slate-600">
                      <LocalTime value={item.createdAt} />
                      {item.createdBy ? ` · ${item.createdBy}` : ""}
                      {item.rowCount !== null ? ` · ${item.rowCount.toLocaleString("en")} rows` : ""}
                      {item.summary
                        ? ` · ${item.summary.new.toLocaleString("en")} new, ${(item.summary.update + item.summary.flagged).toLocaleString("en")} updated, ${item.summary.skipped.toLocaleString("en")} skipped`
                        : ""}
                    </p>
                  </div>
                  <Badge tone={IMPORT_STATUS_TONES[item.status]}>{IMPORT_STATUS_LABELS[item.status]}</Badge>
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </>
  );
}
