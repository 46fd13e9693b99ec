"use client";

import { useEffect, useRef, useState } from "react";
import { Alert } from "@/ui/alert";
import { buttonClasses } from "@/ui/button";
import { formatDuration } from "@/platform/text/durations";

/**
 * Counts down to `deadline` (this browser's clock, in ms; null = nothing to wait for). The
 * countdown is plain text, never announced every second; `announcement` says once that a new code
 * may be requested.
 */
export function useResendCountdown(
  deadline: number | null,
  /** What to show before the deadline is known (server rendering): the server's number of seconds. */
  initialSeconds = 0,
): { remaining: number; announcement: string; clearAnnouncement: () => void } {
  const [remaining, setRemaining] = useState(() => (deadline === null ? initialSeconds : Math.max(0, Math.ceil((deadline - Date.now()) / 1000))));
  const [announcement, setAnnouncement] = useState("");
  const counting = useRef(false);

  useEffect(() => {
    if (deadline === null) return;
    counting.current = deadline > Date.now();
    if (counting.current) setAnnouncement("");
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setRemaining(left);
      if (left === 0 && counting.current) {
        counting.current = false;
        setAnnouncement("You can now ask for a new code.");
      }
    };
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [deadline]);

  return { remaining, announcement, clearAnnouncement: () => setAnnouncement("") };
}

/**
 * "Send a new code" while a cooldown runs: the button stays focusable (aria-disabled) and its
 * description says how long to wait; the status region announces once when it may be used.
 * `onResend` returns an error message to show, or null.
 */
export function ResendControl({
  deadline,
  initialSeconds,
  onResend,
  label = "Send a new code",
}: {
  deadline: number | null;
  initialSeconds?: number;
  onResend: () => Promise<string | null>;
  label?: string;
}) {
  const { remaining, announcement, clearAnnouncement } = useResendCountdown(deadline, initialSeconds);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const waiting = remaining > 0;

  async function send() {
    if (waiting || sending) return;
    setSending(true);
    setError(null);
    clearAnnouncement();
    try {
      setError(await onResend());
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={send}
          aria-disabled={waiting || sending}
          aria-describedby={waiting ? "resend-wait" : undefined}
          className={buttonClasses("secondary", waiting || sending ? "cursor-not-allowed opacity-60" : "")}
        >
          {sending ? "Sending…" : label}
        </button>
        {waiting ? (
          <p id="resend-wait" className="text-sm text-slate-600">
            You can ask for a new code in <span className="font-medium tabular-nums">{formatDuration(remaining, { style: "words", round: "up" })}</span>.
          </p>
        ) : null}
      </div>
      <p role="status" className="sr-only">
        {announcement}
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
