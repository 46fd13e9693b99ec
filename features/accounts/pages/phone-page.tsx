import "server-only";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { Panel } from "@/ui/panel";
import { PhoneForm } from "@/features/accounts/contact-change/components/phone-form";
import { Badge } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { isSmsOptedOut } from "@/platform/outbox/sms-opt-outs";
import { OPTED_OUT_WORDS } from "@/features/accounts/text-confirmation/pending-changes";
import { PendingChangesPanel } from "@/features/accounts/text-confirmation/components/pending-changes-panel";
import { requirePageActor } from "@/platform/auth/guard";
import { loadOwnAccountOrThrow } from "@/features/accounts/own-account";
import { formatPhoneForDisplay } from "@/platform/phone-display";
import { countryFromAcceptLanguage, countryOptions } from "@/features/accounts/contact-change/phone-schemas";
import { parsePhoneNumberFromString } from "libphonenumber-js";

export const metadata: Metadata = { title: "Mobile number" };

export default async function PhonePage() {
  const actor = await requirePageActor("account");
  const user = await loadOwnAccountOrThrow(actor);
  const verified = user.phoneE164 !== null && user.phoneVerifiedAt !== null;
  const country =
    (user.phoneE164 ? parsePhoneNumberFromString(user.phoneE164)?.country : undefined) ??
    countryFromAcceptLanguage((await headers()).get("accept-language")) ??
    "US";
  const optedOut = user.phoneE164 ? await isSmsOptedOut(user.phoneE164) : false;
  return (
    <>
      <PageHeader title="Mobile number" description="A verified mobile lets us text you sign-in codes, and tells our agents a caller is really you." />
      <div className="flex flex-col gap-4">
        <PendingChangesPanel userId={actor.userId} />
        {user.phoneE164 ? (
          <Panel id="current-phone" title="Your number">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium tabular-nums">{formatPhoneForDisplay(user.phoneE164)}</span>
              <Badge tone={verified ? "good" : "warn"}>{verified ? "Verified" : "Not verified yet"}</Badge>
              {optedOut ? <Badge tone="warn">Replied STOP</Badge> : null}
            </p>
            {optedOut ? <p className="mt-2 text-sm text-slate-600">{OPTED_OUT_WORDS}</p> : null}
          </Panel>
        ) : null}
        <Panel
          id="phone-form"
          title={verified ? "Change your mobile number" : user.phoneE164 ? "Verify your mobile number" : "Add your mobile number"}
          description="We text a 6-digit code to the number to check that it is yours."
        >
          <PhoneForm countries={countryOptions()} defaultCountry={country} needsPassword={verified} />
        </Panel>
      </div>
    </>
  );
}
