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

export const metadata: Metadata = { title: "Your account" };

const METHOD_TEXT = { totp: "Authenticator app", email: "Codes by email", sms: "Codes by text message" } as const;
const linkClass = "font-semibold text-brand-700 underline-offset-2 hover:underline";

export default async function AccountPage() {
  const actor = await requirePageActor("account");
  const user = await loadOwnAccountOrThrow(actor);
  return (
    <>
      <PageHeader title="Your account" description={`Signed in as ${actor.name}. How you sign in, and how we reach you.`} />
      <div className="flex flex-col gap-4">
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
              </p>
            ) : (
              <p className="text-slate-600">No mobile number yet.</p>
            )}
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
        <NotificationPreferencesPanel actor={actor} />
        <TimeZoneSection userId={actor.userId} />
      </div>
    </>
  );
}
