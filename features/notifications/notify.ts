import type { NotificationKind, Prisma } from "@/platform/db/client";
import { isSendableAddress } from "@/platform/email-address/email-address";
import { publicBaseUrl } from "@/platform/env";
import { enqueueEmail } from "@/platform/outbox/outbox";
import { takeRateLimitUnits } from "@/platform/rate-limit";
import { ticketReference } from "@/features/tickets/labels";
import { SUPERVISOR_ROLES } from "@/features/notifications/kinds";
import { excerpt, renderStaffNotice } from "@/features/notifications/emails";

/**
 * Notifications, written in the caller's transaction so that they exist exactly when the event
 * does (a rolled-back assignment notifies nobody; a committed one cannot lose its notice):
 *
 *  - to staff: a Notification row (the bell, always) and, unless that person turned the kind's
 *    email off, an email in the outbox. Assigned to you (by someone else), a customer replied on
 *    your ticket, an escalation was raised, an SLA target was missed.
 *
 * The callers kick the outbox worker after their commit (or leave it to its next tick, ≤ 2 s).
 * The customer's acknowledgement is in acknowledgement.ts. No "server-only" here: the SLA job
 * (run by scripts too) calls this module.
 */

type Tx = Prisma.TransactionClient;
type TicketRef = { id: string; number: number; subject: string };

// ───────────── To staff ─────────────

export interface StaffNotification {
  recipientId: string;
  kind: NotificationKind;
  ticket: TicketRef;
  /** The bell's line and the email's subject. */
  summary: string;
  /** The email's body. */
  lines: string[];
  quote?: string | null;
  escalationId?: string | null;
}

const rowKey = (row: { recipientId: string; kind: string; ticketId: string; escalationId: string | null }) =>
  `${row.recipientId}|${row.kind}|${row.ticketId}|${row.escalationId ?? ""}`;

/**
 * Writes the notifications (to active staff only) and queues the emails their recipients want.
 * One per (recipient, escalation): written twice, the second is skipped, and sends no email.
 * Returns the recipients that got a notification and those that were emailed.
 */
export interface NotifyOptions {
  /**
   * At most this many emails of these notifications per recipient and hour (the bell gets them
   * all); the email that crosses the limit is replaced by one "and more" notice.
   */
  emailsPerRecipientPerHour?: number;
}

export async function notifyStaff(
  tx: Tx,
  notifications: readonly StaffNotification[],
  options: NotifyOptions = {},
): Promise<{ notified: string[]; emailed: string[] }> {
  if (notifications.length === 0) return { notified: [], emailed: [] };
  const recipients = await tx.user.findMany({
    where: { id: { in: [...new Set(notifications.map((n) => n.recipientId))] }, disabledAt: null, role: { not: "customer" } },
    select: { id: true, email: true, notificationPrefs: { select: { kind: true, email: true } } },
  });
  const byId = new Map(recipients.map((recipient) => [recipient.id, recipient]));
  const wanted = notifications.filter((n) => byId.has(n.recipientId));
  if (wanted.length === 0) return { notified: [], emailed: [] };

  const written = await tx.notification.createManyAndReturn({
    data: wanted.map((n) => ({
      recipientId: n.recipientId,
      kind: n.kind,
      ticketId: n.ticket.id,
      escalationId: n.escalationId ?? null,
      summary: n.summary.slice(0, 300),
    })),
    skipDuplicates: true,
    select: { recipientId: true, kind: true, ticketId: true, escalationId: true },
  });
  const writtenKeys = new Set(written.map(rowKey));
  const fresh = wanted.filter((n) =>
    writtenKeys.has(rowKey({ recipientId: n.recipientId, kind: n.kind, ticketId: n.ticket.id, escalationId: n.escalationId ?? null })),
  );

  const base = publicBaseUrl();
  const wantsEmail = fresh.filter((n) => {
    const recipient = byId.get(n.recipientId)!;
    const emailOn = recipient.notificationPrefs.find((pref) => pref.kind === n.kind)?.email ?? true;
    return emailOn && isSendableAddress(recipient.email);
  });
  const toEmail = options.emailsPerRecipientPerHour ? await withinEmailLimit(tx, wantsEmail, options.emailsPerRecipientPerHour, base) : wantsEmail;
  // The same notice to several supervisors is rendered once.
  const rendered = new Map<string, Awaited<ReturnType<typeof renderStaffNotice>>>();
  const emailed: string[] = [];
  for (const n of toEmail) {
    const recipient = byId.get(n.recipientId)!;
    const key = JSON.stringify([n.kind, n.ticket.id, n.summary, n.lines, n.quote ?? null]);
    let email = rendered.get(key);
    if (!email) {
      email = await renderStaffNotice({
        subject: n.summary,
        heading: n.summary,
        lines: n.lines,
        quote: n.quote,
        ticketNumber: n.ticket.number,
        ticketLink: `${base}/console/tickets/${n.ticket.id}`,
        preferencesLink: `${base}/account#notification-settings`,
      });
      rendered.set(key, email);
    }
    await enqueueEmail(
      {
        kind: `notification.${n.kind}`,
        to: recipient.email,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
      },
      tx,
    );
    emailed.push(recipient.id);
  }
  return { notified: fresh.map((n) => n.recipientId), emailed };
}

/**
 * The notifications whose email fits each recipient's hourly limit (per kind); for a recipient
 * who just went over it, one notice that the rest are in the bell only.
 */
async function withinEmailLimit(tx: Tx, wanted: readonly StaffNotification[], perHour: number, base: string): Promise<StaffNotification[]> {
  const byRecipientKind = new Map<string, StaffNotification[]>();
  for (const n of wanted) byRecipientKind.set(`${n.recipientId}|${n.kind}`, [...(byRecipientKind.get(`${n.recipientId}|${n.kind}`) ?? []), n]);
  const kept: StaffNotification[] = [];
  for (const [key, group] of byRecipientKind) {
    const { granted, crossedLimit } = await takeRateLimitUnits(`notification-email:${key}`, group.length, perHour, 3600, tx);
    kept.push(...group.slice(0, granted));
    if (!crossedLimit) continue;
    const recipient = await tx.user.findUniqueOrThrow({ where: { id: group[0]!.recipientId }, select: { email: true } });
    const subject = `More notifications than we email one by one (over ${perHour} in an hour)`;
    await enqueueEmail(
      {
        kind: `notification.${group[0]!.kind}`,
        to: recipient.email,
        subject,
        text: `${subject}.\n\nThe rest of this hour's notifications of this kind are in Veridesk only: ${base}/console/notifications\n`,
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
      },
      tx,
    );
  }
  return kept;
}

const subjectLine = (ticket: TicketRef) => `${ticketReference(ticket.number)}: ${excerpt(ticket.subject, 120)}`;

/** "Assigned to you", unless the person assigned themselves (or it already was theirs). */
export async function notifyAssignment(
  tx: Tx,
  /** Who assigned: a person, or an API token (no user id: it is never the assignee). */
  actor: { userId: string | null; name: string },
  ticket: TicketRef,
  assigneeId: string | null,
  previousAssigneeId: string | null,
) {
  if (!assigneeId || assigneeId === actor.userId || assigneeId === previousAssigneeId) return { notified: [], emailed: [] };
  return notifyStaff(tx, [
    {
      recipientId: assigneeId,
      kind: "ticket_assigned",
      ticket,
      summary: `${actor.name} assigned ${subjectLine(ticket)} to you`,
      lines: [`${actor.name} assigned ticket ${ticketReference(ticket.number)} to you.`, `Subject: ${ticket.subject}`],
    },
  ]);
}

/** "The customer replied" to the ticket's assignee, if it has one. */
export async function notifyCustomerReply(tx: Tx, ticketId: string, reply: { body: string; from: string | null }) {
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { id: true, number: true, subject: true, assigneeId: true } });
  if (!ticket?.assigneeId) return { notified: [], emailed: [] };
  const who = reply.from?.trim() || "The customer";
  return notifyStaff(tx, [
    {
      recipientId: ticket.assigneeId,
      kind: "customer_replied",
      ticket,
      summary: `${who} replied on ${subjectLine(ticket)}`,
      lines: [`${who} replied on ticket ${ticketReference(ticket.number)}, which is assigned to you.`],
      quote: reply.body,
    },
  ]);
}

async function supervisorIds(tx: Tx, except: string | null): Promise<string[]> {
  const rows = await tx.user.findMany({
    where: { role: { in: [...SUPERVISOR_ROLES] }, disabledAt: null, ...(except ? { id: { not: except } } : {}) },
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** A manual escalation: every supervisor and admin but the person who raised it. */
export async function notifyEscalation(
  tx: Tx,
  input: { escalationId: string; ticketId: string; raisedBy: { userId: string | null; name: string }; reason: string; note: string },
) {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: input.ticketId }, select: { id: true, number: true, subject: true } });
  const ids = await supervisorIds(tx, input.raisedBy.userId);
  return notifyStaff(
    tx,
    ids.map((recipientId) => ({
      recipientId,
      kind: "escalation_raised" as const,
      ticket,
      escalationId: input.escalationId,
      summary: `${input.raisedBy.name} escalated ${subjectLine(ticket)}`,
      lines: [`${input.raisedBy.name} escalated ticket ${ticketReference(ticket.number)} to the supervisors.`, `Reason: ${input.reason}`],
      quote: input.note,
    })),
  );
}

/** A breach found later than this after its due time (an import, a backfill) is history, not news: no notification. */
export const SLA_BREACH_NEWS_WINDOW_MS = 24 * 60 * 60_000;
/** Breach emails per supervisor and hour; an SLA storm fills the bell, not the inbox. */
export const SLA_BREACH_EMAILS_PER_HOUR = 20;

/**
 * SLA breaches just recorded by the SLA job (each escalation row exists once, whoever swept it):
 * every supervisor and admin, once per breach.
 */
export async function notifySlaBreaches(tx: Tx, found: readonly { escalationId: string; ticketId: string; note: string; dueAt: Date | null }[], now: Date) {
  const breaches = found.filter((breach) => breach.dueAt && now.getTime() - breach.dueAt.getTime() <= SLA_BREACH_NEWS_WINDOW_MS);
  if (breaches.length === 0) return { notified: [], emailed: [] };
  const [tickets, ids] = await Promise.all([
    tx.ticket.findMany({ where: { id: { in: breaches.map((b) => b.ticketId) } }, select: { id: true, number: true, subject: true } }),
    supervisorIds(tx, null),
  ]);
  const ticketOf = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  return notifyStaff(
    tx,
    breaches.flatMap((breach) => {
      const ticket = ticketOf.get(breach.ticketId);
      if (!ticket) return [];
      return ids.map((recipientId) => ({
        recipientId,
        kind: "sla_breached" as const,
        ticket,
        escalationId: breach.escalationId,
        summary: `SLA missed on ${subjectLine(ticket)}`,
        lines: [`Ticket ${ticketReference(ticket.number)} missed its SLA target. It has been escalated to the supervisors automatically.`, breach.note],
      }));
    }),
    { emailsPerRecipientPerHour: SLA_BREACH_EMAILS_PER_HOUR },
  );
}

/** After the caller's commit: deliver now rather than on the worker's next tick. */
export async function kickDelivery(): Promise<void> {
  const { kickOutboxWorker } = await import("@/platform/outbox/worker");
  void kickOutboxWorker();
}
