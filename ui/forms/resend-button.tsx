"use client";

import { useMemo } from "react";
import { ResendControl, type ResendOutcome } from "@/ui/forms/resend-control";

/** "Send a new code" counting down to the engine's `availableAt` (an ISO time from the server's answer, or after a refusal). */
export function ResendButton({ availableAt, onResend, label }: { availableAt: string; onResend: () => Promise<ResendOutcome>; label?: string }) {
  const deadline = useMemo(() => Date.parse(availableAt), [availableAt]);
  return <ResendControl deadline={deadline} onResend={onResend} label={label} />;
}
