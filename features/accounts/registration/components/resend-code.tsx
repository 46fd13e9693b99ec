"use client";

import { useEffect, useState } from "react";
import { resendCodeAction } from "@/features/accounts/registration/verify-email-actions";
import { ResendControl, resendOutcomeOf } from "@/ui/forms/resend-control";

/**
 * The registration page's "Send a new code". The page is server-rendered, so the wait comes as a
 * number of seconds and is counted from this browser's clock (no clock skew); a new `availableAt`
 * restarts it.
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
  useEffect(() => setDeadline(Date.now() + secondsLeft * 1000), [secondsLeft, availableAt]);

  return (
    <ResendControl
      deadline={deadline}
      initialSeconds={secondsLeft}
      onResend={() => resendOutcomeOf(resendCodeAction({}), (sent) => onSent(sent.maskedEmail))}
    />
  );
}
