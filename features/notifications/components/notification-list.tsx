"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import type { NotificationKind } from "@/platform/db/generated/prisma/enums";
import { formatRelative } from "@/platform/text/durations";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { Button } from "@/ui/button";
import { markAllRead, markRead } from "@/features/notifications/actions";
import { NOTIFICATIONS_CHANGED_EVENT } from "@/features/notifications/components/notification-bell";

export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  summary: string;
  createdAt: string;
  read: boolean;
  ticketHref: string;
  ticketReference: string;
}

const KIND_TEXT: Record<NotificationKind, string> = {
  ticket_assigned: "Assigned",
  customer_replied: "Customer replied",
  escalation_raised: "Escalation",
  sla_breached: "SLA missed",
};

function announceUnread(unread: number) {
  window.dispatchEvent(new CustomEvent(NOTIFICATIONS_CHANGED_EVENT, { detail: { unread } }));
}

/** The list, newest first; each unread one can be marked read, or all at once. */
export function NotificationList({ notifications, now }: { notifications: NotificationItem[]; now: string }) {
  const router = useRouter();
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const heading = useRef<HTMLHeadingElement>(null);
  const isRead = (item: NotificationItem) => item.read || readIds.has(item.id);
  const unread = notifications.filter((item) => !isRead(item));

  const markOne = (item: NotificationItem, index: number) =>
    startTransition(async () => {
      setError(null);
      const result = await markRead({ notificationId: item.id });
      if (!result.ok) return setError(result.error);
      setReadIds((ids) => new Set([...ids, item.id]));
      setStatus(`Marked “${item.summary}” as read.`);
      announceUnread(result.data.unread);
      // Focus moves to the next unread item's button, or the list's heading: never lost on <body>.
      const next = document.querySelector<HTMLButtonElement>(`[data-mark-read-index]:not([data-mark-read-index="${index}"])`);
      (next ?? heading.current)?.focus();
      router.refresh();
    });

  const markEvery = () =>
    startTransition(async () => {
      setError(null);
      const result = await markAllRead({});
      if (!result.ok) return setError(result.error);
      setReadIds(new Set(notifications.map((item) => item.id)));
      setStatus(result.data.marked === 1 ? "Marked 1 notification as read." : `Marked ${result.data.marked} notifications as read.`);
      announceUnread(0);
      heading.current?.focus();
      router.refresh();
    });

  return (
    <section aria-labelledby="notification-list-heading" className="rounded-xl border border-slate-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-5">
        <h2 id="notification-list-heading" ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900">
          {unread.length === 0 ? "Nothing unread" : unread.length === 1 ? "1 unread" : `${unread.length} unread`}
        </h2>
        {unread.length > 0 ? (
          <Button variant="secondary" onClick={markEvery} disabled={pending}>
            Mark all as read
          </Button>
        ) : null}
      </div>
      <div className="px-4 pt-3 sm:px-5" aria-live="polite">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <p className="sr-only" role="status">
          {status}
        </p>
      </div>
      {notifications.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600 sm:px-5">
          No notifications yet. You will find here tickets assigned to you and customers' replies on them.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {notifications.map((item, index) => (
            <li
              key={item.id}
              className={`flex flex-col gap-2 px-4 py-3 sm:flex-row sm:items-center sm:justify-between sm:px-5 ${isRead(item) ? "" : "bg-brand-50/40"}`}
            >
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                  <Badge tone={isRead(item) ? "neutral" : "info"}>{KIND_TEXT[item.kind]}</Badge>
                  <time dateTime={item.createdAt} title={`${item.createdAt.slice(0, 16).replace("T", " ")} UTC`}>
                    {formatRelative(new Date(item.createdAt), new Date(now))}
                  </time>
                  {isRead(item) ? null : <span className="sr-only">Unread.</span>}
                </p>
                <Link
                  href={item.ticketHref}
                  className={`mt-1 block [overflow-wrap:anywhere] text-sm hover:underline ${isRead(item) ? "text-slate-700" : "font-semibold text-slate-900"}`}
                >
                  {item.summary}
                </Link>
              </div>
              {isRead(item) ? null : (
                <Button
                  variant="ghost"
                  className="self-start sm:self-center"
                  data-mark-read-index={index}
                  onClick={() => markOne(item, index)}
                  disabled={pending}
                  aria-label={`Mark as read: ${item.summary}`}
                >
                  Mark read
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
