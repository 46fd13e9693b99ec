import "server-only";
import { recordAudit } from "@/platform/audit";
import type { Prisma } from "@/platform/db/client";
import { resumeSlaClock } from "@/features/sla/pause";
import { restartResolutionTarget } from "@/features/sla/policies";
import { emitWebhookEvent } from "@/features/webhooks/events";

/**
 * Small writers for tickets and messages that arrive by email (features/tickets/inbound/inbound.ts). Each takes
 * the caller's transaction so the InboundEmail row, the ticket and its message commit together.
 * They may be merged into the general ticket service later; keep them free of email parsing.
 */

type Tx = Prisma.TransactionClient;

export interface AttachmentContent {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

export interface NewEmailTicket {
  subject: string;
  /** The sender's address exactly as it came. */
  requesterAddress: string;
  requesterName: string | null;
  customerId: string | null;
  /** The customer's portal account with this address, when there is one. */
  requesterUserId: string | null;
  body: string;
  /** RFC 5322 Message-ID of the email, bracketed; null when it had none (or it is already used). */
  emailMessageId: string | null;
  /** The finished ticket this continues (an answer to a closed or long-solved ticket). */
  followUpToTicketId?: string | null;
  at?: Date;
}

/** Opens a ticket (channel email, status new) with the email as its first message. */
export async function createTicketFromEmail(tx: Tx, input: NewEmailTicket) {
  const at = input.at ?? new Date();
  const ticket = await tx.ticket.create({
    data: {
      subject: input.subject,
      channel: "email",
      status: "new",
      customerId: input.customerId,
      requesterUserId: input.requesterUserId,
      requesterAddress: input.requesterAddress,
      requesterName: input.requesterName,
      followUpToTicketId: input.followUpToTicketId ?? null,
      createdAt: at,
      lastActivityAt: at,
    },
    select: { id: true, number: true },
  });
  const message = await tx.ticketMessage.create({
    data: {
      ticketId: ticket.id,
      kind: "public_reply",
      authorAddress: input.requesterAddress,
      body: input.body,
      emailMessageId: input.emailMessageId,
      createdAt: at,
    },
    select: { id: true },
  });
  await emitWebhookEvent("ticket.created", { ticketId: ticket.id, channel: "email" }, tx);
  return { ticket, message };
}

/**
 * Adds an email from the customer's side to a ticket: bumps lastActivityAt and reopens a solved
 * or pending ticket (audited as "ticket.reopened").
 */
export async function appendInboundMessage(
  tx: Tx,
  input: {
    ticketId: string;
    body: string;
    authorAddress: string;
    emailMessageId: string | null;
    at?: Date /** An auto-reply: kept in the thread, but the ticket is not reopened or bumped. */;
    automatic?: boolean;
  },
) {
  const at = input.at ?? new Date();
  const message = await tx.ticketMessage.create({
    data: {
      ticketId: input.ticketId,
      kind: "public_reply",
      authorAddress: input.authorAddress,
      body: input.body,
      emailMessageId: input.emailMessageId,
      createdAt: at,
    },
    select: { id: true },
  });
  await emitWebhookEvent("message.created", { ticketId: input.ticketId, messageId: message.id, kind: "public_reply", author: "customer" }, tx);
  if (input.automatic) return { message, reopened: false };
  const { reopened } = await touchTicketForCustomerMessage(tx, input.ticketId, at);
  return { message, reopened };
}

/** lastActivityAt = at; solved/pending → open (the ball is in the agents' court again). Conditional update, so a concurrent status change is not overwritten blindly. */
export async function touchTicketForCustomerMessage(
  tx: Tx,
  ticketId: string,
  at: Date = new Date(),
  via: "email" | "portal" = "email",
): Promise<{ reopened: boolean }> {
  // Solved → open restarts the resolution target (features/sla/policies.ts); pending → open resumes the
  // paused resolution clock, moving the target later by the time spent waiting (features/sla/pause.ts).
  const fromSolved = await tx.ticket.updateMany({ where: { id: ticketId, status: "solved" }, data: { status: "open", solvedAt: null, lastActivityAt: at } });
  if (fromSolved.count > 0) await restartResolutionTarget(tx, ticketId, at);
  const fromPending = await tx.ticket.updateMany({ where: { id: ticketId, status: "pending" }, data: { status: "open", solvedAt: null, lastActivityAt: at } });
  if (fromPending.count > 0) await resumeSlaClock(tx, ticketId, at);
  const count = fromSolved.count + fromPending.count;
  if (count === 0) await tx.ticket.update({ where: { id: ticketId }, data: { lastActivityAt: at }, select: { id: true } });
  if (count > 0)
    await recordAudit({ action: "ticket.reopened", subjectType: "ticket", subjectId: ticketId, details: { reason: `customer replied by ${via}` } }, tx);
  return { reopened: count > 0 };
}

/** Stores a message's attachments (already checked for size by the caller). */
export async function addMessageAttachments(tx: Tx, messageId: string, attachments: readonly AttachmentContent[]): Promise<number> {
  for (const attachment of attachments) {
    await tx.ticketAttachment.create({
      data: {
        messageId,
        filename: attachment.filename,
        contentType: attachment.contentType,
        sizeBytes: attachment.content.byteLength,
        content: new Uint8Array(attachment.content),
      },
      select: { id: true },
    });
  }
  return attachments.length;
}
