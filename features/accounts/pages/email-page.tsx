import "server-only";
import type { Metadata } from "next";
import { EmailChangeForm } from "@/features/accounts/contact-change/components/email-change-form";
import { Panel } from "@/ui/panel";
import { Badge } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { PendingChangesPanel } from "@/features/accounts/text-confirmation/components/pending-changes-panel";
import { requirePageActor } from "@/platform/auth/guard";
import { loadOwnAccountOrThrow } from "@/features/accounts/own-account";

export const metadata: Metadata = { title: "Email address" };

export default async function EmailPage() {
  const actor = await requirePageActor("account");
  const user = await loadOwnAccountOrThrow(actor);
  return (
    <>
      <PageHeader title="Email address" description="You sign in with it, and we send account notices to it." />
      <div className="flex flex-col gap-4">
        <PendingChangesPanel userId={actor.userId} />
        <Panel id="current-email" title="Your address">
          <p className="flex flex-wrap items-center gap-2 break-all">
            <span className="font-medium">{user.email}</span>
            <Badge tone={user.emailVerifiedAt ? "good" : "warn"}>{user.emailVerifiedAt ? "Verified" : "Not verified"}</Badge>
          </p>
        </Panel>
        <Panel
          id="change-email"
          title="Change your email address"
          description="We send a code to the new address to check that it is yours, and tell your current address about the change, with a link to stop it if it wasn't you."
        >
          <EmailChangeForm />
        </Panel>
      </div>
    </>
  );
}
