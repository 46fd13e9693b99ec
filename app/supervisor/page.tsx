import type { Metadata } from "next";
import Link from "next/link";
import { EscalationQueue } from "@/components/escalations/escalation-queue";
import { TestEmailButton } from "@/components/supervisor/test-email-button";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/guard";
import { outboxStatusCounts } from "@/lib/delivery/outbox";
import { escalationQueue, reassignableStaff } from "@/lib/escalations/queries";
import { type EscalationQueueFilter, escalationQueueFilterSchema } from "@/lib/escalations/schemas";
import { appNow } from "@/lib/platform/clock";

export const metadata: Metadata = { title: "Supervisor" };

const FILTERS: { value: EscalationQueueFilter; label: string; empty: string }[] = [
  { value: "unclaimed", label: "Unclaimed", empty: "No escalation is waiting for a supervisor." },
  { value: "mine", label: "Claimed by me", empty: "You hold no escalations." },
  { value: "open", label: "All open", empty: "No open escalations." },
];

export default async function SupervisorPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor("supervisor");
  const filter = escalationQueueFilterSchema.parse((await searchParams).filter);
  const now = await appNow();
  const [queue, staff, delivery] = await Promise.all([escalationQueue(filter, actor.userId, now), reassignableStaff(), outboxStatusCounts()]);
  const current = FILTERS.find((entry) => entry.value === filter)!;
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
                    href={entry.value === "open" ? "/supervisor" : `/supervisor?filter=${entry.value}`}
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
        <EscalationQueue rows={queue.items} meId={actor.userId} staff={staff} emptyText={current.empty} />
      </section>
      <section aria-labelledby="delivery">
        <h2 id="delivery" className="mb-3 text-lg font-semibold">Outgoing messages</h2>
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
