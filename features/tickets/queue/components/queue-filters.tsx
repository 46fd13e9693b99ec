import "server-only";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/ui/button";
import { IDENTITY_BADGE_LABEL } from "@/features/identity/ticket-identity";
import { CHANNEL_LABEL, PRIORITY_LABEL, STATUS_LABEL } from "@/features/tickets/labels";
import {
  ASSIGNEE_FILTERS,
  CHANNEL_FILTERS,
  ENTITLEMENT_FILTERS,
  IDENTITY_FILTERS,
  PRIORITY_FILTERS,
  QUEUE_SORTS,
  SEARCH_MAX_LENGTH,
  STATUS_FILTERS,
  type QueueFilter,
} from "@/features/tickets/queue/schemas";

export const STATUS_FILTER_LABEL: Record<QueueFilter["status"], string> = { active: "Open work", all: "All statuses", ...STATUS_LABEL };
const PRIORITY_FILTER_LABEL: Record<QueueFilter["priority"], string> = { any: "Any priority", ...PRIORITY_LABEL };
const ASSIGNEE_FILTER_LABEL: Record<QueueFilter["assignee"], string> = { anyone: "Anyone", me: "Me", unassigned: "Unassigned" };
const CHANNEL_FILTER_LABEL: Record<QueueFilter["channel"], string> = { any: "Any channel", ...CHANNEL_LABEL };
const IDENTITY_FILTER_LABEL: Record<QueueFilter["identity"], string> = { any: "Any", ...IDENTITY_BADGE_LABEL };
const ENTITLEMENT_FILTER_LABEL: Record<QueueFilter["entitlement"], string> = { any: "Any", valid: "Valid agreement", none: "No valid agreement" };
export const SORT_LABEL: Record<QueueFilter["sort"], string> = {
  updated: "Last activity",
  oldest: "Oldest first",
  newest: "Newest first",
  priority: "Priority, then oldest",
};

function Select<T extends string>({
  name,
  label,
  value,
  options,
  labels,
}: {
  name: string;
  label: string;
  value: T;
  options: readonly T[];
  labels: Record<T, string>;
}) {
  const id = `queue-${name}`;
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className="queue-select">
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The queue's filters as a plain GET form: the URL holds the whole view, so it can be shared,
 * bookmarked and walked back with the browser's Back button. Works without JavaScript.
 */
export function QueueFilters({ filter, children }: { filter: QueueFilter; children?: ReactNode }) {
  return (
    <form method="get" action="/console" role="search" aria-label="Filter the queue" className="mb-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-col gap-1">
        <label htmlFor="queue-q" className="field-label">
          Search
        </label>
        <p id="queue-q-hint" className="text-xs text-slate-600">
          Words from the subject, any message or note, or the requester&apos;s name or address. &quot;Quotes&quot; for a phrase, -word to leave out.
        </p>
        <input
          id="queue-q"
          name="q"
          type="search"
          defaultValue={filter.q}
          maxLength={SEARCH_MAX_LENGTH}
          aria-describedby="queue-q-hint"
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm"
        />
      </div>
      <div className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
        <Select name="status" label="Status" value={filter.status} options={STATUS_FILTERS} labels={STATUS_FILTER_LABEL} />
        <Select name="priority" label="Priority" value={filter.priority} options={PRIORITY_FILTERS} labels={PRIORITY_FILTER_LABEL} />
        <Select name="assignee" label="Assignee" value={filter.assignee} options={ASSIGNEE_FILTERS} labels={ASSIGNEE_FILTER_LABEL} />
        <Select name="channel" label="Channel" value={filter.channel} options={CHANNEL_FILTERS} labels={CHANNEL_FILTER_LABEL} />
        <Select name="identity" label="Identity" value={filter.identity} options={IDENTITY_FILTERS} labels={IDENTITY_FILTER_LABEL} />
        <Select name="entitlement" label="Entitlement" value={filter.entitlement} options={ENTITLEMENT_FILTERS} labels={ENTITLEMENT_FILTER_LABEL} />
        <Select name="sort" label="Sort by" value={filter.sort} options={QUEUE_SORTS} labels={SORT_LABEL} />
      </div>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClasses("primary")}>
          Apply filters
        </button>
        <Link href="/console" className={buttonClasses("ghost")}>
          Reset filters
        </Link>
        {children}
      </div>
    </form>
  );
}
