import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import { reasonLabel, VALIDITY_LABELS } from "@/features/data-quality/reasons";
import { ScrollTable } from "@/features/data-quality/report/components/report-tables";
import { listContacts } from "@/features/data-quality/report/contacts";
import { contactQueryString, describeContactFilter, parseContactFilter } from "@/features/data-quality/report/schemas";
import { requirePageActor } from "@/platform/auth/guard";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { buttonClasses } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";

export const metadata: Metadata = { title: "Data quality: contacts" };

const VERDICT_TONE: Record<"valid" | "doubtful" | "invalid", BadgeTone> = { valid: "good", doubtful: "warn", invalid: "bad" };
const FIELD_LABEL: Record<string, string> = {
  channel: "Channel",
  kind: "Phone kind",
  validity: "Verdict",
  verified: "Verified",
  reason: "Reason",
  duplicate: "Duplicate",
  after: "Page",
};

/** The contacts behind a figure of the data-quality report (filter in the URL), keyset pages, CSV export of the same list. */
export default async function DataQualityContactsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageActor("supervisor");
  const parsed = parseContactFilter(await searchParams);
  const back = (
    <Link href="/supervisor/data-quality" className="text-sm text-brand-700 underline">
      ← Data-quality report
    </Link>
  );
  if (!parsed.ok) {
    return (
      <>
        <DataQualityNav />
        <PageHeader title="Contacts" />
        <Alert tone="error" title="This list's address needs attention; nothing was listed.">
          <ul className="list-disc pl-5">
            {Object.entries(parsed.errors).map(([field, message]) => (
              <li key={field}>
                {FIELD_LABEL[field] ?? field}: {message}
              </li>
            ))}
          </ul>
        </Alert>
        <p className="mt-4">{back}</p>
      </>
    );
  }
  const { filter } = parsed;
  const { after, ...withoutCursor } = filter;
  const page = await listContacts(filter);
  const title = describeContactFilter(filter);
  return (
    <>
      <DataQualityNav />
      <p className="mb-2">{back}</p>
      <PageHeader title={title} />
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p role="status" className="text-sm text-slate-700">
          {page.rows.length === 0
            ? after
              ? "No more contacts."
              : "No contacts match."
            : `Showing ${page.rows.length} ${page.rows.length === 1 ? "contact" : "contacts"}${after ? " (a later page)" : ""}, oldest first.`}
        </p>
        <a href={`/supervisor/data-quality/contacts/export${contactQueryString(withoutCursor)}`} className={buttonClasses("secondary")} download>
          Export CSV (this list)
        </a>
      </div>
      {page.rows.length > 0 ? (
        <ScrollTable labelledBy="dq-contacts-caption">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption id="dq-contacts-caption" className="sr-only">
              {title}
            </caption>
            <thead className="text-xs text-slate-600">
              <tr>
                <th scope="col" className="py-1.5 pr-2 font-semibold">
                  Customer
                </th>
                <th scope="col" className="px-2 py-1.5 font-semibold">
                  {filter.channel === "email" ? "Address" : "Number"}
                </th>
                <th scope="col" className="px-2 py-1.5 font-semibold">
                  Verdict
                </th>
                <th scope="col" className="px-2 py-1.5 font-semibold">
                  Reasons
                </th>
                <th scope="col" className="px-2 py-1.5 font-semibold">
                  Validated
                </th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row) => (
                <tr key={row.id} className="border-t border-slate-100 align-top">
                  <th scope="row" className="py-2 pr-2 font-medium">
                    <Link href={`/console/customers/${row.customerId}`} className="text-brand-700 underline decoration-slate-400 underline-offset-2">
                      {row.customerName}
                    </Link>
                    <span className="block text-xs font-normal text-slate-600">{row.accountNumber}</span>
                  </th>
                  <td className="break-all px-2 py-2 text-slate-800">
                    {row.value}
                    {row.kind ? (
                      <span className="block text-xs text-slate-600">
                        {row.kind}
                        {row.lineType ? `, line: ${row.lineType.toLowerCase().replaceAll("_", " ")}` : ""}
                      </span>
                    ) : null}
                    {row.suggestion ? <span className="block text-xs text-slate-600">Suggested: {row.suggestion}</span> : null}
                  </td>
                  <td className="px-2 py-2">
                    <div className="flex flex-wrap gap-1">
                      {row.verifiedAt ? <Badge tone="info">Verified</Badge> : null}
                      {row.validity ? <Badge tone={VERDICT_TONE[row.validity]}>{VALIDITY_LABELS[row.validity]}</Badge> : <Badge>Not yet validated</Badge>}
                    </div>
                  </td>
                  <td className="px-2 py-2 text-slate-800">
                    {row.reasons.length === 0 ? (
                      <span className="text-slate-500">—</span>
                    ) : (
                      <ul className="space-y-0.5">
                        {row.reasons.map((code) => (
                          <li key={code}>{reasonLabel(code)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="whitespace-nowrap px-2 py-2 text-slate-800">
                    {row.validatedAt ? <LocalTime value={row.validatedAt} /> : <span className="text-slate-500">Never</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      ) : null}
      {after || page.nextCursor ? (
        <nav aria-label="Pages of this list" className="mt-4 flex flex-wrap items-center justify-between gap-3">
          {after ? (
            <Link href={`/supervisor/data-quality/contacts${contactQueryString(withoutCursor)}`} className={buttonClasses("secondary")}>
              ↑ First page
            </Link>
          ) : (
            <span />
          )}
          {page.nextCursor ? (
            <Link
              href={`/supervisor/data-quality/contacts${contactQueryString(withoutCursor, { after: page.nextCursor })}`}
              className={buttonClasses("secondary")}
              rel="next"
            >
              Next page →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
