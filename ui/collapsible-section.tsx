"use client";

import { type ReactNode, useEffect, useRef } from "react";

/** Below Tailwind's lg breakpoint the ticket page is one column: secondary sections start folded there. */
const ONE_COLUMN = "(max-width: 1023.98px)";

/**
 * A section that folds behind its title (native <details>/<summary>: keyboard and screen readers
 * know it as a disclosure without any ARIA of ours). Rendered open, so the desktop page never
 * changes after loading; on a one-column screen it folds once on mount, so the reply box and the
 * ticket controls come first. After that it is the person's to open and close.
 */
export function CollapsibleSection({ title, summaryNote, children, testId }: { title: string; summaryNote?: ReactNode; children: ReactNode; testId?: string }) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (details.current && window.matchMedia(ONE_COLUMN).matches) details.current.open = false;
  }, []);
  return (
    <details ref={details} open className="group" data-testid={testId}>
      <summary className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white px-4 py-2.5 text-sm font-semibold text-slate-800 shadow-sm hover:bg-slate-50 [&::-webkit-details-marker]:hidden">
        <span className="flex min-w-0 flex-wrap items-center gap-2">
          {title}
          {summaryNote}
        </span>
        <span aria-hidden="true" className="text-slate-500 transition-transform group-open:rotate-180">
          ▾
        </span>
      </summary>
      <div className="mt-3 flex flex-col gap-6">{children}</div>
    </details>
  );
}
