import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { VerifyEmailBanner } from "@/features/portal/components/account-status";
import { loadPortalAccess } from "@/features/portal/access";
import { DEMO_DOWNLOADS } from "@/features/portal/downloads";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { requirePageActor } from "@/platform/auth/guard";

export const metadata: Metadata = { title: "Downloads" };

export default async function DownloadsPage() {
  const actor = await requirePageActor("portal");
  const access = await loadPortalAccess(actor.userId);

  return (
    <>
      <PageHeader
        title="Downloads"
        description={access.customer ? `For ${access.customer.organisationName ?? access.customer.name} (${access.customer.accountNumber}).` : undefined}
      />
      {access.emailVerified ? null : (
        <div className="mb-6">
          <VerifyEmailBanner />
        </div>
      )}
      {access.downloads.allowed ? (
        <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm" aria-label="Available downloads">
          {DEMO_DOWNLOADS.map((download) => (
            <li key={download.file} className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-6">
              <div>
                <h2 className="font-semibold text-slate-900">{download.title}</h2>
                <p className="text-sm text-slate-600">{download.description}</p>
                <p className="text-xs text-slate-500">
                  Version {download.version} · released <time dateTime={download.released}>{download.released}</time>
                </p>
              </div>
              <a
                href={`/portal/downloads/${encodeURIComponent(download.file)}`}
                download
                className="inline-flex shrink-0 items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-800 hover:bg-slate-50"
              >
                Download <span className="sr-only">{download.title}</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <Alert tone="warning" title="Downloads are not available for your account">
          <p className="mt-1">{access.downloads.reason}</p>
          <p className="mt-2">
            <Link href="/portal" className="font-semibold underline underline-offset-2">
              Back to My support
            </Link>
          </p>
        </Alert>
      )}
    </>
  );
}
