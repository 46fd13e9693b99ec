"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { sendTestEmail } from "@/features/reporting/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

export function TestEmailButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  return (
    <div className="flex flex-col items-start gap-3">
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const response = await sendTestEmail({});
            setResult(
              response.ok
                ? { tone: "success", text: `Test email queued for ${response.data.to}. It appears under "sent" once delivered.` }
                : { tone: "error", text: response.error },
            );
            // The counts above come from the server; show the new queued/sent figures.
            router.refresh();
          })
        }
      >
        {pending ? "Queueing…" : "Send a test email to myself"}
      </Button>
      {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
    </div>
  );
}
