import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/features/accounts/password/components/change-password-form";
import { Panel } from "@/ui/panel";
import { TwoFactorSection } from "@/features/accounts/two-factor/components/two-factor-section";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { PendingChangesPanel } from "@/features/accounts/text-confirmation/components/pending-changes-panel";
import { requirePageActor } from "@/platform/auth/guard";
import { serverEnv } from "@/platform/env";
import { maskEmail, maskPhone } from "@/platform/mask";
import { DevicesSection } from "@/features/accounts/devices/components/devices-section";
import { twoFactorStatus } from "@/features/accounts/two-factor/two-factor";

export const metadata: Metadata = { title: "Password and two-factor sign-in" };

export default async function SecurityPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePageActor("account");
  const status = await twoFactorStatus(actor.userId);
  const required = serverEnv().REQUIRE_STAFF_TWO_FACTOR && actor.role !== "customer";
  const sentHere = (await searchParams).required === "1";
  return (
    <>
      <PageHeader title="Password and two-factor sign-in" description="Keep your account yours: a strong password, and a second step when you sign in." />
      <div className="flex flex-col gap-4">
        <PendingChangesPanel userId={actor.userId} />
        {required && !status.method ? (
          <Alert tone="warning" title={sentHere ? "Turn on two-factor sign-in to continue" : "Two-factor sign-in is required"}>
            This site requires two-factor sign-in for staff accounts. Turn it on below; then the console opens.
          </Alert>
        ) : null}
        {required && status.method && sentHere ? (
          <Alert tone="success" title="Two-factor sign-in is on">
            <Link href="/console" className="font-semibold underline underline-offset-2">
              Continue to the ticket queue
            </Link>
          </Alert>
        ) : null}
        <Panel id="two-factor" title="Two-factor sign-in">
          <TwoFactorSection
            method={status.method}
            recoveryCodesLeft={status.recoveryCodesLeft}
            canTurnOff={!required}
            emailVerified={status.emailVerified}
            maskedEmail={maskEmail(status.email)}
            phoneVerified={status.phoneVerified}
            maskedPhone={status.phoneE164 ? maskPhone(status.phoneE164) : null}
          />
        </Panel>
        <Panel id="password" title="Password" description="Changing it signs out your other devices and emails you a notice.">
          <ChangePasswordForm />
        </Panel>
        <DevicesSection userId={actor.userId} sessionId={actor.sessionId} />
      </div>
    </>
  );
}
