import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { EscalationQueue } from "@/features/escalations/components/escalation-queue";
import { TestEmailButton } from "@/features/reporting/components/test-email-button";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { outboxStatusCounts } from "@/platform/outbox/outbox";
import { buttonClasses } from "@/ui/button";
import { escalationQueue, reassignableStaff } from "@/features/escalations/queries";
import {
  encodeEscalationQueueCursor,
  escalationQueueCursorSchema,
  type EscalationQueueFilter,
  escalationQueueFilterSchema,
} from "@/features/escalations/schemas";
import { appNow } from "@/platform/clock";

export const metadata: Metadata = { title: "Supervisor" };

const FILTERS: { value: EscalationQueueFilter; label: string; empty: string }[] = [
  { value: "unclaimed", label: "Unclaimed", empty: "No escalation is waiting for a supervisor." },
  { value: "mine", label: "Claimed by me", empty: "You hold no escalations." },
  { value: "open", label: "All open", empty: "No open escalations." },
];

export default async function SupervisorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("supervisor");
  const params = await searchParams;
  const filter = escalationQueueFilterSchema.parse(params.filter);
  const after = escalationQueueCursorSchema.parse(params.after);
  const now = await appNow();
  const [queue, staff, delivery] = await Promise.all([escalationQueue(filter, actor.userId, now, { after }), reassignableStaff(), outboxStatusCounts()]);
  const current = FILTERS.find((entry) => entry.value === filter)!;
  const filterHref = (value: EscalationQueueFilter, cursor?: string) => {
    const query = new URLSearchParams();
    if (value !== "open") query.set("filter", value);
    if (cursor) query.set("after", cursor);
    const text = query.toString();
    return text ? `/supervisor?${text}` : "/supervisor";
  };
  const total = queue.counts[filter];
  const shownTo = queue.firstPosition + queue.items.length - 1;
  const paged = Boolean(after) || queue.nextCursor !== null;
  return (
    <>
      <PageHeader title="Supervisor" description="Escalations waiting for a supervisor, and the health of outgoing email and SMS." />
      <section aria-labelledby="escalations" className="mb-8">
        <h2 id="escalations" className="mb-3 text-lg font-semibold">
          Escalation queue
        </h2>
        <nav aria-label="Escalation filters" className="mb-4">
          <ul className="flex flex-wrap gap-2">
            {FILTERS.map((entry) => {
              const selected = entry.value === filter;
              return (
                <li key={entry.value}>
                  <Link
                    href={filterHref(entry.value)}
                    aria-current={selected ? "page" : undefined}
                    className={`inline-flex items-center gap-2 rounded-full border px-3 py-1.5 text-sm font-medium ${
                      selected ? "border-brand-600 bg-brand-600 text-white" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50"
                    }`}
                  >
                    {entry.label}
                    <span className={`rounded-full px-1.5 text-xs ${selected ? "bg-white/20" : "bg-slate-100"}`}>{queue.counts[entry.value]}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <EscalationQueue
          rows={queue.items}
          meId={actor.userId}
          staff={staff}
          emptyText={after ? "No more escalations here: go back to the first page." : current.empty}
        />
        {paged ? (
          <nav aria-label="Escalation pages" className="mt-4 flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-slate-600" aria-live="polite">
              {queue.items.length > 0 ? `Showing ${queue.firstPosition}–${shownTo} of ${total}, oldest first` : `${total} in total`}
            </p>
            <div className="flex flex-wrap gap-2">
              {after ? (
                <Link href={filterHref(filter)} className={buttonClasses("secondary")}>
                  First page
                </Link>
              ) : null}
              {queue.nextCursor ? (
                <Link href={filterHref(filter, encodeEscalationQueueCursor(queue.nextCursor))} className={buttonClasses("primary")}>
                  Next page
                </Link>
              ) : null}
            </div>
          </nav>
        ) : null}
      </section>
      <section aria-labelledby="delivery">
        <h2 id="delivery" className="mb-3 text-lg font-semibold">
          Outgoing messages
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {(["queued", "sending", "sent", "failed"] as const).map((status) => (
            <div key={status} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
              <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{status}</dt>
              <dd className={`text-2xl font-semibold ${status === "failed" && delivery[status] > 0 ? "text-red-700" : ""}`}>{delivery[status]}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4">
          <TestEmailButton />
        </div>
      </section>
    </>
  );
}
