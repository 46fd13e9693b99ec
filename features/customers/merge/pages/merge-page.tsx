import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MergeForm } from "@/features/customers/merge/components/merge-form";
import { type MergePreview, mergePreview } from "@/features/customers/merge/merge";
import { searchCustomers } from "@/features/tickets/phone-tickets";
import { customerSearchSchema } from "@/features/tickets/phone-tickets-schemas";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { buttonClasses } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import { searchParamText } from "@/platform/text/schemas";
import { db } from "@/platform/db/client";

export const metadata: Metadata = { title: "Merge customers" };

type Search = { q?: string | string[]; with?: string | string[]; keep?: string | string[] };

function MoveList({ title, empty, items }: { title: string; empty: string; items: React.ReactNode[] }) {
  return (
    <div>
      <h3 className="text-sm font-semibold text-slate-800">
        {title} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="text-sm text-slate-600">{empty}</p>
      ) : (
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
          {items.map((item, index) => (
            <li key={index} className="break-words">
              {item}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Preview({ preview }: { preview: MergePreview }) {
  const { moves } = preview;
  return (
    <section aria-labelledby="moves-heading" className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="moves-heading" className="text-base font-semibold text-slate-900">
        What moves from {preview.absorbed.accountNumber} to {preview.survivor.accountNumber}
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <MoveList
          title="Tickets"
          empty="No tickets."
          items={moves.tickets.map((ticket) => (
            <>
              #{ticket.number} {ticket.subject} <span className="text-slate-500">({ticket.status})</span>
            </>
          ))}
        />
        <MoveList
          title="Email addresses"
          empty="No addresses."
          items={moves.emails.map((email) => (
            <>
              <span className="font-mono text-xs">{email.address}</span> {email.wasPrimary ? "(primary: becomes an alias)" : "(alias)"}
              {email.verified ? " · verified" : ""}
            </>
          ))}
        />
        <MoveList
          title="Phones"
          empty="No phones."
          items={moves.phones.map((phone) => (
            <>
              <span className="font-mono text-xs">{phone.number}</span> {phone.kind}
              {phone.verified ? " · verified" : ""}
              {phone.duplicate ? " · the survivor has it too: kept once" : ""}
            </>
          ))}
        />
        <MoveList
          title="Support agreements"
          empty="No agreements."
          items={moves.agreements.map((agreement) => (
            <>
              {agreement.reference} {agreement.tier}, ends {agreement.endsOn.toISOString().slice(0, 10)}
              {agreement.cancelled ? " (cancelled)" : ""}
            </>
          ))}
        />
        <MoveList
          title="Portal accounts"
          empty="No portal accounts."
          items={moves.accounts.map((account) => <span className="font-mono text-xs">{account.email}</span>)}
        />
        <MoveList
          title="Identity checks"
          empty="No identity checks."
          items={moves.identityChecks.map((check) => (
            <>
              {check.method.replaceAll("_", " ")}: {check.outcome}, <LocalTime value={check.at} />
            </>
          ))}
        />
      </div>
    </section>
  );
}

/** Supervisors: pick another customer, see what a merge would move and every conflict, choose the survivor, merge. */
export default async function MergePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  await requirePageActor("supervisor");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const base = await db.customer.findUnique({ where: { id }, select: { id: true, name: true, accountNumber: true } });
  if (!base) notFound();
  const search = await searchParams;
  const q = searchParamText(search.q, 1000);
  const parsed = q ? customerSearchSchema.safeParse({ q }) : null;
  const hits = parsed?.success ? (await searchCustomers(parsed.data.q)).filter((hit) => hit.id !== id) : [];
  const searchError = parsed && !parsed.success ? parsed.error.issues[0]?.message : null;
  const other = searchParamText(search.with, 100);
  const keep = searchParamText(search.keep, 100);
  const otherId = isUuid(other) && other !== id ? other : null;
  const survivorId = otherId && keep === otherId ? otherId : id;
  const absorbedId = otherId ? (survivorId === id ? otherId : id) : null;
  const preview = absorbedId ? await mergePreview(survivorId, absorbedId) : null;
  const keepHref = (keepId: string) => `/console/customers/${id}/merge?with=${otherId}&keep=${keepId}`;

  return (
    <>
      <p className="mb-3 text-sm">
        <Link href={`/console/customers/${id}`} className="font-medium text-brand-700 hover:underline">
          ← Back to {base.name}
        </Link>
      </p>
      <PageHeader
        title={`Merge ${base.name}`}
        description="Two records for one person: everything on the record that goes moves to the one that stays. It can be undone for 30 days."
      />

      <form method="get" action={`/console/customers/${id}/merge`} role="search" className="mb-6 flex flex-col gap-1">
        <label htmlFor="merge-search" className="field-label">
          Find the other record: name, account number, email or phone
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <input
            id="merge-search"
            name="q"
            type="search"
            defaultValue={q}
            autoComplete="off"
            aria-describedby={searchError ? "merge-search-error" : undefined}
            aria-invalid={searchError ? true : undefined}
            className={`flex-1 rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${searchError ? "border-red-600" : "border-slate-300"}`}
          />
          <button type="submit" className={buttonClasses("secondary")}>
            Search
          </button>
        </div>
        {searchError ? (
          <p id="merge-search-error" role="alert" className="text-sm text-red-700">
            {searchError}
          </p>
        ) : null}
      </form>

      {parsed?.success ? (
        hits.length === 0 ? (
          <Alert tone="info">No other customer matches “{parsed.data.q}”.</Alert>
        ) : (
          <ul aria-label="Matching customers" className="mb-6 flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
            {hits.map((hit) => (
              <li key={hit.id} className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between">
                <span className="min-w-0 break-words text-sm">
                  <span className="font-medium text-slate-900">{hit.name}</span> <span className="font-mono text-xs">{hit.accountNumber}</span>
                  {hit.maskedPrimaryEmail ? <span className="font-mono text-xs"> · {hit.maskedPrimaryEmail}</span> : null}
                </span>
                <Link
                  href={`/console/customers/${id}/merge?with=${hit.id}`}
                  className={buttonClasses("secondary")}
                  aria-label={`Preview merge with ${hit.name} (${hit.accountNumber})`}
                >
                  Preview merge
                </Link>
              </li>
            ))}
          </ul>
        )
      ) : null}

      {otherId && !preview ? <Alert tone="error">That customer does not exist.</Alert> : null}
      {preview ? (
        <div className="flex flex-col gap-4">
          <fieldset className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <legend className="px-1 text-sm font-semibold text-slate-800">Which record stays?</legend>
            <div className="flex flex-col gap-2 sm:flex-row">
              {[preview.survivor, preview.absorbed]
                .sort((a, b) => (a.id === id ? -1 : b.id === id ? 1 : 0))
                .map((record) => {
                  const stays = record.id === preview.survivor.id;
                  return (
                    <Link
                      key={record.id}
                      href={keepHref(record.id)}
                      aria-current={stays ? "true" : undefined}
                      className={`flex-1 rounded-md border p-3 text-sm ${stays ? "border-brand-600 bg-brand-50" : "border-slate-300 hover:bg-slate-50"}`}
                    >
                      <span className="block font-medium text-slate-900">
                        {record.name} <span className="font-mono text-xs">{record.accountNumber}</span>
                      </span>
                      <span className="block text-slate-600">{record.organisation ?? "No organisation"}</span>
                      <span className="mt-1 block">{stays ? <Badge tone="good">Stays (survivor)</Badge> : "Keep this one instead"}</span>
                    </Link>
                  );
                })}
            </div>
          </fieldset>

          <Preview preview={preview} />

          <section aria-labelledby="conflicts-heading" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 id="conflicts-heading" className="mb-2 text-base font-semibold text-slate-900">
              Conflicts ({preview.conflicts.length})
            </h2>
            <ul className="flex flex-col gap-2 text-sm text-slate-700">
              {preview.conflicts.map((conflict) => (
                <li key={`${conflict.kind}-${conflict.message}`} data-conflict={conflict.kind} className="break-words">
                  {conflict.needsReason ? <Badge tone="warn">needs a reason</Badge> : null} {conflict.message}
                </li>
              ))}
            </ul>
          </section>

          {preview.refusal ? (
            <Alert tone="error" title="These records cannot be merged.">
              {preview.refusal}
            </Alert>
          ) : (
            <MergeForm survivor={preview.survivor} absorbed={preview.absorbed} needsReason={preview.needsReason} />
          )}
        </div>
      ) : null}
    </>
  );
}
