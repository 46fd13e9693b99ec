import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { currentActor } from "@/platform/auth/guard";
import { searchParamText } from "@/platform/text/schemas";
import { Alert } from "@/ui/alert";
import { RateForm } from "@/features/satisfaction/components/rate-form";
import { SURVEY_TOKEN_MAX } from "@/features/satisfaction/schemas";
import { lookUpSurvey } from "@/features/satisfaction/surveys";

export const metadata: Metadata = { title: "Rate our help", robots: { index: false, follow: false } };

/**
 * Public page: the survey email's Good / Bad link. Opening it (GET) records nothing — mail
 * scanners open links — it shows the choice preselected; the form records it (POST). A ticket with
 * a portal account is rated only by that account, signed in; one without, by the token's holder.
 */
export default async function RatePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = searchParamText(params.token, SURVEY_TOKEN_MAX);
  const preselected = searchParamText(params.rating, 8) === "bad" ? "bad" : "good";
  const actor = await currentActor();
  const found = token ? await lookUpSurvey(token, actor ? { userId: actor.userId } : null) : null;
  const here = `/rate?token=${encodeURIComponent(token)}&rating=${preselected}`;
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">Rate our help</h1>
        {found?.ok ? (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-slate-700">
              Your request <strong>{found.ticketReference}</strong> “{found.ticketSubject}” is solved.
            </p>
            <RateForm token={token} preselected={preselected} />
          </div>
        ) : (
          <div className="flex flex-col gap-3">
            <Alert tone="error">{found?.message ?? "This page needs the link from the email we sent you."}</Alert>
            {found && !found.ok && found.signIn ? (
              <Link className="text-sm font-medium text-blue-700 underline" href={`/signin?callbackUrl=${encodeURIComponent(here)}`}>
                Sign in to rate
              </Link>
            ) : null}
          </div>
        )}
      </div>
    </div>
  );
}
