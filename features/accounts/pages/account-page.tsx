import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { Panel } from "@/ui/panel";
import { Badge } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";
import { loadOwnAccountOrThrow } from "@/features/accounts/own-account";
import { formatPhoneForDisplay } from "@/platform/phone-display";
import { NotificationPreferencesPanel } from "@/features/notifications/components/notification-preferences";
import { TimeZoneSection } from "@/features/accounts/time-zone/components/time-zone-section";
import { PendingChangesPanel } from "@/features/accounts/text-confirmation/components/pending-changes-panel";
import { PostalAddressForm } from "@/features/accounts/postal-address/components/postal-address-form";
import { isSmsOptedOut } from "@/platform/outbox/sms-opt-outs";
import { OPTED_OUT_WORDS } from "@/features/accounts/text-confirmation/pending-changes";
import { SurveyPreference } from "@/features/satisfaction/components/survey-preference";
import { surveysWanted } from "@/features/satisfaction/surveys";

export const metadata: Metadata = { title: "Your account" };

const METHOD_TEXT = { totp: "Authenticator app", email: "Codes by email", sms: "Codes by text message" } as const;
const linkClass = "font-semibold text-brand-700 underline-offset-2 hover:underline";

export default async function AccountPage() {
  const actor = await requirePageActor("account");
  const user = await loadOwnAccountOrThrow(actor);
  const optedOut = user.phoneE164 ? await isSmsOptedOut(user.phoneE164) : false;
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${actor.name}. How you sign in, and how we reach you.`} />
      <div className="flex flex-col gap-4">
        <PendingChangesPanel userId={actor.userId} />
        <Panel id="account-email" title="Email address">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="flex flex-wrap items-center gap-2 break-all">
              <span className="font-medium">{user.email}</span>
              <Badge tone={user.emailVerifiedAt ? "good" : "warn"}>{user.emailVerifiedAt ? "Verified" : "Not verified"}</Badge>
            </p>
            <Link href="/account/email" className={linkClass}>
              Change email address
            </Link>
          </div>
        </Panel>
        <Panel id="account-phone" title="Mobile number">
          <div className="flex flex-wrap items-center justify-between gap-3">
            {user.phoneE164 ? (
              <p className="flex flex-wrap items-center gap-2">
                <span className="font-medium tabular-nums">{formatPhoneForDisplay(user.phoneE164)}</span>
                <Badge tone={user.phoneVerifiedAt ? "good" : "warn"}>{user.phoneVerifiedAt ? "Verified" : "Not verified"}</Badge>
                {optedOut ? <Badge tone="warn">Replied STOP</Badge> : null}
              </p>
            ) : (
              <p className="text-slate-600">No mobile number yet.</p>
            )}
            {optedOut ? <p className="w-full text-sm text-slate-600">{OPTED_OUT_WORDS}</p> : null}
            <Link href="/account/phone" className={linkClass}>
              {!user.phoneE164 ? "Add a mobile number" : user.phoneVerifiedAt ? "Change mobile number" : "Verify your mobile number"}
            </Link>
          </div>
        </Panel>
        <Panel id="account-security" title="Password and two-factor sign-in">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="flex flex-wrap items-center gap-2">
              <span>Two-factor sign-in:</span>
              <Badge tone={user.twoFactorMethod ? "good" : "neutral"}>{user.twoFactorMethod ? `On · ${METHOD_TEXT[user.twoFactorMethod]}` : "Off"}</Badge>
            </p>
            <Link href="/account/security" className={linkClass}>
              Manage password and two-factor
            </Link>
          </div>
        </Panel>
        {actor.role === "customer" ? (
          <Panel id="account-address" title="Postal address">
            <PostalAddressForm address={user.postalAddress ?? ""} textConfirmed={user.phoneVerifiedAt !== null && !optedOut} />
          </Panel>
        ) : null}
        {actor.role === "customer" ? (
          <Panel id="account-surveys" title="Satisfaction surveys" description="After we solve a ticket, we email you one question: was our help good or bad?">
            <SurveyPreference surveys={await surveysWanted(actor.userId)} />
          </Panel>
        ) : null}
        <NotificationPreferencesPanel actor={actor} />
        <TimeZoneSection userId={actor.userId} />
      </div>
    </>
  );
}
