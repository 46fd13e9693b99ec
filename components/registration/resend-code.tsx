"use client";

import { useEffect, useRef, useState } from "react";
import { resendCodeAction } from "@/app/verify/email/actions";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { remainingText } from "@/components/ui/remaining-text";

/**
 * "Send a new code" with the cooldown shown as a live countdown. For screen readers the
 * countdown is plain text (read when reached, never announced every second); the status region
 * announces once, when a new code can be requested. The button stays focusable while waiting
 * (aria-disabled) and says why in its description.
 */
export function ResendCode({
  secondsLeft,
  availableAt,
  onSent,
}: {
  /** Seconds until the next send, as the server computed when it rendered. */
  secondsLeft: number;
  /** The server's time of availability; a new value restarts the countdown. */
  availableAt: string;
  onSent: (maskedEmail: string) => void;
}) {
  const [deadline, setDeadline] = useState<number | null>(null);
  const [remaining, setRemaining] = useState(secondsLeft);
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const counting = useRef(secondsLeft > 0);

  // Counted from this browser's clock, starting from the server's number of seconds (no clock skew).
  useEffect(() => {
    setDeadline(Date.now() + secondsLeft * 1000);
    setRemaining(secondsLeft);
    counting.current = secondsLeft > 0;
    if (secondsLeft > 0) setAnnouncement("");
  }, [secondsLeft, availableAt]);

  useEffect(() => {
    if (deadline === null) return;
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

  const waiting = remaining > 0;

  async function send() {
    if (waiting || sending) return;
    setSending(true);
    setError(null);
    setAnnouncement("");
    try {
      const result = await resendCodeAction({});
      if (result.ok) onSent(result.data.maskedEmail);
      else setError(result.error);
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
          {sending ? "Sending…" : "Send a new code"}
        </button>
        {waiting ? (
          <p id="resend-wait" className="text-sm text-slate-600">
            You can ask for a new code in <span className="font-medium tabular-nums">{remainingText(remaining)}</span>.
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
