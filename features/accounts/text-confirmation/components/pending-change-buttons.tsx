"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { cancelPendingChangeAction, resendConfirmationTextAction } from "@/features/accounts/text-confirmation/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

/** "Text me again" and "Cancel this change" for one change waiting for a text answer; the outcome is announced. */
export function PendingChangeButtons({ pendingChangeId, what, cancellable }: { pendingChangeId: string; what: string; cancellable: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState<"resend" | "cancel" | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const cancelledNotice = useRef<HTMLDivElement>(null);
  // The pressed button is gone: focus moves to what replaced it, so keyboard users are not dropped to the page's top.
  useEffect(() => {
    if (cancelled) cancelledNotice.current?.focus();
  }, [cancelled]);

  async function run(kind: "resend" | "cancel") {
    setPending(kind);
    const result = kind === "resend" ? await resendConfirmationTextAction({ pendingChangeId }) : await cancelPendingChangeAction({ pendingChangeId });
    setPending(null);
    setOutcome(result.ok ? { ok: true, text: result.data.message } : { ok: false, text: result.error });
    // A cancelled change stays listed with its message until the next visit: refreshing would remove it, and the announcement with it.
    if (result.ok && kind === "cancel") setCancelled(true);
    else if (result.ok) router.refresh();
  }

  if (cancelled && outcome)
    return (
      <div ref={cancelledNotice} tabIndex={-1} className="outline-none">
        <Alert tone="success">{outcome.text}</Alert>
      </div>
    );

  return (
    <div className="flex flex-col items-start gap-2">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={pending !== null} onClick={() => run("resend")} aria-label={`Text me a new code: ${what}`}>
          {pending === "resend" ? "Sending…" : "Text me a new code"}
        </Button>
        {cancellable ? (
          <Button variant="ghost" disabled={pending !== null} onClick={() => run("cancel")} aria-label={`Cancel this change: ${what}`}>
            {pending === "cancel" ? "Cancelling…" : "Cancel this change"}
          </Button>
        ) : null}
      </div>
      {outcome ? <Alert tone={outcome.ok ? "success" : "error"}>{outcome.text}</Alert> : null}
    </div>
  );
}
