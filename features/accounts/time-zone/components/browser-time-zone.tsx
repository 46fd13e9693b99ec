"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { defaultTimeZoneAction } from "@/features/accounts/time-zone/actions";

/**
 * Rendered (by the root layout) only for a signed-in person without a time zone: sends the
 * browser's zone once, then re-renders the page so its times are in that zone. A zone the server
 * does not list is refused by the schema and the person stays on UTC until they choose one.
 */
export function BrowserTimeZone() {
  const router = useRouter();
  useEffect(() => {
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!timeZone) return;
    let cancelled = false;
    void defaultTimeZoneAction({ timeZone }).then((result) => {
      if (!cancelled && result.ok && result.data.set) router.refresh();
    });
    return () => {
      cancelled = true;
    };
  }, [router]);
  return null;
}
