"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { forgetDeviceAction, signOutEverywhereElseAction, signOutSessionAction } from "@/features/accounts/devices/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

type Target = { kind: "session"; id: string } | { kind: "device"; id: string } | { kind: "others" };

/** One button of the security page's devices and sessions (end a session, forget a browser, end all others); its outcome is announced (role=status / alert). */
export function SignOutButton({ target, label, accessibleName }: { target: Target; label: string; accessibleName: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function run() {
    setPending(true);
    const result =
      target.kind === "session"
        ? await signOutSessionAction({ sessionId: target.id })
        : target.kind === "device"
          ? await forgetDeviceAction({ deviceId: target.id })
          : await signOutEverywhereElseAction({});
    setPending(false);
    if (!result.ok) return setOutcome({ ok: false, text: result.error });
    setOutcome({ ok: true, text: result.data.message });
    // Forgetting the browser in use ends this session too: leave through the ordinary sign-out.
    if ("signedOutHere" in result.data && result.data.signedOutHere) return void signOut({ callbackUrl: "/signin?signedOut=1" });
    router.refresh();
  }

  return (
    <div className="flex flex-col items-start gap-2">
      <Button variant="secondary" disabled={pending} onClick={run} aria-label={accessibleName}>
        {pending ? "Working…" : label}
      </Button>
      {outcome ? (
        <div role={outcome.ok ? "status" : "alert"}>
          <Alert tone={outcome.ok ? "success" : "error"}>{outcome.text}</Alert>
        </div>
      ) : null}
    </div>
  );
}
