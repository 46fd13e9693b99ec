import "server-only";
import { recordAudit } from "@/platform/audit";
import { isSendableAddress, mailboxAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { db, Prisma, type InboundEmail } from "@/platform/db/client";
import { isRetryableDatabaseError, isUniqueViolation } from "@/platform/db/errors";
import { storableDeep, truncateText } from "@/platform/text/schemas";
import { acknowledgementRefusal, isAutoReply } from "@/features/tickets/inbound/auto-reply";
import {
  domainOf,
  domainsAlign,
  senderAuthenticationFrom,
  type AuthVerdict,
  type HeaderList,
  type SenderAuthentication,
} from "@/features/tickets/inbound/authentication-results";
import { parseMessageIdList, normalizeMessageId, ticketNumberFromMessageId, ticketReferenceFrom } from "@/features/tickets/email-threading";
import { cleanLine, cleanText, htmlToText } from "@/features/tickets/inbound/inbound-text";
import { cutQuotedHtml, stripQuotedReply } from "@/features/tickets/inbound/quoted-reply";
import { addMessageAttachments, appendInboundMessage, createTicketFromEmail, type AttachmentContent } from "@/features/tickets/messages";
import { applySlaToTicket } from "@/features/sla/policies";
import { kickDelivery, notifyCustomerReply } from "@/features/notifications/notify";
import { queueTicketAcknowledgement } from "@/features/notifications/acknowledgement";
import { serverEnv } from "@/platform/env";
import { appNow } from "@/platform/clock";
import type { TicketStatus } from "@/platform/db/generated/prisma/enums";
import { customerReopen } from "@/features/tickets/status-rules";

/**
 * Email in: one received email becomes a new ticket, a message on the ticket it answers, or —
 * when it claims a known customer's address but fails sender authentication — a held email
 * that waits for an agent (features/tickets/inbound/held-email.ts).
 *
 * Which ticket an email answers:
 *   1. In-Reply-To / References naming a stored Message-ID (TicketMessage.emailMessageId, or an
 *      InboundEmail.messageId on a ticket): whoever sent it, it is part of that thread;
 *   2. otherwise a "[VD-1234]" subject tag (or one of our "<vd-ticket-1234.…>" ids that is not
 *      stored) — only when the sender is that ticket's requester or an address of its customer,
 *      so that guessing a number does not let a stranger write into someone's ticket;
 *   3. otherwise (no reference, an unknown one, someone else's ticket) a new ticket;
 *   and an answer to a closed ticket, or to one solved longer ago than the reopen window, opens a
 *   follow-up ticket (followUpToTicketId), as the portal does, instead of reopening it.
 *
 * Everything acknowledged is written in ONE transaction (InboundEmail first, so a duplicate
 * Message-ID fails on its unique index before anything else is written) before the caller answers.
 */

export const MAX_TEXT_BYTES = 1024 * 1024;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_TOTAL_ATTACHMENT_BYTES = 25 * 1024 * 1024;
export const MAX_SUBJECT_LENGTH = 998;

export type InboundSource = "resend" | "json" | "mime";

export interface InboundAttachmentInput {
  filename: string | null;
  contentType: string | null;
  content: Uint8Array;
}

/** An email as any of the three entry points hands it over. */
export interface InboundEmailInput {
  source: InboundSource;
  from: { address: string; name: string | null };
  to: string[];
  subject: string | null;
  text: string | null;
  html: string | null;
  /** True when the text is known to have been derived from the HTML (it is then derived again here). */
  htmlOnly?: boolean;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  /** Every header, topmost first; used for the sender's authentication results. */
  headers: HeaderList;
  attachments: InboundAttachmentInput[];
}

/** A refusal the HTTP layer turns into `{ error }` with this status. */
export class InboundEmailError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 401 | 413 | 415 | 502 | 503,
  ) {
    super(message);
    this.name = "InboundEmailError";
  }
}

export interface PreparedEmail {
  source: InboundSource;
  fromAddress: string;
  fromNormalized: string;
  fromName: string | null;
  to: string[];
  subject: string;
  textBody: string;
  /**
   * The text without the conversation the sender's mail program quoted (features/tickets/inbound/quoted-reply.ts),
   * for when the email answers a ticket; null when nothing was quoted. textBody keeps the whole email.
   */
  replyBody: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  auth: SenderAuthentication;
  /** Sent by an out-of-office or other responder (features/tickets/inbound/auto-reply.ts): filed, but reopens nothing. */
  autoReply: boolean;
  /** Why a ticket it opens gets no acknowledgement (bulk, automatic, our own…), or null (auto-reply.ts). */
  noAcknowledgement: string | null;
  attachments: AttachmentContent[];
}

/** Recorded (authResults.noAcknowledgement) when a new ticket's sender fails authentication. */
export const UNAUTHENTICATED_SENDER = "the sender's authentication failed (the From address may be forged)";

const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
const MB = 1024 * 1024;

/** Checks and cleans an email before anything is stored. Throws InboundEmailError (400 / 413). */
export function prepareInboundEmail(raw: InboundEmailInput): PreparedEmail {
  // Every string made storable first (no NUL, no lone surrogate): bad content is cleaned, never a refusal.
  const input = storableDeep(raw);
  const fromAddress = cleanLine(input.from.address, 320);
  if (!isSendableAddress(fromAddress)) throw new InboundEmailError("The email has no valid From address.", 400);

  const html = input.html && input.html.trim() ? input.html : null;
  const fromHtml = Boolean(input.htmlOnly || !input.text?.trim());
  const rawText = fromHtml ? (html ? htmlToText(html) : "") : (input.text ?? "");
  const textBody = cleanText(rawText).trim();
  if (Buffer.byteLength(textBody, "utf8") > MAX_TEXT_BYTES) {
    throw new InboundEmailError("The email's text is larger than 1 MB; ask the sender to send long content as an attachment.", 413);
  }
  // Text taken from HTML is cut at the mail program's quote container first (it marks the quote even
  // where the attribution line is in a language the text rules do not know).
  const htmlBeforeQuote = fromHtml && html ? cutQuotedHtml(html) : null;
  const reply = stripQuotedReply(htmlBeforeQuote === null ? textBody : cleanText(htmlToText(htmlBeforeQuote)).trim());
  const replyBody = reply.text.trim() && (reply.stripped || htmlBeforeQuote !== null) && reply.text !== textBody ? reply.text : null;

  let total = 0;
  const attachments = input.attachments.map((attachment, index) => {
    const filename = cleanLine(attachment.filename, 255) || `attachment-${index + 1}`;
    if (attachment.content.byteLength > MAX_ATTACHMENT_BYTES) {
      throw new InboundEmailError(`The attachment "${filename}" is larger than 10 MB.`, 413);
    }
    total += attachment.content.byteLength;
    if (total > MAX_TOTAL_ATTACHMENT_BYTES) throw new InboundEmailError("The email's attachments are larger than 25 MB in total.", 413);
    const type = (attachment.contentType ?? "").split(";")[0]!.trim().toLowerCase();
    return { filename, contentType: CONTENT_TYPE.test(type) ? type : "application/octet-stream", content: attachment.content };
  });

  const auth = senderAuthenticationFrom(input.headers);
  return {
    source: input.source,
    fromAddress,
    fromNormalized: normalizeEmail(fromAddress),
    fromName: cleanLine(input.from.name, 200) || null,
    to: input.to
      .map((address) => cleanLine(address, 320))
      .filter((address) => isSendableAddress(address))
      .slice(0, 100),
    subject: cleanLine(input.subject, MAX_SUBJECT_LENGTH),
    textBody,
    replyBody,
    messageId: normalizeMessageId(input.messageId),
    inReplyTo: normalizeMessageId(input.inReplyTo),
    references: parseMessageIdList(input.references).slice(-100),
    auth,
    autoReply: isAutoReply(input.headers),
    noAcknowledgement:
      acknowledgementRefusal(
        input.headers,
        { address: fromAddress, messageId: normalizeMessageId(input.messageId) },
        { address: mailboxAddress(serverEnv().EMAIL_FROM), isOwnMessageId: (id) => ticketNumberFromMessageId(id) !== null },
      ) ??
      // Answering a forged From would mail our text to whoever was forged: a relay for spam and phishing.
      (senderAuthenticationFailure(auth, fromAddress) ? UNAUTHENTICATED_SENDER : null),
    attachments,
  };
}

// ───────────────────────────── The hold rule ─────────────────────────────

const DKIM_FAILED: readonly AuthVerdict[] = ["fail", "none", "permerror", "unknown"];
const SPF_FAILED: readonly AuthVerdict[] = ["fail", "softfail", "none", "permerror", "unknown"];

/**
 * Whether nothing shows the email really came from the address it claims: "dmarc" when DMARC
 * failed, "unaligned" when DKIM failed/is missing AND SPF failed/softfailed/is missing, else null.
 *
 * A "pass" only counts for the claimed address's own domain (relaxed alignment): a signature by
 * some other domain, or SPF passing for another envelope domain, proves nothing about
 * jane@example.com, so it counts as "none". "permerror" and unreadable results count as failures.
 * When the results do not name a domain, a pass is taken as given.
 */
export function senderAuthenticationFailure(auth: SenderAuthentication, claimedAddress: string): "dmarc" | "unaligned" | null {
  if (auth.dmarc === "fail") return "dmarc";
  const { dkim, spf } = alignedVerdicts(auth, domainOf(claimedAddress) ?? claimedAddress);
  return DKIM_FAILED.includes(dkim) && SPF_FAILED.includes(spf) ? "unaligned" : null;
}

function alignedVerdicts(auth: SenderAuthentication, domain: string): { dkim: AuthVerdict; spf: AuthVerdict } {
  const dkimAligned = auth.dkimPassDomains.length === 0 || auth.dkimPassDomains.some((signer) => domainsAlign(signer, domain));
  const spfAligned = auth.spfDomain === null || domainsAlign(auth.spfDomain, domain);
  return { dkim: auth.dkim === "pass" && !dkimAligned ? "none" : auth.dkim, spf: auth.spf === "pass" && !spfAligned ? "none" : auth.spf };
}

/**
 * Why an email that claims a known customer's address must wait for an agent (its sender
 * authentication fails, see senderAuthenticationFailure), or null when it is good enough to attach it.
 */
export function heldReasonFor(auth: SenderAuthentication, claimedAddress: string): string | null {
  const domain = domainOf(claimedAddress) ?? claimedAddress;
  const lead = `This email claims to come from ${claimedAddress}, an address on a customer record, but`;
  const failure = senderAuthenticationFailure(auth, claimedAddress);
  if (failure === "dmarc") {
    return `${lead} it failed ${domain}'s DMARC check (the domain owner's own rule for telling real mail from forged), so it may be forged. Accept it only if you are sure it is genuine.`;
  }
  if (failure === "unaligned") {
    const { dkim, spf } = alignedVerdicts(auth, domain);
    const signature =
      auth.dkim === "pass"
        ? `it was signed only by ${auth.dkimPassDomains.join(", ")}, not by ${domain}`
        : dkim === "none"
          ? `it carries no DKIM signature`
          : `its DKIM signature did not verify (${dkim})`;
    const server =
      auth.spf === "pass"
        ? `SPF passed only for ${auth.spfDomain}`
        : spf === "none"
          ? `there is no SPF result for it`
          : `the sending server is not one ${domain} allows (SPF ${spf})`;
    return `${lead} ${signature} and ${server}, so nothing shows it really came from ${domain}. Accept it only if you are sure it is genuine.`;
  }
  return null;
}

// ───────────────────────────── Who sent it, which ticket it answers ─────────────────────────────

type Tx = Prisma.TransactionClient;

export interface SenderIdentity {
  /** The address is a customer's primary address or alias, or a customer's portal sign-in. */
  known: boolean;
  customerId: string | null;
  userId: string | null;
}

export async function identifySender(tx: Tx, address: string): Promise<SenderIdentity> {
  const normalized = normalizeEmail(address);
  const [customerEmail, user] = await Promise.all([
    tx.customerEmail.findUnique({ where: { normalized }, select: { customerId: true } }),
    tx.user.findFirst({ where: { email: normalized, role: "customer", disabledAt: null }, select: { id: true, customerId: true } }),
  ]);
  return {
    known: customerEmail !== null || user !== null,
    customerId: customerEmail?.customerId ?? user?.customerId ?? null,
    userId: user?.id ?? null,
  };
}

type RoutedTicket = { id: string; number: number; status: string };
export type Route =
  | { kind: "reply"; ticket: RoutedTicket; via: "message_id" | "reference" }
  /** followUpTo: the finished ticket the email answers, when it continues as a follow-up ticket. */
  | { kind: "new"; note?: string; followUpTo?: string };

/**
 * An answer to a finished ticket continues it as a follow-up ticket, by the portal's rule
 * (status-rules.ts customerReopen): closed, or solved longer ago than CUSTOMER_REOPEN_WINDOW_DAYS.
 * Other statuses take the answer (a solved one within the window reopens).
 */
async function followUpRoute(ticket: { id: string; status: TicketStatus; solvedAt: Date | null }): Promise<Route | null> {
  if (ticket.status === "closed") return { kind: "new", note: "answers a closed ticket", followUpTo: ticket.id };
  // appNow: the same clock the portal's reopen button is judged by.
  if (ticket.status === "solved" && !customerReopen(ticket, await appNow(), serverEnv().CUSTOMER_REOPEN_WINDOW_DAYS).ok) {
    return { kind: "new", note: "answers a ticket solved longer ago than the reopen window", followUpTo: ticket.id };
  }
  return null;
}

interface RoutableEmail {
  fromNormalized: string;
  subject: string;
  inReplyTo: string | null;
  references: string[];
}

/** Which ticket (if any) the email answers; see the rules at the top of this file. */
export async function routeInboundEmail(tx: Tx, email: RoutableEmail, sender: SenderIdentity): Promise<Route> {
  const ticketSelect = {
    id: true,
    number: true,
    status: true,
    solvedAt: true,
    customerId: true,
    requesterAddress: true,
    requester: { select: { email: true } },
  } as const;
  const ids = [...(email.inReplyTo ? [email.inReplyTo] : []), ...[...email.references].reverse()];
  if (ids.length > 0) {
    const [messages, inbound] = await Promise.all([
      tx.ticketMessage.findMany({ where: { emailMessageId: { in: ids } }, select: { emailMessageId: true, ticketId: true } }),
      tx.inboundEmail.findMany({ where: { messageId: { in: ids }, ticketId: { not: null } }, select: { messageId: true, ticketId: true } }),
    ]);
    const ticketOf = new Map<string, string>();
    for (const row of inbound) if (row.messageId && row.ticketId) ticketOf.set(row.messageId, row.ticketId);
    for (const row of messages) if (row.emailMessageId) ticketOf.set(row.emailMessageId, row.ticketId);
    const ticketId = ids.map((id) => ticketOf.get(id)).find(Boolean);
    if (ticketId) {
      const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: ticketSelect });
      if (ticket) return (await followUpRoute(ticket)) ?? { kind: "reply", ticket, via: "message_id" };
    }
  }

  const claim = ticketReferenceFrom({ subject: email.subject, inReplyTo: email.inReplyTo, references: email.references });
  if (!claim) return { kind: "new" };
  const ticket = await tx.ticket.findUnique({ where: { number: claim.ticketNumber }, select: ticketSelect });
  if (!ticket) return { kind: "new", note: "names an unknown ticket" };
  const isRequester =
    (ticket.requesterAddress !== null && normalizeEmail(ticket.requesterAddress) === email.fromNormalized) ||
    (ticket.requester !== null && normalizeEmail(ticket.requester.email) === email.fromNormalized) ||
    (sender.customerId !== null && sender.customerId === ticket.customerId);
  if (!isRequester) return { kind: "new", note: "names a ticket of another requester" };
  return (await followUpRoute(ticket)) ?? { kind: "reply", ticket, via: "reference" };
}

// ───────────────────────────── Filing ─────────────────────────────

function strippedOrNull(text: string): string | null {
  const reply = stripQuotedReply(text);
  return reply.stripped ? reply.text : null;
}

export type FiledEmail = { created: boolean; ticketId: string; ticketNumber: number; messageId: string; reopened: boolean };

/**
 * Turns a stored InboundEmail into a ticket or a message on one (inside the caller's
 * transaction), stores its attachments and links the InboundEmail to what it became.
 */
export async function fileInboundEmail(
  tx: Tx,
  inbound: InboundEmail,
  attachments: readonly AttachmentContent[],
  sender: SenderIdentity,
  /** PreparedEmail.replyBody when filed as received; a held email accepted later is stripped from its stored text. */
  replyBody?: string | null,
): Promise<FiledEmail> {
  const fromNormalized = normalizeEmail(inbound.fromAddress);
  const route = await routeInboundEmail(tx, { fromNormalized, subject: inbound.subject, inReplyTo: inbound.inReplyTo, references: inbound.references }, sender);
  // The thread id goes on the message too (for threading our replies), unless a message already
  // carries it — a copy of one of our own emails coming back, for instance.
  const taken = inbound.messageId ? await tx.ticketMessage.findUnique({ where: { emailMessageId: inbound.messageId }, select: { id: true } }) : null;
  const emailMessageId = taken ? null : inbound.messageId;
  const body = inbound.textBody || "(This email had no text.)";

  let filed: FiledEmail;
  let skippedAcknowledgement: string | null = null;
  if (route.kind === "reply") {
    const { message, reopened } = await appendInboundMessage(tx, {
      ticketId: route.ticket.id,
      // An answer on a ticket keeps only what the customer wrote; InboundEmail.textBody keeps the whole email
      // (the agent's thread offers it). A new ticket keeps everything: a forwarded thread is its context.
      body: (replyBody === undefined ? strippedOrNull(inbound.textBody) : replyBody) || body,
      authorAddress: inbound.fromAddress,
      emailMessageId,
      automatic: wasAutoReply(inbound.authResults),
    });
    if (!wasAutoReply(inbound.authResults)) await notifyCustomerReply(tx, route.ticket.id, { body, from: inbound.fromName ?? inbound.fromAddress });
    filed = { created: false, ticketId: route.ticket.id, ticketNumber: route.ticket.number, messageId: message.id, reopened };
  } else {
    const { ticket, message } = await createTicketFromEmail(tx, {
      subject: inbound.subject || "(no subject)",
      requesterAddress: inbound.fromAddress,
      requesterName: inbound.fromName,
      customerId: sender.customerId,
      requesterUserId: sender.userId,
      body,
      emailMessageId,
      followUpToTicketId: route.followUpTo ?? null,
    });
    await applySlaToTicket(tx, ticket.id);
    if (!acknowledgementSkippedBecause(inbound.authResults)) {
      // The sender's name and words are not echoed (features/notifications/acknowledgement.ts): mail from us must not carry a stranger's text.
      const acknowledgement = await queueTicketAcknowledgement(tx, {
        ticket: { id: ticket.id, number: ticket.number, subject: inbound.subject || "(no subject)", channel: "email" },
        to: inbound.fromAddress,
        requesterName: null,
        request: null,
        portalTicketId: sender.userId ? ticket.id : null,
        inReplyTo: inbound.messageId,
        rateLimited: true,
      });
      if (!acknowledgement.queued) skippedAcknowledgement = acknowledgement.reason;
    }
    filed = { created: true, ticketId: ticket.id, ticketNumber: ticket.number, messageId: message.id, reopened: false };
  }
  await addMessageAttachments(tx, filed.messageId, attachments);
  await tx.inboundEmail.update({
    where: { id: inbound.id },
    data: {
      ticketId: filed.ticketId,
      ticketMessageId: filed.messageId,
      customerId: sender.customerId,
      // Why no acknowledgement went (a rate limit, no sendable address), beside the refusals recorded when received.
      ...(skippedAcknowledgement ? { authResults: withNoAcknowledgement(inbound.authResults, skippedAcknowledgement) } : {}),
    },
    select: { id: true },
  });
  return filed;
}

// ───────────────────────────── Receiving ─────────────────────────────

export type InboundOutcome =
  | { status: "ticket_created"; inboundEmailId: string; ticketId: string; ticketNumber: number }
  | { status: "message_added"; inboundEmailId: string; ticketId: string; ticketNumber: number; reopened: boolean }
  | { status: "held"; inboundEmailId: string; reason: string }
  | { status: "already_received" };

export interface ReceiveOptions {
  /** A webhook delivery to record in the same transaction (insert-first: a replay fails on it). */
  receipt?: { id: string; source: string; type: string };
}

/** Stored in authResults while an email is held: TicketAttachment needs a message, which a held email does not have yet. */
export interface HeldAttachment {
  filename: string;
  contentType: string;
  sizeBytes: number;
  contentBase64: string;
}

export function authResultsJson(
  auth: SenderAuthentication,
  held?: readonly AttachmentContent[],
  autoReply = false,
  noAcknowledgement: string | null = null,
): Prisma.InputJsonObject {
  const base = { ...auth, ...(autoReply ? { autoReply: true } : {}), ...(noAcknowledgement ? { noAcknowledgement } : {}) } as unknown as Prisma.InputJsonObject;
  if (!held || held.length === 0) return base;
  const heldAttachments: HeldAttachment[] = held.map((attachment) => ({
    filename: attachment.filename,
    contentType: attachment.contentType,
    sizeBytes: attachment.content.byteLength,
    contentBase64: Buffer.from(attachment.content.buffer, attachment.content.byteOffset, attachment.content.byteLength).toString("base64"),
  }));
  return { ...base, heldAttachments: heldAttachments as unknown as Prisma.InputJsonArray };
}

function withNoAcknowledgement(authResults: Prisma.JsonValue, reason: string): Prisma.InputJsonObject {
  const base = authResults && typeof authResults === "object" && !Array.isArray(authResults) ? authResults : {};
  return { ...base, noAcknowledgement: reason } as unknown as Prisma.InputJsonObject;
}

/** Whether a stored InboundEmail came from an auto-responder (recorded in authResults when received). */
export function wasAutoReply(authResults: Prisma.JsonValue): boolean {
  return Boolean(authResults && typeof authResults === "object" && !Array.isArray(authResults) && authResults.autoReply === true);
}

/** Why a stored InboundEmail's new ticket gets no acknowledgement (recorded when received), or null. */
export function acknowledgementSkippedBecause(authResults: Prisma.JsonValue): string | null {
  if (!authResults || typeof authResults !== "object" || Array.isArray(authResults)) return null;
  return typeof authResults.noAcknowledgement === "string" ? authResults.noAcknowledgement : null;
}

/**
 * Stores one received email and files it, all in one transaction. Returns "already_received"
 * for a Message-ID (or webhook delivery) seen before; throws InboundEmailError for bad input.
 */
export async function receiveInboundEmail(input: InboundEmailInput, options: ReceiveOptions = {}): Promise<InboundOutcome> {
  const email = prepareInboundEmail(input);
  if (email.messageId && (await db.inboundEmail.findUnique({ where: { messageId: email.messageId }, select: { id: true } }))) {
    return { status: "already_received" };
  }
  try {
    const outcome = await db.$transaction(
      async (tx) => {
        if (options.receipt) await tx.webhookReceipt.create({ data: options.receipt });
        // A copy of a message already in a thread (ours coming back, or stored under another route).
        if (email.messageId && (await tx.ticketMessage.findUnique({ where: { emailMessageId: email.messageId }, select: { id: true } }))) {
          return { status: "already_received" } as const;
        }
        const sender = await identifySender(tx, email.fromAddress);
        const heldReason = sender.known ? heldReasonFor(email.auth, email.fromAddress) : null;
        const inbound = await tx.inboundEmail.create({
          data: {
            source: email.source,
            fromAddress: email.fromAddress,
            fromName: email.fromName,
            toAddresses: email.to,
            subject: email.subject,
            messageId: email.messageId,
            inReplyTo: email.inReplyTo,
            references: email.references,
            textBody: email.textBody,
            authResults: authResultsJson(email.auth, heldReason ? email.attachments : undefined, email.autoReply, email.noAcknowledgement),
            status: heldReason ? "held_unverified" : "accepted",
            heldReason,
            customerId: sender.customerId,
          },
        });
        if (heldReason) {
          await recordAudit(
            {
              action: "inbound_email.held",
              subjectType: "inbound_email",
              subjectId: inbound.id,
              details: { spf: email.auth.spf, dkim: email.auth.dkim, dmarc: email.auth.dmarc },
            },
            tx,
          );
          return { status: "held", inboundEmailId: inbound.id, reason: heldReason } as const;
        }
        const filed = await fileInboundEmail(tx, inbound, email.attachments, sender, email.replyBody);
        return filed.created
          ? ({ status: "ticket_created", inboundEmailId: inbound.id, ticketId: filed.ticketId, ticketNumber: filed.ticketNumber } as const)
          : ({
              status: "message_added",
              inboundEmailId: inbound.id,
              ticketId: filed.ticketId,
              ticketNumber: filed.ticketNumber,
              reopened: filed.reopened,
            } as const);
      },
      // Attachments up to 25 MB go in with it.
      { maxWait: 10_000, timeout: 60_000 },
    );
    if (outcome.status === "ticket_created" || outcome.status === "message_added") void kickDelivery();
    return outcome;
  } catch (error) {
    // The same Message-ID or webhook delivery committed by a concurrent request first.
    if (isUniqueViolation(error)) return { status: "already_received" };
    // Busy or unreachable database: the sender's server (or gateway) delivers it again later.
    if (isRetryableDatabaseError(error) || !(error instanceof Prisma.PrismaClientKnownRequestError || error instanceof Prisma.PrismaClientUnknownRequestError))
      throw error;
    // The database refused what filing wrote: keep the email, held for an agent, rather than lose it.
    return holdUnfileable(email, error, options);
  }
}

/**
 * An email that could not be filed (the database refused something in it): stored as a held
 * email with its cleaned text, so an agent sees it and can accept (file) or reject it.
 */
async function holdUnfileable(email: PreparedEmail, error: unknown, options: ReceiveOptions): Promise<InboundOutcome> {
  const cause = truncateText((error instanceof Error ? error.message : String(error)).replace(/\s+/g, " "), 300);
  console.error(`[inbound] could not file an email from ${email.fromAddress}; held for an agent: ${cause}`);
  const heldReason =
    "Veridesk could not file this email automatically (the database refused part of its content). It is kept here: accept it to file it, or reject it.";
  const storable = (value: string) => JSON.stringify(value).slice(1, -1);
  const inbound = await db.$transaction(async (tx) => {
    if (options.receipt) await tx.webhookReceipt.create({ data: options.receipt });
    return tx.inboundEmail.create({
      data: {
        source: email.source,
        fromAddress: storable(email.fromAddress),
        fromName: email.fromName === null ? null : storable(email.fromName),
        toAddresses: email.to.map(storable),
        subject: storable(email.subject),
        // The Message-ID stays out: if it is what the database refused, a unique index would refuse it again.
        messageId: null,
        inReplyTo: null,
        references: [],
        textBody: storable(email.textBody),
        authResults: { unfileable: cause } as Prisma.InputJsonObject,
        status: "held_unverified",
        heldReason,
      },
      select: { id: true },
    });
  });
  return { status: "held", inboundEmailId: inbound.id, reason: heldReason };
}
