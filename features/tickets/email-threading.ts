import "server-only";
import { randomBytes } from "node:crypto";
import { ticketReference } from "@/features/tickets/labels";

/**
 * Keeping a ticket's email conversation in one thread, both ways:
 *
 * - out: every agent reply carries "[VD-1001]" in its subject, its own Message-ID
 *   ("<vd-ticket-1001.…@host>") and In-Reply-To / References naming the thread's earlier
 *   messages, so the customer's mail program threads it and their answer names it back;
 * - in: `ticketReferenceFrom` finds the ticket an answer names, by Message-ID or subject tag.
 *
 * Message ids are handled in their bracketed form "<local@host>" everywhere (TicketMessage.emailMessageId,
 * InboundEmail.messageId). A reference found here is only a claim: features/tickets/inbound/inbound.ts decides
 * whether it is trusted (a stored Message-ID, or a tag from the ticket's own requester).
 *
 *   const subject = replySubject(ticket.subject, ticket.number);              // "Re: [VD-1001] Printer on fire"
 *   const messageId = newTicketMessageId(ticket.number, messageIdHostFrom(env.EMAIL_FROM));
 *   const headers = { "Message-ID": messageId, ...replyThreadHeaders(threadMessageIds) };
 */

const TAG = /\[\s*VD-(\d{1,9})\s*\]/i;
const OUR_MESSAGE_ID = /^<vd-ticket-(\d{1,9})\.[^@<>\s]+@[^<>\s]+>$/i;
/** Keep References short (RFC 5322 §3.6.4 lets it be trimmed): the first message and the most recent ones. */
export const MAX_REFERENCES = 20;

/** "[VD-1001]". */
export function ticketSubjectTag(ticketNumber: number): string {
  return `[${ticketReference(ticketNumber)}]`;
}

function oneLine(subject: string): string {
  return subject
    .replace(/[\r\n\t]+/g, " ")
    .replace(/\s{2,}/g, " ")
    .trim();
}

/** The subject with the ticket's tag, added once: "[VD-1001] Printer on fire". Leading "Re:"/"Fwd:" stay in front. */
export function tagSubject(subject: string, ticketNumber: number): string {
  const clean = oneLine(subject);
  const tag = ticketSubjectTag(ticketNumber);
  if (ticketNumberFromSubject(clean) === ticketNumber) return clean;
  const prefix = /^((?:(?:re|fwd?|aw|sv|wg)(?:\s*\[\d+\])?\s*:\s*)*)/i.exec(clean)?.[1] ?? "";
  const rest = clean.slice(prefix.length);
  return `${prefix}${tag}${rest ? ` ${rest}` : ""}`.trim();
}

/** The subject of an agent's reply: one "Re: " and the tag, whatever the original carried. */
export function replySubject(subject: string, ticketNumber: number): string {
  const withoutPrefixes = oneLine(subject).replace(/^((?:re|fwd?|aw|sv|wg)(?:\s*\[\d+\])?\s*:\s*)+/i, "");
  return `Re: ${tagSubject(withoutPrefixes || "(no subject)", ticketNumber)}`;
}

/** The ticket number a subject's "[VD-1234]" tag names (the first one), or null. */
export function ticketNumberFromSubject(subject: string | null | undefined): number | null {
  const match = subject ? TAG.exec(subject) : null;
  return match ? safeNumber(match[1]!) : null;
}

function safeNumber(digits: string): number | null {
  const value = Number(digits);
  return Number.isSafeInteger(value) && value > 0 && value <= 2_147_483_647 ? value : null;
}

/** The domain part for our Message-IDs, from the sender address ("Support <support@example.com>" → "example.com"). */
export function messageIdHostFrom(emailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(emailFrom.trim())?.[1];
  return domain && domain.includes(".") ? domain.toLowerCase() : "veridesk.localhost";
}

/** A new RFC 5322 Message-ID for a message on ticket `ticketNumber`: "<vd-ticket-1001.lx2k9a.3f9c…@example.com>". */
export function newTicketMessageId(ticketNumber: number, host: string): string {
  if (!Number.isSafeInteger(ticketNumber) || ticketNumber <= 0) throw new Error("ticketNumber must be a positive integer");
  if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new Error("host must be a domain name");
  return `<vd-ticket-${ticketNumber}.${Date.now().toString(36)}.${randomBytes(8).toString("hex")}@${host.toLowerCase()}>`;
}

/** The ticket number inside one of our own Message-IDs, or null for anyone else's. */
export function ticketNumberFromMessageId(messageId: string): number | null {
  const match = OUR_MESSAGE_ID.exec(messageId.trim());
  return match ? safeNumber(match[1]!) : null;
}

/** One Message-ID in its bracketed form, or null when the value holds none. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  return parseMessageIdList(value)[0] ?? null;
}

/**
 * The message ids in an In-Reply-To or References value, in order, bracketed, without
 * duplicates. Tolerates comments, missing brackets around a lone id and folded lines.
 */
export function parseMessageIdList(value: string | readonly string[] | null | undefined): string[] {
  if (!value) return [];
  // Real References values stay far below this; the cap keeps a hostile header cheap.
  const text = (typeof value === "string" ? value : value.join(" ")).slice(0, 65_536).replace(/\([^()]*\)/g, " ");
  const found = [...text.matchAll(/<\s*([^<>\s@]+@[^<>\s]+)\s*>/g)].map((match) => `<${match[1]}>`);
  if (found.length === 0) {
    // Some gateways strip the brackets: accept bare "local@host" tokens.
    for (const token of text.split(/[\s,]+/)) if (/^[^<>\s@]+@[^<>\s@]+$/.test(token)) found.push(`<${token}>`);
  }
  return [...new Set(found)].filter((id) => id.length <= 998);
}

/**
 * In-Reply-To and References for a reply, given the thread's message ids oldest first (the
 * customer's and ours). Empty when the thread has none.
 */
export function replyThreadHeaders(threadMessageIds: readonly string[]): { "In-Reply-To"?: string; References?: string } {
  const ids = parseMessageIdList(threadMessageIds);
  if (ids.length === 0) return {};
  const kept = ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  return { "In-Reply-To": ids.at(-1)!, References: kept.join(" ") };
}

export type TicketReferenceClaim = { ticketNumber: number; via: "message_id" | "subject" };

/**
 * The ticket an incoming email names: through one of our Message-IDs in In-Reply-To/References
 * (most recent first), else through the subject's tag. Only a claim (see the note at the top).
 */
export function ticketReferenceFrom(email: {
  subject?: string | null;
  inReplyTo?: string | null;
  references?: string | readonly string[] | null;
}): TicketReferenceClaim | null {
  const ids = [...parseMessageIdList(email.inReplyTo), ...parseMessageIdList(email.references).reverse()];
  for (const id of ids) {
    const ticketNumber = ticketNumberFromMessageId(id);
    if (ticketNumber !== null) return { ticketNumber, via: "message_id" };
  }
  const fromSubject = ticketNumberFromSubject(email.subject);
  return fromSubject === null ? null : { ticketNumber: fromSubject, via: "subject" };
}
