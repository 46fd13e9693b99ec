import "server-only";
import type { Metadata } from "next";
import { searchParamText } from "@/platform/text/schemas";
import { Alert } from "@/ui/alert";
import { OptOutForm } from "@/features/satisfaction/components/opt-out-form";
import { SURVEY_TOKEN_MAX } from "@/features/satisfaction/schemas";

export const metadata: Metadata = { title: "Stop satisfaction surveys", robots: { index: false, follow: false } };

/** Public page: the survey email's unsubscribe link. Its token is the credential; the button (POST) records the choice. */
export default async function SurveyOptOutPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = searchParamText(params.token, SURVEY_TOKEN_MAX);
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-4 text-2xl font-semibold tracking-tight">Stop satisfaction surveys</h1>
        {token ? <OptOutForm token={token} /> : <Alert tone="error">This page needs the link from the email we sent you.</Alert>}
      </div>
    </div>
  );
}
