import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { QueueFilters, SORT_LABEL, STATUS_FILTER_LABEL } from "@/features/tickets/queue/components/queue-filters";
import { QueueKeyboard } from "@/features/tickets/queue/components/queue-keyboard";
import { QueuePagination } from "@/features/tickets/queue/components/queue-pagination";
import { QueueStatusTabs, countOf, formatCount } from "@/features/tickets/queue/components/queue-status-tabs";
import { QueueTable } from "@/features/tickets/queue/components/queue-table";
import { LiveUpdates } from "@/features/tickets/live/components/live-updates";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { loadQueue } from "@/features/tickets/queue/queue";
import { lookAlikeDomainsOf } from "@/features/identity/look-alike-senders";
import { DEFAULT_QUEUE_FILTER, parseQueueFilter, queueQueryString } from "@/features/tickets/queue/schemas";
import { appNow } from "@/platform/clock";
import { warnBeforeSecondsByScope } from "@/features/sla/ticket-sla";

export const metadata: Metadata = { title: "Ticket queue" };

/** The agent queue: filters in the URL (a GET form), counts per status, keyset pages, keyboard navigation. */
export default async function ConsolePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("console");
  const filter = parseQueueFilter(await searchParams);
  const now = new Date();
  const [{ page, counts }, slaNow, slaWarnings] = await Promise.all([
    loadQueue({ userId: actor.userId }, filter, { now }),
    appNow(),
    warnBeforeSecondsByScope(),
  ]);
  // Senders on no record whose domain imitates a known one (an in-memory index: no query per row).
  const lookAlikes = await lookAlikeDomainsOf(page.rows.filter((row) => row.identity.facts.addressStanding === "unknown").map((row) => row.requesterAddress));
  const total = countOf(counts, filter.status);
  const filtered = queueQueryString({ ...filter, sort: DEFAULT_QUEUE_FILTER.sort, status: DEFAULT_QUEUE_FILTER.status }) !== "";
  const onLaterPage = Boolean(filter.after || filter.before);
  const which =
    filter.status === "active" ? "Open tickets" : filter.status === "all" ? "All tickets" : `Tickets with status ${STATUS_FILTER_LABEL[filter.status]}`;
  const caption = `${which}${filtered ? " matching the filters" : ""}, sorted by ${SORT_LABEL[filter.sort].toLowerCase()}`;

  return (
    <>
      <PageHeader title="Ticket queue" description={`Signed in as ${actor.name}. Each ticket shows how far its requester is proven to be who they say.`} />
      <LiveUpdates kind="queue" streamUrl="/api/live/queue" />
      {/* Keyed by the filter so the form shows the current values after following a link. */}
      <QueueFilters key={queueQueryString(filter)} filter={filter} />
      <QueueStatusTabs filter={filter} counts={counts} />

      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2 text-sm text-slate-700">
        <p role="status">
          {formatCount(total)} {total.value === 1 && total.exact ? "ticket" : "tickets"}
          {total.exact ? "" : " (at least)"}
          {filter.q ? <> matching “{filter.q}”</> : null}
          {onLaterPage ? " · a later page" : null}
        </p>
        <p id="queue-keys" className="text-slate-600">
          Press <kbd className="kbd">j</kbd> / <kbd className="kbd">k</kbd> (or ↓ / ↑) to move, <kbd className="kbd">Enter</kbd> to open.
        </p>
      </div>

      {page.rows.length === 0 ? (
        <div className="rounded-xl border border-slate-200 bg-white px-6 py-10 text-center text-slate-700 shadow-sm">
          {page.scanLimited ? (
            <p>No matching tickets among the ones checked so far.</p>
          ) : (
            <p>{filtered || filter.status !== "active" ? "No tickets match these filters." : "No open tickets. Nicely done."}</p>
          )}
          {filtered ? (
            <p className="mt-2">
              <Link href="/console" className="font-semibold text-brand-700 underline">
                Reset filters
              </Link>
            </p>
          ) : null}
        </div>
      ) : (
        <QueueKeyboard>
          <QueueTable
            rows={page.rows}
            lookAlikes={lookAlikes}
            caption={caption}
            now={now}
            describedBy="queue-keys"
            sla={{ now: slaNow, warnBeforeSeconds: slaWarnings }}
          />
        </QueueKeyboard>
      )}
      {page.scanLimited ? (
        <p className="mt-3 text-sm text-slate-600">
          Identity and entitlement are worked out ticket by ticket; this page stopped after checking several thousand. Next page keeps looking.
        </p>
      ) : null}
      <QueuePagination filter={filter} page={page} />
    </>
  );
}
