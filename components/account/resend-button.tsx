"use client";

import { useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { remainingText } from "@/components/ui/remaining-text";

/**
 * "Send a new code" with the engine's cooldown shown as a countdown. The countdown is plain text
 * (never announced every second); a status region says once when a new code may be requested.
 * The button stays focusable while waiting (aria-disabled) and its description says why.
 */
export function ResendButton({ availableAt, onResend, label = "Send a new code" }: { availableAt: string; onResend: () => Promise<string | null>; label?: string }) {
  const [remaining, setRemaining] = useState(0);
  const [announcement, setAnnouncement] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const counting = useRef(false);

  useEffect(() => {
    const deadline = Date.parse(availableAt);
    counting.current = true;
    setAnnouncement("");
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
  }, [availableAt]);

  const waiting = remaining > 0;
  async function send() {
    if (waiting || sending) return;
    setSending(true);
    setError(null);
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
