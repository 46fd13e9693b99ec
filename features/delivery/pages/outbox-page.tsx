import "server-only";
import type { Metadata } from "next";
import { FailedMessages, type FailedMessageRow } from "@/features/delivery/components/failed-messages";
import { requirePageActor, viewerTimeZone } from "@/platform/auth/guard";
import { DEFAULT_MAX_ATTEMPTS } from "@/platform/outbox/backoff";
import { DELIVERY_ALERT, deliveryAlertText, deliveryHealth, listFailedMessages, type NotRequeuableReason } from "@/platform/outbox/failures";
import { outboxStatusCounts } from "@/platform/outbox/outbox";
import { Alert } from "@/ui/alert";
import { PageHeader } from "@/ui/page-header";
import { Panel } from "@/ui/panel";
import { formatAbsolute, formatInstant } from "@/platform/time-zone";

export const metadata: Metadata = { title: "Outgoing messages" };

const REFUSALS: Record<NotRequeuableReason, string> = {
  expired: "Carries a one-time code or link that has expired: it will not be sent again. The customer asks for a new one.",
  body_wiped: "Carried a one-time code or link: its sealed body was wiped when it failed, so it cannot be sent again. The customer asks for a new one.",
};

/** Email and SMS delivery: the queue's state, the failure alert, and the failed messages to send again. Never a message body. */
export default async function OutboxPage() {
  await requirePageActor("supervisor");
  const zone = await viewerTimeZone();
  const [counts, health, failed] = await Promise.all([outboxStatusCounts(), deliveryHealth(), listFailedMessages({ take: 200 })]);
  const rows: FailedMessageRow[] = failed.map((message) => ({
    id: message.id,
    channel: message.channel,
    kind: message.kind,
    recipient: message.recipient,
    subject: message.subject,
    attempts: message.attempts,
    lastError: message.lastError,
    createdAt: { iso: message.createdAt.toISOString(), text: formatInstant(message.createdAt, zone), title: formatAbsolute(message.createdAt, zone) },
    refusal: message.notRequeuable ? REFUSALS[message.notRequeuable] : null,
  }));
  return (
    <>
      <PageHeader
        title="Outgoing messages"
        description={`Every email and SMS is queued first and retried when the provider fails: ${DEFAULT_MAX_ATTEMPTS} tries over at least 3 days, waiting up to an hour between tries. A message that still fails is given up and listed here, where it can be sent again.`}
      />
      <div className="flex flex-col gap-6">
        {health.alerting ? (
          <Alert tone="error" title="Outgoing messages are failing">
            {deliveryAlertText(health)}
          </Alert>
        ) : null}
        <Panel
          id="outbox-status"
          title="Queue"
          description={`Supervisors get an email (at most once an hour) when more than ${Math.round(DELIVERY_ALERT.failingShare * 100)} % of at least ${DELIVERY_ALERT.minMessages} messages queued in the last hour have failed or wait for a retry.`}
        >
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
            {(
              [
                ["Queued", counts.queued],
                ["Sending", counts.sending],
                ["Sent", counts.sent],
                ["Failed", counts.failed],
                ["Failing, last hour", `${health.failing} of ${health.messages}`],
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt className="text-xs uppercase text-slate-500">{label}</dt>
                <dd className="text-lg font-semibold text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Panel>
        <Panel
          id="outbox-failed"
          title="Failed messages"
          description="Requeueing gives a message a fresh set of tries. Messages carrying a one-time code or a sign-in link are never sent again once their code or link has expired; their contents are never shown."
        >
          <FailedMessages rows={rows} totalFailed={health.failedTotal} />
        </Panel>
      </div>
    </>
  );
}
