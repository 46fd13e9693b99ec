import "server-only";
import { isSendableAddress } from "@/platform/email-address/email-address";
import { publicBaseUrl, serverEnv } from "@/platform/env";
import type { Prisma } from "@/platform/db/client";
import { enqueueEmail } from "@/platform/outbox/outbox";
import { consumeRateLimit } from "@/platform/rate-limit";
import { messageIdHostFrom, newTicketMessageId, replySubject, replyThreadHeaders, tagSubject } from "@/features/tickets/email-threading";
import { renderTicketAcknowledgement } from "@/features/notifications/emails";

/**
 * The customer's "we received your request" email, for every new ticket (portal, email, phone),
 * queued in the outbox in the transaction that creates the ticket: an acknowledged request is
 * never lost, and a rolled-back one is never acknowledged.
 */

type Tx = Prisma.TransactionClient;

/** Acknowledgements to one address per hour, at most: a mail loop or a flood gets a few, not thousands. */
export const ACKNOWLEDGEMENTS_PER_SENDER_PER_HOUR = 5;

export interface AcknowledgementRequest {
  ticket: { id: string; number: number; subject: string; channel: "web" | "email" | "phone" | "chat" };
  to: string | null;
  requesterName: string | null;
  /** The customer's own words (portal form, email text); null for a phone ticket. */
  request: string | null;
  /** The ticket's link in the portal, when the requester has a portal account. */
  portalTicketId?: string | null;
  /** The customer's email this answers (bracketed Message-ID), for threading. */
  inReplyTo?: string | null;
  /** Count against the per-sender hourly limit (email: the sender chose to write; a loop must end). */
  rateLimited?: boolean;
}

export type AcknowledgementResult = { queued: true; emailMessageId: string } | { queued: false; reason: string };

/**
 * Queues the acknowledgement in the caller's transaction. Its subject carries the ticket's tag
 * and its Message-ID is one of ours (vd-ticket-N), so the customer's answer to it lands on the ticket.
 */
export async function queueTicketAcknowledgement(tx: Tx, input: AcknowledgementRequest): Promise<AcknowledgementResult> {
  const to = input.to?.trim() ?? "";
  if (!to || !isSendableAddress(to)) return { queued: false, reason: "no address mail can be sent to" };
  if (input.rateLimited) {
    const limit = await consumeRateLimit(`ticket-ack:${to.toLowerCase()}`, ACKNOWLEDGEMENTS_PER_SENDER_PER_HOUR, 3600, tx);
    if (!limit.allowed) return { queued: false, reason: "acknowledgement limit for this sender reached" };
  }
  const env = serverEnv();
  const { ticket } = input;
  const emailMessageId = newTicketMessageId(ticket.number, messageIdHostFrom(env.EMAIL_FROM));
  const subject = input.inReplyTo ? replySubject(ticket.subject, ticket.number) : tagSubject(ticket.subject, ticket.number);
  const email = await renderTicketAcknowledgement({
    ticketNumber: ticket.number,
    subject,
    ticketSubject: ticket.subject,
    requesterName: input.requesterName,
    channel: ticket.channel,
    request: input.request,
    portalLink: input.portalTicketId ? `${publicBaseUrl(env)}/portal/tickets/${input.portalTicketId}` : null,
  });
  await enqueueEmail(
    {
      kind: "ticket-acknowledgement",
      to,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: {
        "Message-ID": emailMessageId,
        ...replyThreadHeaders(input.inReplyTo ? [input.inReplyTo] : []),
        // RFC 3834: an automatic answer; other responders must not answer it in turn.
        "Auto-Submitted": input.inReplyTo ? "auto-replied" : "auto-generated",
        "X-Auto-Response-Suppress": "All",
      },
    },
    tx,
  );
  return { queued: true, emailMessageId };
}
