"use client";

import { useState } from "react";
import { disputeChangeAction } from "@/features/accounts/freeze/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

/** The one button of the "this wasn't me" page: a POST, never the link's GET (mail scanners open links). */
export function DisputeForm({ token, what }: { token: string; what: string }) {
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ tone: "success" | "error"; title?: string; text: string } | null>(null);

  if (result?.tone === "success") {
    return (
      <Alert tone="success" title={result.title}>
        {result.text}
      </Alert>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {result ? <Alert tone="error">{result.text}</Alert> : null}
      <div>
        <Button
          variant="danger"
          disabled={pending}
          onClick={async () => {
            setPending(true);
            const answer = await disputeChangeAction({ token });
            setPending(false);
            if (!answer.ok) return setResult({ tone: "error", text: answer.error });
            setResult({
              tone: "success",
              title: "Your account is frozen",
              text: answer.data.alreadyDisputed
                ? "This change was already reported. Your account stays frozen until our staff have reviewed it."
                : answer.data.kind === "device"
                  ? "Nobody can sign in to it now and every device is signed out. Our support staff have been alerted and will contact you to set a new password."
                  : `Nobody can sign in to it now. ${answer.data.reverted ? `Your previous ${what} is back on the account.` : `Our staff will put your previous ${what} back.`} Our support staff have been alerted and will contact you.`,
            });
          }}
        >
          {pending ? "Freezing…" : "Freeze my account"}
        </Button>
      </div>
    </div>
  );
}
