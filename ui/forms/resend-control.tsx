"use client";

import { useEffect, useId, useRef, useState } from "react";
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
 * What a send returns: null when sent, an error message, or a refusal that says until when to
 * wait (an ActionResult refusal fits: `{ error, availableAt }`, availableAt an ISO time).
 */
export type ResendOutcome = string | null | { error: string; availableAt?: string };

/**
 * A send action's result as a ResendOutcome: the sent data goes to `onSent`; a refusal is passed on
 * whole, so its availableAt makes the button count down to it.
 */
export async function resendOutcomeOf<T>(
  sending: Promise<{ ok: true; data: T } | { ok: false; error: string; availableAt?: string }>,
  onSent: (data: T) => void,
): Promise<ResendOutcome> {
  const result = await sending;
  if (!result.ok) return result;
  onSent(result.data);
  return null;
}

/** The later of a deadline and a refusal's availableAt, in ms, or null when there is neither. */
function laterOf(deadline: number | null, refusedUntil: number | null): number | null {
  if (deadline === null) return refusedUntil;
  return refusedUntil === null ? deadline : Math.max(deadline, refusedUntil);
}

/**
 * "Send a new code" while a cooldown runs: the button stays focusable (aria-disabled) and its
 * description says how long to wait; the status region announces once when it may be used.
 * `onResend` returns null, an error message to show, or a refusal with `availableAt` (the
 * server's "please wait N seconds"), after which the button counts down as well.
 */
export function ResendControl({
  deadline,
  initialSeconds,
  onResend,
  label = "Send a new code",
  variant = "secondary",
}: {
  deadline: number | null;
  initialSeconds?: number;
  onResend: () => Promise<ResendOutcome>;
  label?: string;
  variant?: "primary" | "secondary";
}) {
  const [refusedUntil, setRefusedUntil] = useState<number | null>(null);
  const { remaining, announcement, clearAnnouncement } = useResendCountdown(laterOf(deadline, refusedUntil), initialSeconds);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const waitId = useId();
  const waiting = remaining > 0;

  async function send() {
    if (waiting || sending) return;
    setSending(true);
    setError(null);
    clearAnnouncement();
    try {
      const outcome = await onResend();
      if (outcome !== null && typeof outcome === "object") {
        setError(outcome.error);
        const until = outcome.availableAt ? Date.parse(outcome.availableAt) : Number.NaN;
        if (Number.isFinite(until)) setRefusedUntil(until);
      } else {
        setError(outcome);
      }
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
          aria-describedby={waiting ? waitId : undefined}
          className={buttonClasses(variant, waiting || sending ? "cursor-not-allowed opacity-60" : "")}
        >
          {sending ? "Sending…" : label}
        </button>
        {waiting ? (
          <p id={waitId} className="text-sm text-slate-600">
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
