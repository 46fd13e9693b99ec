"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { RecoveryCodes } from "@/features/accounts/two-factor/components/recovery-codes";
import { TwoFactorManage } from "@/features/accounts/two-factor/components/two-factor-manage";
import { TwoFactorSetup } from "@/features/accounts/two-factor/components/two-factor-setup";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";

const METHOD_TEXT = { totp: "an authenticator app", email: "codes by email", sms: "codes by text message" } as const;

/**
 * The two-factor part of the security page. It keeps freshly made recovery codes on screen until
 * the person confirms they saved them, even while the page's server data refreshes underneath.
 */
export function TwoFactorSection(props: {
  method: "totp" | "email" | "sms" | null;
  recoveryCodesLeft: number;
  canTurnOff: boolean;
  emailVerified: boolean;
  maskedEmail: string;
  phoneVerified: boolean;
  maskedPhone: string | null;
}) {
  const router = useRouter();
  const [codes, setCodes] = useState<{ list: string[]; justTurnedOn: boolean } | null>(null);
  const on = props.method !== null || codes?.justTurnedOn === true;

  return (
    <div className="flex flex-col gap-4">
      <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <Badge tone={on ? "good" : "neutral"}>{on ? "On" : "Off"}</Badge>
        {props.method
          ? `You sign in with your password and ${METHOD_TEXT[props.method]}. ${props.recoveryCodesLeft} of 10 recovery codes left.`
          : on
            ? "Two-factor sign-in is on."
            : "With it on, a stolen password alone cannot open your account."}
      </p>
      {codes ? (
        <>
          {codes.justTurnedOn ? <Alert tone="success">Two-factor sign-in is on. Save your recovery codes before you go on.</Alert> : null}
          <RecoveryCodes codes={codes.list} onDone={() => setCodes(null)} />
        </>
      ) : props.method ? (
        <TwoFactorManage
          canTurnOff={props.canTurnOff}
          onNewCodes={(list) => {
            setCodes({ list, justTurnedOn: false });
            router.refresh();
          }}
        />
      ) : (
        <TwoFactorSetup
          emailVerified={props.emailVerified}
          maskedEmail={props.maskedEmail}
          phoneVerified={props.phoneVerified}
          maskedPhone={props.maskedPhone}
          onTurnedOn={(list) => {
            setCodes({ list, justTurnedOn: true });
            router.refresh();
          }}
        />
      )}
    </div>
  );
}
