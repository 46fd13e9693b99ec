import "server-only";
import { buttonClasses } from "@/ui/button";
import Link from "next/link";
import { type QueueFilter, queueQueryString } from "@/features/tickets/queue/schemas";
import type { QueuePage } from "@/features/tickets/queue/queue";

/** Previous / next page links that keep the filters; the cursors are opaque keys of the edge rows. */
export function QueuePagination({ filter, page }: { filter: QueueFilter; page: QueuePage }) {
  if (!page.previousCursor && !page.nextCursor) return null;
  return (
    <nav aria-label="Pages of the queue" className="mt-4 flex items-center justify-between gap-3">
      {page.previousCursor ? (
        <Link href={`/console${queueQueryString(filter, { before: page.previousCursor })}`} className={buttonClasses("secondary")} rel="prev">
          ← Previous page
        </Link>
      ) : (
        <span />
      )}
      {page.nextCursor ? (
        <Link href={`/console${queueQueryString(filter, { after: page.nextCursor })}`} className={buttonClasses("secondary")} rel="next">
          Next page →
        </Link>
      ) : null}
    </nav>
  );
}
