"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { newRecoveryCodesAction, turnOffTwoFactorAction } from "@/features/accounts/security-actions";
import { passwordOnlySchema } from "@/features/accounts/two-factor/schemas";
import { Alert } from "@/ui/alert";
import { PasswordConfirm } from "@/ui/forms/password-confirm";

/** With two-factor sign-in on: new recovery codes, and turning it off (both need the password). */
export function TwoFactorManage({ canTurnOff, onNewCodes }: { canTurnOff: boolean; onNewCodes: (recoveryCodes: string[]) => void }) {
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="grid gap-6 md:grid-cols-2">
      {notice ? (
        <div className="md:col-span-2">
          <Alert tone="info">{notice}</Alert>
        </div>
      ) : null}
      <PasswordConfirm
        title="New recovery codes"
        description="Makes 10 new codes. The old ones stop working."
        button="Make new recovery codes"
        busy="Making codes…"
        variant="secondary"
        schema={passwordOnlySchema}
        action={newRecoveryCodesAction}
        onDone={(data) => onNewCodes(data.recoveryCodes)}
      />
      {canTurnOff ? (
        <PasswordConfirm
          title="Turn off two-factor sign-in"
          description="Signing in will take only your password. We email you a notice."
          button="Turn off two-factor sign-in"
          busy="Turning off…"
          variant="danger"
          schema={passwordOnlySchema}
          action={turnOffTwoFactorAction}
          onDone={(data) => {
            setNotice(data.pendingMessage);
            router.refresh();
          }}
        />
      ) : (
        <Alert tone="info">This site requires two-factor sign-in for staff accounts, so it cannot be turned off.</Alert>
      )}
    </div>
  );
}
