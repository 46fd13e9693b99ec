import "server-only";
import Link from "next/link";
import { STATUS_FILTER_LABEL } from "@/features/tickets/queue/components/queue-filters";
import type { QueueCount, QueueCounts } from "@/features/tickets/queue/queue";
import { STATUS_FILTERS, type QueueFilter, queueQueryString, statusesOf } from "@/features/tickets/queue/schemas";

/** "734" when exact, "1,000+" when capped or counted within a bounded scan ("at least"). */
export function formatCount(count: QueueCount): string {
  return `${count.value.toLocaleString("en")}${count.exact ? "" : "+"}`;
}

export function countOf(counts: QueueCounts, status: QueueFilter["status"]): QueueCount {
  const parts = statusesOf(status).map((one) => counts.byStatus[one]);
  return { value: parts.reduce((sum, part) => sum + part.value, 0), exact: parts.every((part) => part.exact) };
}

/** One link per status filter with its count under the other filters; they keep every other filter. */
export function QueueStatusTabs({ filter, counts }: { filter: QueueFilter; counts: QueueCounts }) {
  return (
    <nav aria-label="Tickets by status" className="relative mb-3 overflow-x-auto">
      <ul className="flex min-w-max gap-1 border-b border-slate-200 text-sm">
        {STATUS_FILTERS.map((status) => {
          const current = status === filter.status;
          const count = countOf(counts, status);
          return (
            <li key={status}>
              <Link href={`/console${queueQueryString(filter, { status })}`} aria-current={current ? "page" : undefined} className="queue-tab">
                {STATUS_FILTER_LABEL[status]}
                <span className="queue-tab-count">
                  {formatCount(count)}
                  <span className="sr-only"> tickets</span>
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
