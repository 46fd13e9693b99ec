import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { LinkVerification } from "@/features/accounts/registration/components/link-verification";
import { PendingVerification } from "@/features/accounts/registration/components/pending-verification";
import { StartVerification } from "@/features/accounts/registration/components/start-verification";
import { Alert } from "@/ui/alert";
import { currentActor } from "@/platform/auth/guard";
import { loadOwnAccount } from "@/features/accounts/own-account";
import { peekLink } from "@/features/verification/challenges";
import { maskEmail } from "@/platform/mask";
import { pendingView } from "@/features/accounts/registration/registration";
import { readPendingState } from "@/features/accounts/registration/pending-cookie";

export const metadata: Metadata = { title: "Verify your email address" };

/**
 * Public page: registrants have no session until their address is proved, and the emailed link
 * must work in any browser. It shows what the sealed registration cookie or the link's token
 * allows, and nothing about any account beyond a masked address. Opening it (GET) never consumes
 * a code or a link: the page submits them (POST), so mail scanners that prefetch links do nothing.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? searchParamText(params.token, 128) : null;

  if (token !== null) {
    const peek = await peekLink(token);
    const pending = await readPendingState();
    return (
      <Card title="Verify your email address">
        {peek.ok ? (
          <LinkVerification token={token} maskedEmail={peek.maskedTarget} />
        ) : (
          <div className="flex flex-col gap-4">
            <Alert tone="error">{peek.message}</Alert>
            <p className="text-sm text-slate-700">
              {pending ? (
                <>
                  <Link href="/verify/email" className="font-semibold text-brand-700 underline underline-offset-2">
                    Enter a code or ask for a new one
                  </Link>{" "}
                  in this browser.
                </>
              ) : (
                <>
                  If you have already verified your address,{" "}
                  <Link href="/signin" className="font-semibold text-brand-700 underline underline-offset-2">
                    sign in
                  </Link>
                  . Otherwise sign in and choose &ldquo;Verify your email address&rdquo; to get a new code.
                </>
              )}
            </p>
          </div>
        )}
      </Card>
    );
  }

  const state = await readPendingState();
  if (state) {
    const view = pendingView(state);
    const secondsLeft = Math.max(0, Math.ceil((view.resendAvailableAt.getTime() - Date.now()) / 1000));
    return (
      <Card title="Check your email">
        <PendingVerification maskedEmail={view.maskedEmail} resendSecondsLeft={secondsLeft} resendAvailableAt={view.resendAvailableAt.toISOString()} />
      </Card>
    );
  }

  const actor = await currentActor();
  if (actor?.role === "customer") {
    const user = await loadOwnAccount(actor);
    if (user?.emailVerifiedAt) redirect("/portal");
    if (user) {
      return (
        <Card title="Verify your email address">
          <StartVerification maskedEmail={maskEmail(user.email)} />
        </Card>
      );
    }
  }

  return (
    <Card title="Verify your email address">
      <div className="flex flex-col gap-3 text-sm text-slate-700">
        <p>There is no registration waiting for a code in this browser.</p>
        <p>
          Open the link in the email we sent you, or{" "}
          <Link href="/signin" className="font-semibold text-brand-700 underline underline-offset-2">
            sign in
          </Link>{" "}
          to ask for a new code. New here?{" "}
          <Link href="/register" className="font-semibold text-brand-700 underline underline-offset-2">
            Create an account
          </Link>
          .
        </p>
      </div>
    </Card>
  );
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">{title}</h1>
        {children}
      </div>
    </div>
  );
}
