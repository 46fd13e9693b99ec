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

/** Counter shared by every email sender (platform/rate-limit.ts), limited by EMAIL_ACKNOWLEDGEMENTS_PER_HOUR. */
export const GLOBAL_EMAIL_ACKNOWLEDGEMENT_KEY = "ticket-ack:email:all-senders";

/** The subject text of an emailed request's acknowledgement ("[VD-1001] We received your request"). */
export const ACKNOWLEDGEMENT_SUBJECT = "We received your request";

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
  if (input.ticket.channel === "email") {
    // Anyone can make us answer an email; all senders together get a bounded number of answers.
    const limit = await consumeRateLimit(GLOBAL_EMAIL_ACKNOWLEDGEMENT_KEY, env.EMAIL_ACKNOWLEDGEMENTS_PER_HOUR, 3600, tx);
    if (!limit.allowed) return { queued: false, reason: "hourly acknowledgement limit for all email senders reached" };
  }
  const { ticket } = input;
  const emailMessageId = newTicketMessageId(ticket.number, messageIdHostFrom(env.EMAIL_FROM));
  // An emailed request's subject, name and text are whatever the sender (perhaps forging the From) chose:
  // none of it is echoed, so our acknowledgement cannot carry someone's spam or phishing text. The
  // In-Reply-To/References headers thread it; the [VD-n] tag routes the customer's answer.
  const fromEmail = ticket.channel === "email";
  const subjectText = fromEmail ? ACKNOWLEDGEMENT_SUBJECT : ticket.subject;
  const subject = input.inReplyTo && !fromEmail ? replySubject(subjectText, ticket.number) : tagSubject(subjectText, ticket.number);
  const email = await renderTicketAcknowledgement({
    ticketNumber: ticket.number,
    subject,
    ticketSubject: fromEmail ? null : ticket.subject,
    requesterName: fromEmail ? null : input.requesterName,
    channel: ticket.channel,
    request: fromEmail ? null : input.request,
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
