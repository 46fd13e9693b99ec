"use client";

import { useState } from "react";
import { startVerificationAction } from "@/features/accounts/registration/verify-email-actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

/** A signed-in customer without a pending registration in this browser asks for a code. */
export function StartVerification({ maskedEmail }: { maskedEmail: string }) {
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function start() {
    setSending(true);
    setError(null);
    const result = await startVerificationAction({});
    // On success the page shows the code form (the action set the registration cookie).
    if (!result.ok) setError(result.error);
    setSending(false);
  }

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">
        Your account&apos;s address is <strong className="break-all text-slate-900">{maskedEmail}</strong>. We&apos;ll send a 6-digit code there; enter it on
        the next screen, or open the link in the email.
      </p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div>
        <Button onClick={start} disabled={sending}>
          {sending ? "Sending…" : "Send me a code"}
        </Button>
      </div>
    </div>
  );
}
