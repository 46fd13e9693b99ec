import { db, type DeliveryChannel } from "@/platform/db/client";
import { serverEnv } from "@/platform/env";
import { enqueueEmail } from "./outbox";
import { kickOutboxWorker } from "./worker";

/**
 * When delivery goes wrong: how bad it is (deliveryHealth), telling the supervisors
 * (alertSupervisorsIfFailing), and sending given-up messages again (requeueFailedMessages).
 *
 * The alert rule: of the messages queued in the last hour (at least DELIVERY_ALERT.minMessages of
 * them), more than DELIVERY_ALERT.failingShare have failed for good or are waiting for a retry after
 * a failed try. With 3 days of retries a provider outage shows up as "waiting for a retry" long
 * before anything is given up, so both count. Fewer messages than the minimum never alert (one
 * mistyped address at night is not an outage). The email goes to every active supervisor at most
 * once per DELIVERY_ALERT.repeatAfterMs, whichever instance notices first; it goes through the outbox
 * like everything else, so it arrives when the email provider is (or comes back) up.
 */
export const DELIVERY_ALERT = {
  windowMs: 60 * 60_000,
  minMessages: 5,
  failingShare: 0.25,
  repeatAfterMs: 60 * 60_000,
} as const;

export const DELIVERY_ALERT_KIND = "delivery-alert";
const ALERT_SETTING_KEY = "outbox.delivery-alert";

export interface DeliveryHealth {
  /** Messages queued in the last hour (alerts excluded). */
  messages: number;
  /** Of those, failed for good or waiting for a retry after a failed try. */
  failing: number;
  /** failing / messages, 0 when there were none. */
  failingShare: number;
  alerting: boolean;
  /** All messages given up, whenever. */
  failedTotal: number;
}

export async function deliveryHealth(now: Date = new Date()): Promise<DeliveryHealth> {
  const since = new Date(now.getTime() - DELIVERY_ALERT.windowMs);
  const [row] = await db.$queryRaw<{ messages: number; failing: number; failedTotal: number }[]>`
    SELECT
      count(*) FILTER (WHERE "createdAt" >= ${since})::int AS "messages",
      count(*) FILTER (WHERE "createdAt" >= ${since} AND ("status" = 'failed' OR ("status" IN ('queued', 'sending') AND "lastError" IS NOT NULL)))::int AS "failing",
      (SELECT count(*) FROM "OutboxMessage" WHERE "status" = 'failed')::int AS "failedTotal"
    FROM "OutboxMessage"
    WHERE "createdAt" >= ${since} AND "kind" <> ${DELIVERY_ALERT_KIND}`;
  const messages = row?.messages ?? 0;
  const failing = row?.failing ?? 0;
  const failingShare = messages === 0 ? 0 : failing / messages;
  return {
    messages,
    failing,
    failingShare,
    alerting: messages >= DELIVERY_ALERT.minMessages && failingShare > DELIVERY_ALERT.failingShare,
    failedTotal: row?.failedTotal ?? 0,
  };
}

/** The alert's wording, for the email and the banner. */
export function deliveryAlertText(health: Pick<DeliveryHealth, "messages" | "failing">): string {
  return `${health.failing} of the last hour's ${health.messages} outgoing messages failed or are waiting to be retried.`;
}

/**
 * Emails the active supervisors when the failure rate is above the threshold, at most once per
 * hour across all instances (the AppSetting row is claimed with one conditional upsert). Returns
 * how many emails were queued.
 */
export async function alertSupervisorsIfFailing(now: Date = new Date()): Promise<number> {
  const health = await deliveryHealth(now);
  if (!health.alerting) return 0;
  const value = JSON.stringify({ at: now.toISOString(), messages: health.messages, failing: health.failing });
  const repeatFrom = new Date(now.getTime() - DELIVERY_ALERT.repeatAfterMs);
  const queued = await db.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO "AppSetting" ("key", "value", "updatedAt") VALUES (${ALERT_SETTING_KEY}, ${value}::jsonb, ${now})
      ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = EXCLUDED."updatedAt"
      WHERE "AppSetting"."updatedAt" <= ${repeatFrom}`;
    if (claimed === 0) return 0;
    const supervisors = await tx.user.findMany({ where: { role: "supervisor", disabledAt: null }, select: { email: true } });
    const base = serverEnv().NEXTAUTH_URL?.replace(/\/$/, "") ?? "";
    const text = [
      deliveryAlertText(health),
      "",
      "Email or SMS delivery may be failing (a provider outage or a configuration problem). Messages are retried for 3 days; given-up ones can be sent again from the outgoing messages page:",
      `${base}/supervisor/outbox`,
      "",
      "You get this at most once an hour while the problem lasts.",
    ].join("\n");
    for (const { email } of supervisors) {
      await enqueueEmail({ kind: DELIVERY_ALERT_KIND, to: email, subject: "Veridesk: outgoing messages are failing", text, maxAttempts: 10 }, tx);
    }
    return supervisors.length;
  });
  if (queued > 0) void kickOutboxWorker();
  return queued;
}

// ───────────────────────────── Failed messages and requeueing ─────────────────────────────

export type NotRequeuableReason = "expired" | "body_wiped";

export interface FailedMessage {
  id: string;
  channel: DeliveryChannel;
  kind: string;
  recipient: string;
  subject: string | null;
  sensitive: boolean;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  /** Why it cannot be sent again, or null when it can. */
  notRequeuable: NotRequeuableReason | null;
}

function whyNotRequeuable(row: { expiresAt: Date | null; textBody: string | null; htmlBody: string | null }, now: Date): NotRequeuableReason | null {
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  // A message carrying a code has its sealed body wiped when it fails: nothing left to send.
  if (row.textBody === null && row.htmlBody === null) return "body_wiped";
  return null;
}

/** Given-up messages, newest first, without their bodies (which may hold codes, even sealed). */
export async function listFailedMessages(options: { take?: number; now?: Date } = {}): Promise<FailedMessage[]> {
  const now = options.now ?? new Date();
  const rows = await db.outboxMessage.findMany({
    where: { status: "failed" },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.take ?? 200, 1), 500),
    select: {
      id: true,
      channel: true,
      kind: true,
      recipient: true,
      subject: true,
      sensitive: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      expiresAt: true,
      textBody: true,
      htmlBody: true,
    },
  });
  // The bodies are read only to know whether there is one; they go no further than this function.
  return rows.map(({ textBody, htmlBody, ...row }) => ({ ...row, notRequeuable: whyNotRequeuable({ expiresAt: row.expiresAt, textBody, htmlBody }, now) }));
}

export interface RequeueResult {
  /** Ids put back in the queue, tries counted afresh. */
  requeued: string[];
  /** Failed messages that cannot be sent again (expired code or link, wiped body). */
  refused: { id: string; reason: NotRequeuableReason }[];
}

export const MAX_REQUEUE = 1_000;

/**
 * Puts failed messages back in the queue with a fresh retry budget: the given ids, or all failed
 * ones (at most MAX_REQUEUE at a time). Ids that are not failed messages are ignored. A message
 * whose one-time code or link has expired, or whose sealed body was wiped, is refused: re-sending
 * it could only confuse (the customer asks for a new code). Linked ticket replies show "queued" again.
 */
export async function requeueFailedMessages(selection: { ids: string[] } | { all: true }, now: Date = new Date()): Promise<RequeueResult> {
  const result = await db.$transaction(async (tx) => {
    const rows = await tx.outboxMessage.findMany({
      where: { status: "failed", ...("ids" in selection ? { id: { in: selection.ids } } : {}) },
      orderBy: { createdAt: "asc" },
      take: MAX_REQUEUE,
      select: { id: true, expiresAt: true, textBody: true, htmlBody: true },
    });
    const requeued: string[] = [];
    const refused: RequeueResult["refused"] = [];
    for (const row of rows) {
      const reason = whyNotRequeuable(row, now);
      if (reason) refused.push({ id: row.id, reason });
      else requeued.push(row.id);
    }
    if (requeued.length > 0) {
      await tx.outboxMessage.updateMany({
        where: { id: { in: requeued }, status: "failed" },
        data: { status: "queued", attempts: 0, nextAttemptAt: now, leaseUntil: null, lastError: null },
      });
      await tx.ticketMessage.updateMany({ where: { outboxMessageId: { in: requeued }, deliveryStatus: "failed" }, data: { deliveryStatus: "queued" } });
    }
    return { requeued, refused };
  });
  if (result.requeued.length > 0) void kickOutboxWorker();
  return result;
}
