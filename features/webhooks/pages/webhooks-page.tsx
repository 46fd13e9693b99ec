import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { CreateWebhookEndpointForm, PrivateTargetsToggle } from "@/features/webhooks/components/webhook-forms";
import { privateTargetsAllowed } from "@/features/webhooks/delivery";
import { listWebhookEndpoints } from "@/features/webhooks/endpoints";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { formatInstant } from "@/platform/time-zone";
import { Badge } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";

export const metadata: Metadata = { title: "Webhooks" };

/** Administrators register endpoints that Veridesk tells about events, signed per Standard Webhooks. */
export default async function WebhooksPage() {
  await requirePageActor("admin");
  const [endpoints, allowed, zone] = await Promise.all([listWebhookEndpoints(), privateTargetsAllowed(), viewerTimeZone()]);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Veridesk POSTs a signed JSON event to each endpoint when something it subscribes to happens, and retries for about a day when the receiver is down. Verify the signatures with any Standard Webhooks library and the endpoint's secret."
      />
      <div className="flex flex-col gap-6">
        <Panel id="endpoints-heading" title="Endpoints">
          {endpoints.length === 0 ? (
            <p className="text-sm text-slate-600">No endpoints yet.</p>
          ) : (
            <ul aria-label="Webhook endpoints" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
              {endpoints.map((endpoint) => (
                <li key={endpoint.id} className="flex flex-col gap-1 p-4">
                  <p className="flex flex-wrap items-center gap-2 font-semibold text-slate-900">
                    <Link href={`/admin/webhooks/${endpoint.id}`} className="break-all text-brand-700 underline">
                      {endpoint.url}
                    </Link>
                    {endpoint.enabled ? (
                      endpoint.failingSince ? (
                        <Badge tone="warn">Failing</Badge>
                      ) : (
                        <Badge tone="good">Enabled</Badge>
                      )
                    ) : (
                      <Badge tone="bad">Disabled</Badge>
                    )}
                  </p>
                  {endpoint.description ? <p className="text-sm text-slate-700">{endpoint.description}</p> : null}
                  <p className="break-words text-sm text-slate-600">{endpoint.events.join(", ")}</p>
                  <p className="text-sm text-slate-600">
                    {endpoint.disabledReason ? `${endpoint.disabledReason} · ` : ""}
                    {endpoint.lastAttempt
                      ? `last delivery ${formatInstant(endpoint.lastAttempt.createdAt, zone)}: ${endpoint.lastAttempt.statusCode ?? endpoint.lastAttempt.error ?? "no answer"}`
                      : "nothing sent yet"}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Panel>
        <Panel id="new-endpoint-heading" title="New endpoint" description="The signing secret is shown once, right after you add the endpoint.">
          <CreateWebhookEndpointForm />
        </Panel>
        <Panel id="private-targets-heading" title="Private addresses">
          <PrivateTargetsToggle allowed={allowed} />
        </Panel>
      </div>
    </>
  );
}
