"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";

/** Fired by the notifications page after marking read, so the bell follows without a reload. */
export const NOTIFICATIONS_CHANGED_EVENT = "veridesk:notifications-changed";
/** How often an open page asks for the count (cheap: one indexed count). */
const REFRESH_MS = 30_000;

export function bellLabel(unread: number): string {
  return unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
}

/**
 * The staff console's bell: a link to the notifications page whose name says the unread count
 * ("Notifications, 3 unread"). The header sits in the root layout, which client navigation does
 * not render again, so the count is fetched again on each later page, every 30 s, and when the
 * notifications page says it changed.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  const pathname = usePathname();
  // The first page's count came with it from the server: no second request for it.
  const firstPage = useRef(true);

  useEffect(() => setUnread(initialUnread), [initialUnread]);

  useEffect(() => {
    let cancelled = false;
    const refresh = async () => {
      try {
        const response = await fetch("/api/notifications/unread", { cache: "no-store" });
        if (!response.ok) return;
        const body = (await response.json()) as { unread?: unknown };
        if (!cancelled && typeof body.unread === "number") setUnread(body.unread);
      } catch {
        // Offline for a moment: the next tick tries again.
      }
    };
    if (firstPage.current) firstPage.current = false;
    else void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    const onChanged = (event: Event) => {
      const detail = (event as CustomEvent<{ unread?: number }>).detail;
      if (typeof detail?.unread === "number") setUnread(detail.unread);
      else void refresh();
    };
    window.addEventListener(NOTIFICATIONS_CHANGED_EVENT, onChanged);
    return () => {
      cancelled = true;
      clearInterval(timer);
      window.removeEventListener(NOTIFICATIONS_CHANGED_EVENT, onChanged);
    };
  }, [pathname]);

  return (
    <Link
      href="/console/notifications"
      aria-label={bellLabel(unread)}
      className="relative inline-flex h-9 w-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {unread > 0 ? (
        <span
          aria-hidden="true"
          className="absolute -top-0.5 -right-0.5 min-w-[1.15rem] rounded-full bg-red-600 px-1 text-center text-[11px] font-bold leading-[1.15rem] text-white"
        >
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
