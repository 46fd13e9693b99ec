import "server-only";
import { getCountries } from "libphonenumber-js";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageActor } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import { fileStore } from "@/platform/storage";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { buttonClasses } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import { CommitControls, ImportJobProgress, UndoControls } from "../components/import-controls";
import { ImportMappingForm } from "../components/mapping-form";
import { type CsvDelimiter, DELIMITER_LABELS, sampleRows } from "../csv-file";
import { OUTCOMES } from "../dry-run";
import { IMPORT_FIELD_LABELS, type ImportField } from "../fields";
import { dryRunStopped, getImport, importRows, initialMapping, ROWS_PER_PAGE } from "../imports";
import { IMPORT_STATUS_LABELS, IMPORT_STATUS_TONES, MATCHED_BY_LABELS, OUTCOME_DESCRIPTIONS, OUTCOME_LABELS, OUTCOME_TONES } from "../labels";
import { IMPORT_OUTCOME_FILTERS } from "../schemas";
import { readStoredMapping } from "../stored-mapping";

export const metadata: Metadata = { title: "Import" };

type Filter = (typeof IMPORT_OUTCOME_FILTERS)[number];
const FILTER_LABELS: Record<Filter, string> = { all: "All rows", issues: "With problems", ...OUTCOME_LABELS };

function countryOptions(): { code: string; name: string }[] {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames(["en"], { type: "region" });
  } catch {
    names = null;
  }
  return getCountries()
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const VALUE_FIELDS: [string, ImportField][] = [
  ["accountNumber", "accountNumber"],
  ["name", "name"],
  ["organisation", "organisation"],
  ["email", "email"],
  ["mobile", "mobile"],
  ["phone", "phone"],
];

/** /supervisor/data-quality/import/[id]: one import through its steps (mapping, dry run, preview, commit, undo). */
export default async function ImportPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requirePageActor("supervisor");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const found = await getImport(id);
  if (!found) notFound();
  const query = await searchParams;
  const filter = (IMPORT_OUTCOME_FILTERS as readonly string[]).includes(String(query.outcome)) ? (String(query.outcome) as Filter) : "all";
  const pageNumber = Math.min(100_000, Math.max(1, Number.parseInt(String(query.page ?? "1"), 10) || 1));
  const summary = found.summary;
  const writable = summary ? summary.new + summary.update + summary.flagged : 0;
  const showRows = ["previewed", "committing", "committed", "undone"].includes(found.status) && summary;
  const canMap = ["uploaded", "previewed", "failed"].includes(found.status) || (found.status === "dry_running" && (await dryRunStopped(found.dryRunJobId)));
  const commitStopped = found.status === "committing" && (await dryRunStopped(found.commitJobId));

  let mappingForm = null;
  if (canMap) {
    const bytes = await fileStore().get(found.fileKey);
    const samples = bytes ? sampleRows(bytes, found.delimiter as CsvDelimiter, found.encoding === "windows-1252" ? "windows-1252" : "utf-8") : [];
    const stored = found.mapping ? { ...readStoredMapping(found.mapping), remembered: null } : await initialMapping(found.headers);
    mappingForm = (
      <ImportMappingForm
        importId={found.id}
        columns={found.headers.map((header, index) => ({
          header,
          field: stored.columns[header] ?? "ignore",
          samples: samples
            .map((row) => (row[index] ?? "").trim())
            .filter(Boolean)
            .slice(0, 3)
            .map((value) => (value.length > 40 ? `${value.slice(0, 40)}…` : value)),
        }))}
        defaultCountry={stored.defaultCountry}
        countries={countryOptions()}
        remembered={
          stored.remembered === "these_headers"
            ? "The columns are mapped as the last time a file with these columns was imported."
            : stored.remembered === "last_import"
              ? "Columns the last import also had are mapped as they were then."
              : null
        }
      />
    );
  }

  const rows = showRows ? await importRows(found.id, filter, pageNumber) : null;
  const pages = rows ? Math.max(1, Math.ceil(rows.total / ROWS_PER_PAGE)) : 1;
  const href = (next: { outcome?: Filter; page?: number }) => {
    const params = new URLSearchParams();
    const outcome = next.outcome ?? filter;
    if (outcome !== "all") params.set("outcome", outcome);
    if ((next.page ?? 1) > 1) params.set("page", String(next.page));
    const text = params.toString();
    return `/supervisor/data-quality/import/${found.id}${text ? `?${text}` : ""}#import-rows`;
  };

  return (
    <>
      <PageHeader
        title={`Import: ${found.fileName}`}
        description={
          <>
            Uploaded <LocalTime value={found.createdAt} /> · {(found.byteSize / 1024).toLocaleString("en", { maximumFractionDigits: 0 })} KB ·{" "}
            {found.encoding.toUpperCase()}, {DELIMITER_LABELS[found.delimiter as CsvDelimiter] ?? found.delimiter}-separated · {found.headers.length} columns
          </>
        }
      />
      <DataQualityNav />
      <div className="space-y-6">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Link href="/supervisor/data-quality/import" className="text-brand-700 underline-offset-2 hover:underline">
            ← All imports
          </Link>
          <span aria-hidden="true">·</span>
          <span>Status:</span>
          <Badge tone={IMPORT_STATUS_TONES[found.status]}>{IMPORT_STATUS_LABELS[found.status]}</Badge>
        </p>

        {found.status === "failed" && found.failure ? (
          <Alert tone="error" title="The file could not be checked">
            {found.failure}
          </Alert>
        ) : null}
        {found.status === "discarded" ? <Alert tone="info">This import was discarded before anything was written.</Alert> : null}

        {found.status === "dry_running" && found.dryRunJobId ? (
          <Panel id="import-progress" title="Checking every row" description="Nothing is written yet. You can leave this page; the check goes on.">
            <ImportJobProgress jobId={found.dryRunJobId} label="Dry run" />
          </Panel>
        ) : null}
        {commitStopped ? (
          <Alert tone="error" title="The import stopped before the end">
            Some rows were written before it stopped (the progress below says how far it got). Undo what was written, then import the file again.
            <div className="mt-3">
              <UndoControls importId={found.id} />
            </div>
          </Alert>
        ) : null}
        {found.status === "committing" && found.commitJobId ? (
          <Panel
            id="import-progress"
            title="Importing"
            description="Rows are written in batches. You can leave this page; the import goes on, and resumes by itself after a restart."
          >
            <ImportJobProgress jobId={found.commitJobId} label="Import" />
          </Panel>
        ) : null}

        {found.status === "dry_running" && canMap ? <Alert tone="error">The check stopped before the end. Check the mapping and start it again.</Alert> : null}
        {canMap && found.status !== "previewed" ? (
          <Panel id="import-mapping" title="Map the columns" description="Tell Veridesk what each column holds. Columns set to “Ignore” are not read.">
            {mappingForm}
          </Panel>
        ) : null}

        {summary && showRows ? (
          <Panel
            id="import-summary"
            title={
              found.status === "previewed"
                ? "What the import would do"
                : found.status === "undone"
                  ? "What the import did (undone since)"
                  : "What the import did"
            }
            description={found.status === "previewed" ? "This is a dry run: nothing has been written yet." : undefined}
          >
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
              {OUTCOMES.map((outcome) => (
                <div key={outcome} className="rounded-md border border-slate-200 p-3" data-testid={`count-${outcome}`}>
                  <dt className="text-xs font-medium text-slate-600" title={OUTCOME_DESCRIPTIONS[outcome]}>
                    {OUTCOME_LABELS[outcome]}
                  </dt>
                  <dd className="text-xl font-semibold text-slate-900">{summary[outcome].toLocaleString("en")}</dd>
                </div>
              ))}
            </dl>
            <p className="mt-3 text-sm">
              <a href={`/api/data-quality/imports/${found.id}/errors`} className="text-brand-700 underline underline-offset-2" download>
                Download the error report (CSV: row, column, value, reason)
              </a>
            </p>
            {found.status === "previewed" ? (
              <div className="mt-4">
                <CommitControls importId={found.id} writable={writable} />
              </div>
            ) : null}
            {found.status === "committed" ? (
              <div className="mt-4">
                <UndoControls importId={found.id} />
              </div>
            ) : null}
            {found.status === "undone" ? (
              <div className="mt-4">
                <Alert tone="success">
                  The import was undone: the customers, addresses and phone numbers it created or changed were put back as they were.
                </Alert>
              </div>
            ) : null}
            {found.status === "undone" && found.undoReport && found.undoReport.length > 0 ? (
              <div className="mt-4">
                <Alert tone="warning" title={`${found.undoReport.length.toLocaleString("en")} records were not undone`}>
                  They were changed after the import, so they were left as they are now:
                  <ul className="mt-1 list-disc pl-5">
                    {found.undoReport.slice(0, 20).map((conflict) => (
                      <li key={`${conflict.table}-${conflict.rowId}`}>
                        {conflict.table === "Customer" ? (
                          <Link href={`/console/customers/${conflict.rowId}`} className="underline">
                            Customer
                          </Link>
                        ) : (
                          conflict.table
                        )}{" "}
                        ({conflict.reason})
                      </li>
                    ))}
                  </ul>
                </Alert>
              </div>
            ) : null}
          </Panel>
        ) : null}

        {found.status === "previewed" ? (
          <details className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <summary className="cursor-pointer text-sm font-semibold text-slate-900">Change the column mapping and check again</summary>
            <div className="mt-4">{mappingForm}</div>
          </details>
        ) : null}

        {rows ? (
          <section aria-labelledby="import-rows" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="import-rows" className="text-lg font-semibold text-slate-900">
              Rows
            </h2>
            <nav aria-label="Filter rows by outcome" className="mt-3 flex flex-wrap gap-2 text-sm">
              {IMPORT_OUTCOME_FILTERS.map((option) => (
                <Link
                  key={option}
                  href={href({ outcome: option })}
                  aria-current={option === filter ? "page" : undefined}
                  className={`rounded-full px-3 py-1 font-medium ring-1 ring-inset ${option === filter ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
                >
                  {FILTER_LABELS[option]}
                </Link>
              ))}
            </nav>
            <p className="mt-3 text-sm text-slate-600" aria-live="polite">
              {rows.total.toLocaleString("en")} {rows.total === 1 ? "row" : "rows"}
              {pages > 1 ? `, page ${pageNumber} of ${pages}` : ""}
            </p>
            <ol className="mt-2 divide-y divide-slate-200">
              {rows.rows.map((row) => (
                <li key={row.rowNumber} className="py-3" data-testid="import-row">
                  <div className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-semibold text-slate-900">Row {row.rowNumber}</span>
                    <Badge tone={OUTCOME_TONES[row.outcome]}>{OUTCOME_LABELS[row.outcome]}</Badge>
                    {row.matchedBy ? <span className="text-slate-600">matched by {MATCHED_BY_LABELS[row.matchedBy] ?? row.matchedBy}</span> : null}
                    {row.customerId && found.status === "committed" ? (
                      <Link href={`/console/customers/${row.customerId}`} className="text-brand-700 underline underline-offset-2">
                        Open customer
                      </Link>
                    ) : null}
                  </div>
                  <dl className="mt-1 grid grid-cols-1 gap-x-4 text-sm sm:grid-cols-2">
                    {VALUE_FIELDS.filter(([key]) => row.values[key]).map(([key, field]) => (
                      <div key={key} className="flex min-w-0 gap-1">
                        <dt className="shrink-0 text-slate-600">{IMPORT_FIELD_LABELS[field]}:</dt>
                        <dd className="min-w-0 break-words text-slate-900">{String(row.values[key])}</dd>
                      </div>
                    ))}
                    {Array.isArray(row.values.aliases) && row.values.aliases.length > 0 ? (
                      <div className="flex min-w-0 gap-1">
                        <dt className="shrink-0 text-slate-600">Other emails:</dt>
                        <dd className="min-w-0 break-words text-slate-900">{(row.values.aliases as string[]).join(", ")}</dd>
                      </div>
                    ) : null}
                  </dl>
                  {row.issues.length > 0 ? (
                    <ul className="mt-1 space-y-0.5 text-sm text-amber-900">
                      {row.issues.map((issue, index) => (
                        <li key={index} className="break-words">
                          {issue.column ? <span className="font-medium">{issue.column}</span> : null}
                          {issue.column && issue.value ? ` “${issue.value}”` : ""}
                          {issue.column ? ": " : ""}
                          {issue.reason}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
            {pages > 1 ? (
              <nav aria-label="Pages of rows" className="mt-4 flex flex-wrap items-center gap-2">
                {pageNumber > 1 ? (
                  <Link href={href({ page: pageNumber - 1 })} className={buttonClasses("secondary")}>
                    Previous page
                  </Link>
                ) : null}
                {pageNumber < pages ? (
                  <Link href={href({ page: pageNumber + 1 })} className={buttonClasses("secondary")}>
                    Next page
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </section>
        ) : null}
      </div>
    </>
  );
}
