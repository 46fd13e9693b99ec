import { z } from "zod";
import { toStorableText, truncateText } from "@/platform/text/schemas";
import type { IdentityBadge } from "@/features/identity/ticket-identity";
import type { TicketChannel, TicketPriority, TicketStatus } from "@/platform/db/generated/prisma/enums";

/**
 * The agent queue's filter input: ONE schema for the page's URL search params (a GET form, so
 * filtered views are shareable links and the back button works), for features/tickets/queue/queue.ts and for
 * the tests. Unknown or malformed values fall back to their defaults instead of failing, because a
 * hand-edited or outdated link should still show a queue.
 */

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const satisfies readonly TicketStatus[];
/** "Open work": everything an agent still has to act on or wait for. */
export const ACTIVE_STATUSES = ["new", "open", "pending", "on_hold"] as const satisfies readonly TicketStatus[];
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const satisfies readonly TicketPriority[];
export const TICKET_CHANNELS = ["web", "email", "phone", "chat"] as const satisfies readonly TicketChannel[];
export const IDENTITY_BADGES = ["verified", "partially_verified", "unverified", "mismatch", "bouncing"] as const satisfies readonly IdentityBadge[];

export const STATUS_FILTERS = ["active", ...TICKET_STATUSES, "all"] as const;
export const PRIORITY_FILTERS = ["any", ...TICKET_PRIORITIES] as const;
export const ASSIGNEE_FILTERS = ["anyone", "me", "unassigned"] as const;
export const CHANNEL_FILTERS = ["any", ...TICKET_CHANNELS] as const;
export const IDENTITY_FILTERS = ["any", ...IDENTITY_BADGES] as const;
export const ENTITLEMENT_FILTERS = ["any", "valid", "none"] as const;
/**
 * updated: last activity, newest first (the default: what moved recently);
 * oldest / newest: by age (creation time); priority: most urgent first, oldest first within a priority.
 * No relevance sort for searches: ranking needs every match scored before the first row can be
 * shown (unbounded work for a common word), while these orders come straight from indexes.
 */
export const QUEUE_SORTS = ["updated", "oldest", "newest", "priority"] as const;

export const SEARCH_MAX_LENGTH = 200;
/** Cursors are a few dozen bytes; anything longer is not one of ours. */
const CURSOR_MAX_LENGTH = 300;

/** One value of a search param: the first when repeated, absent when empty. */
const single = (value: unknown) => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" && first !== "" ? first : undefined;
};

function choice<const T extends readonly [string, ...string[]]>(values: T) {
  const allowed = new Set<string>(values);
  return z
    .unknown()
    .optional()
    .transform((raw): T[number] => {
      const value = single(raw);
      return value !== undefined && allowed.has(value) ? value : values[0];
    });
}

const cursorParam = z
  .unknown()
  .optional()
  .transform((raw): string | undefined => {
    const value = single(raw);
    return value !== undefined && value.length <= CURSOR_MAX_LENGTH && /^[A-Za-z0-9_-]+$/.test(value) ? value : undefined;
  });

export const queueFilterSchema = z.object({
  status: choice(STATUS_FILTERS),
  priority: choice(PRIORITY_FILTERS),
  assignee: choice(ASSIGNEE_FILTERS),
  channel: choice(CHANNEL_FILTERS),
  identity: choice(IDENTITY_FILTERS),
  entitlement: choice(ENTITLEMENT_FILTERS),
  sort: choice(QUEUE_SORTS),
  /** Full-text search over subject, message bodies (notes too) and requester name/address. */
  q: z
    .unknown()
    .optional()
    .transform((raw) =>
      truncateText(
        toStorableText(single(raw) ?? "")
          .replace(/\s+/g, " ")
          .trim(),
        SEARCH_MAX_LENGTH,
        "",
      ),
    ),
  /** Keyset cursors (opaque, from features/tickets/queue/queue.ts): the page after / before that row. */
  after: cursorParam,
  before: cursorParam,
});

export type QueueFilter = z.output<typeof queueFilterSchema>;
export type QueueFilterInput = z.input<typeof queueFilterSchema>;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Parses Next.js `searchParams` (or any record of strings) into a complete filter. Never throws. */
export function parseQueueFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): QueueFilter {
  const record = params instanceof URLSearchParams ? Object.fromEntries(params.entries()) : params;
  return queueFilterSchema.parse(record);
}

export const DEFAULT_QUEUE_FILTER: QueueFilter = parseQueueFilter({});

/**
 * The URL query of a filter, leaving out defaults and empty values so links stay short.
 * `changes` overrides fields; moving to another filter drops the cursors unless given.
 */
export function queueQueryString(filter: QueueFilter, changes: Partial<QueueFilter> = {}): string {
  const next: QueueFilter = { ...filter, after: undefined, before: undefined, ...changes };
  const params = new URLSearchParams();
  for (const key of ["q", "status", "priority", "assignee", "channel", "identity", "entitlement", "sort", "after", "before"] as const) {
    const value = next[key];
    if (value === undefined || value === "" || value === DEFAULT_QUEUE_FILTER[key]) continue;
    params.set(key, value);
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}

export function statusesOf(status: StatusFilter): readonly TicketStatus[] {
  if (status === "active") return ACTIVE_STATUSES;
  if (status === "all") return TICKET_STATUSES;
  return [status];
}
