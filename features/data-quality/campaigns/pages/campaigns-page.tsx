import "server-only";
import type { Metadata } from "next";
import { requirePageActor } from "@/platform/auth/guard";
import { DataQualityNav } from "@/features/data-quality/components/data-quality-nav";
import { listCampaigns } from "@/features/data-quality/campaigns/campaigns";
import { CampaignForm, CampaignProgress } from "@/features/data-quality/campaigns/components/campaign-form";
import { SKIP_REASON_LABELS } from "@/features/data-quality/campaigns/schemas";
import { LocalTime } from "@/ui/local-time";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";

export const metadata: Metadata = { title: "Re-verification" };

const n = (count: number) => count.toLocaleString("en");

/** Re-verification campaigns: ask doubtful, unverified or long-unverified contacts to prove them, within the sending limits. */
export default async function CampaignsPage() {
  await requirePageActor("supervisor");
  const campaigns = await listCampaigns();
  return (
    <>
      <DataQualityNav />
      <PageHeader
        title="Re-verification"
        description="Send chosen contacts a verification request by email or SMS. Each confirmation marks the address or number verified and is counted here."
      />
      <div className="flex flex-col gap-6">
        <Panel
          id="new-campaign"
          title="New campaign"
          description="Preview first: you see how many messages would go, who is skipped and why, and the cost class."
        >
          <CampaignForm />
        </Panel>
        <Panel id="campaigns" title="Campaigns">
          {campaigns.length === 0 ? (
            <p className="text-sm text-slate-600">No campaign yet.</p>
          ) : (
            <ul className="flex flex-col gap-3" aria-label="Campaigns">
              {campaigns.map((campaign) => (
                <li key={campaign.id} className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 text-sm" data-testid="campaign">
                  <p className="text-slate-800">
                    <span className="font-semibold">{campaign.channel === "email" ? "Email" : "SMS"}</span> · <LocalTime value={campaign.createdAt} />
                    {campaign.createdBy ? ` · by ${campaign.createdBy}` : ""}
                  </p>
                  <dl className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-4">
                    {(
                      [
                        ["Sent", campaign.counts.sent + campaign.counts.verified],
                        ["Verified", campaign.counts.verified],
                        ["Skipped", campaign.counts.skipped],
                        ["Waiting", campaign.counts.pending],
                      ] as const
                    ).map(([label, count]) => (
                      <div key={label} className="flex gap-1">
                        <dt className="text-slate-600">{label}:</dt>
                        <dd className="font-semibold text-slate-900" data-testid={`campaign-${label.toLowerCase()}`}>
                          {n(count)}
                        </dd>
                      </div>
                    ))}
                  </dl>
                  {campaign.skippedBy.length > 0 ? (
                    <p className="text-slate-600">
                      Skipped: {campaign.skippedBy.map((item) => `${SKIP_REASON_LABELS[item.reason] ?? item.reason} ${n(item.count)}`).join("; ")}
                    </p>
                  ) : null}
                  {campaign.jobId && (campaign.jobStatus === "queued" || campaign.jobStatus === "running") ? <CampaignProgress jobId={campaign.jobId} /> : null}
                  {campaign.jobStatus === "failed" ? <p className="text-red-700">Sending stopped with an error; the counts above are what was done.</p> : null}
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </>
  );
}
