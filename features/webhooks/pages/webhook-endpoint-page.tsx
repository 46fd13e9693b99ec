import "server-only";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EditWebhookEndpointForm, EndpointControls, ResendButton } from "@/features/webhooks/components/webhook-forms";
import { loadWebhookEndpoint } from "@/features/webhooks/endpoints";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { isUuid } from "@/platform/ids";
import { formatInstant } from "@/platform/time-zone";
import { Badge } from "@/ui/badge";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";

export const metadata: Metadata = { title: "Webhook endpoint" };

/** One endpoint: its settings, controls and the log of its last 50 deliveries, each resendable. */
export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageActor("admin");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const [loaded, zone] = await Promise.all([loadWebhookEndpoint(id), viewerTimeZone()]);
  if (!loaded) notFound();
  const { endpoint, attempts } = loaded;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/webhooks" className="text-brand-700 underline">
          ← All endpoints
        </Link>
      </p>
      <PageHeader
        title="Webhook endpoint"
        description={
          <>
            <span className="block break-all font-mono text-slate-900">{endpoint.url}</span>
            {endpoint.enabled
              ? endpoint.failingSince
                ? `Failing since ${formatInstant(endpoint.failingSince, zone)}; disabled automatically after 5 days of failures.`
                : "Enabled."
              : `Disabled${endpoint.disabledAt ? ` ${formatInstant(endpoint.disabledAt, zone)}` : ""}: ${endpoint.disabledReason ?? "by an admin"}.`}
          </>
        }
      />
      <div className="flex flex-col gap-6">
        <Panel id="endpoint-controls-heading" title="Controls">
          <EndpointControls endpointId={endpoint.id} enabled={endpoint.enabled} />
          {endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date() ? (
            <p className="mt-3 text-sm text-slate-700">The previous secret still signs until {formatInstant(endpoint.previousSecretExpiresAt, zone)}.</p>
          ) : null}
        </Panel>
        <Panel id="endpoint-settings-heading" title="Settings">
          <EditWebhookEndpointForm endpoint={endpoint} />
        </Panel>
        <Panel id="delivery-log-heading" title="Delivery log" description="The last 50 tries, newest first.">
          {attempts.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing sent yet.</p>
          ) : (
            <ul aria-label="Deliveries" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
              {attempts.map((attempt) => {
                const ok = attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300;
                return (
                  <li key={attempt.id} className="flex flex-col gap-2 p-4 md:flex-row md:items-start md:justify-between">
                    <div className="min-w-0">
                      <p className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
                        <code className="font-mono">{attempt.eventType}</code>
                        <Badge tone={ok ? "good" : "bad"}>{attempt.statusCode !== null ? `HTTP ${attempt.statusCode}` : "No answer"}</Badge>
                        {attempt.latencyMs !== null ? <span className="font-normal text-slate-600">{attempt.latencyMs} ms</span> : null}
                      </p>
                      <p className="text-sm text-slate-600">
                        {formatInstant(attempt.createdAt, zone)} · <code className="break-all font-mono">{attempt.webhookId}</code>
                      </p>
                      {attempt.error ? <p className="break-words text-sm text-red-700">{attempt.error}</p> : null}
                      {attempt.responseExcerpt ? (
                        <pre className="mt-1 max-h-24 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-700">
                          {attempt.responseExcerpt}
                        </pre>
                      ) : null}
                    </div>
                    <ResendButton endpointId={endpoint.id} attemptId={attempt.id} />
                  </li>
                );
              })}
            </ul>
          )}
        </Panel>
      </div>
    </>
  );
}
