import "server-only";
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { consumeRateLimit } from "@/platform/rate-limit";
import { attachmentContent } from "@/features/tickets/attachment-files";

/**
 * A customer's copy of their data (GDPR Art. 15): a ZIP with `data.json` and their attachments.
 *
 * What is theirs: their portal account, the customer record it is matched to (contact details,
 * agreements, its own and its organisation's), their tickets (opened by them, or about their record)
 * with the messages they can see (public replies: never internal notes, whose attachments stay out
 * too), a summary of identity checks (method, outcome, when; never the values compared nor staff
 * reasons), and the audit events they did or that are about their account (what and when).
 *
 * The ZIP is streamed: entries are produced as the response is read, one attachment in memory at a
 * time, so a customer with a gigabyte of attachments costs one file's worth of memory, not a gigabyte.
 */

export const EXPORTS_PER_HOUR = 5;
const EXPORT_WINDOW_SECONDS = 3600;
export const exportRateKey = (userId: string) => `privacy-export:${userId}`;

export interface ExportAttachment {
  id: string;
  ticketNumber: number;
  filename: string;
  contentType: string;
  sizeBytes: number;
  path: string;
  storageKey: string | null;
}

const safeName = (filename: string) => (filename.split(/[\\/]/).pop() || "file").replace(/[\u0000-\u001f\u007f"*:<>?|]/g, "_").slice(0, 120);

/** Everything `data.json` holds, plus the list of attachments to add beside it. */
export async function collectExport(userId: string) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      emailVerifiedAt: true,
      phoneE164: true,
      phoneVerifiedAt: true,
      twoFactorMethod: true,
      timeZone: true,
      matchStatus: true,
      accountHint: true,
      createdAt: true,
      lastSignInAt: true,
      customerId: true,
    },
  });
  const customer = user.customerId
    ? await db.customer.findFirst({
        where: { id: user.customerId, erasedAt: null },
        select: {
          id: true,
          accountNumber: true,
          name: true,
          createdAt: true,
          organisation: { select: { id: true, name: true } },
          emails: { select: { address: true, isPrimary: true, verifiedAt: true, createdAt: true }, orderBy: { createdAt: "asc" } },
          phones: { select: { e164: true, kind: true, verifiedAt: true, createdAt: true }, orderBy: { createdAt: "asc" } },
        },
      })
    : null;
  const agreementOwners = customer ? [{ customerId: customer.id }, ...(customer.organisation ? [{ organisationId: customer.organisation.id }] : [])] : [];
  const agreements = agreementOwners.length
    ? await db.supportAgreement.findMany({
        where: { OR: agreementOwners },
        select: { reference: true, tier: true, startsOn: true, endsOn: true, cancelledAt: true, organisationId: true },
        orderBy: { startsOn: "asc" },
      })
    : [];
  const tickets = await db.ticket.findMany({
    where: { OR: [{ requesterUserId: user.id }, ...(customer ? [{ customerId: customer.id }] : [])] },
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      subject: true,
      channel: true,
      status: true,
      priority: true,
      createdAt: true,
      solvedAt: true,
      closedAt: true,
      requesterAddress: true,
      requesterName: true,
      survey: { select: { sentAt: true, rating: true, comment: true, ratedAt: true } },
      messages: {
        where: { kind: "public_reply" },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          createdAt: true,
          body: true,
          authorAddress: true,
          author: { select: { id: true, role: true, name: true } },
          attachments: { select: { id: true, filename: true, contentType: true, sizeBytes: true, storageKey: true } },
        },
      },
    },
  });
  const identityChecks = customer
    ? await db.identityCheck.findMany({
        where: { customerId: customer.id },
        orderBy: { createdAt: "asc" },
        select: { method: true, outcome: true, codeChannel: true, conversationChannel: true, createdAt: true, ticket: { select: { number: true } } },
      })
    : [];
  const auditEvents = await db.auditEvent.findMany({
    where: { OR: [{ actorUserId: user.id }, { subjectType: { in: ["User", "user"] }, subjectId: user.id }] },
    orderBy: { id: "asc" },
    take: 5000,
    select: { at: true, action: true, ip: true, actorUserId: true },
  });

  const attachments: ExportAttachment[] = [];
  const data = {
    exportedAt: new Date().toISOString(),
    about:
      "Your data held by this helpdesk: your portal account, your customer record, your support agreements, your tickets with the messages you can see, a summary of identity checks and the account events you did or that concern your account. Attachments are in the attachments folder.",
    account: {
      id: user.id,
      email: user.email,
      name: user.name,
      emailVerifiedAt: user.emailVerifiedAt,
      phone: user.phoneE164,
      phoneVerifiedAt: user.phoneVerifiedAt,
      twoFactorMethod: user.twoFactorMethod,
      timeZone: user.timeZone,
      matchStatus: user.matchStatus,
      accountHint: user.accountHint,
      createdAt: user.createdAt,
      lastSignInAt: user.lastSignInAt,
    },
    customer: customer
      ? {
          accountNumber: customer.accountNumber,
          name: customer.name,
          organisation: customer.organisation?.name ?? null,
          createdAt: customer.createdAt,
          emails: customer.emails,
          phones: customer.phones,
        }
      : null,
    agreements: agreements.map(({ organisationId, ...agreement }) => ({ ...agreement, heldBy: organisationId ? "organisation" : "customer" })),
    tickets: tickets.map((ticket) => ({
      number: ticket.number,
      subject: ticket.subject,
      channel: ticket.channel,
      status: ticket.status,
      priority: ticket.priority,
      createdAt: ticket.createdAt,
      solvedAt: ticket.solvedAt,
      closedAt: ticket.closedAt,
      requesterAddress: ticket.requesterAddress,
      requesterName: ticket.requesterName,
      // The satisfaction survey we sent and the answer given (features/satisfaction), if any.
      satisfaction: ticket.survey
        ? { surveySentAt: ticket.survey.sentAt, rating: ticket.survey.rating, comment: ticket.survey.comment, ratedAt: ticket.survey.ratedAt }
        : null,
      messages: ticket.messages.map((message) => ({
        createdAt: message.createdAt,
        from: message.author
          ? message.author.id === user.id
            ? "you"
            : message.author.role === "customer"
              ? "customer"
              : message.author.name
          : (message.authorAddress ?? "you"),
        body: message.body,
        attachments: message.attachments.map((attachment) => {
          const path = `attachments/${ticket.number}/${attachment.id}-${safeName(attachment.filename)}`;
          attachments.push({ ...attachment, ticketNumber: ticket.number, path });
          return { filename: attachment.filename, contentType: attachment.contentType, sizeBytes: attachment.sizeBytes, path };
        }),
      })),
    })),
    identityChecks: identityChecks.map((check) => ({
      at: check.createdAt,
      method: check.method,
      outcome: check.outcome,
      codeChannel: check.codeChannel,
      conversationChannel: check.conversationChannel,
      ticket: check.ticket?.number ?? null,
    })),
    accountEvents: auditEvents.map((event) => ({
      at: event.at,
      action: event.action,
      byYou: event.actorUserId === user.id,
      ip: event.actorUserId === user.id ? event.ip : null,
    })),
  };
  return { data, attachments };
}

/** The ZIP as a stream: data.json first, then each attachment, read from the store only when the reader wants more. */
export function exportZipStream(data: unknown, attachments: readonly ExportAttachment[]): ReadableStream<Uint8Array> {
  const pending: Uint8Array[] = [];
  let finished = false;
  let failure: Error | null = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else pending.push(chunk);
    if (final) finished = true;
  });
  const steps: (() => Promise<void>)[] = [
    async () => {
      const entry = new ZipDeflate("data.json", { level: 6 });
      zip.add(entry);
      entry.push(strToU8(JSON.stringify(data, null, 2)), true);
    },
    ...attachments.map((attachment) => async () => {
      // One file's bytes at a time: inline (came by email) from its row, uploaded ones from the store.
      const row = await db.ticketAttachment.findUnique({
        where: { id: attachment.id },
        select: { filename: true, contentType: true, content: true, storageKey: true },
      });
      const bytes = row ? (await attachmentContent(row))?.content : null;
      const entry = new ZipPassThrough(attachment.path);
      zip.add(entry);
      entry.push(bytes ? new Uint8Array(bytes) : new Uint8Array(), true);
    }),
    async () => zip.end(),
  ];
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (pending.length === 0 && !finished && next < steps.length) await steps[next++]!();
      if (failure) return controller.error(failure);
      const chunk = pending.shift();
      if (chunk) controller.enqueue(chunk);
      if (pending.length === 0 && finished) controller.close();
    },
  });
}

export type ExportRefusal = { ok: false; status: 429; message: string; retryAfterSeconds: number };

/** The whole request: rate limit, collect, audit (ids and counts), stream. */
export async function exportForCustomer(
  actor: Pick<Actor, "userId" | "role">,
  ip: string | null,
): Promise<{ ok: true; stream: ReadableStream<Uint8Array>; filename: string } | ExportRefusal> {
  const limit = await consumeRateLimit(exportRateKey(actor.userId), EXPORTS_PER_HOUR, EXPORT_WINDOW_SECONDS);
  if (!limit.allowed) {
    return {
      ok: false,
      status: 429,
      message: `You have downloaded your data ${EXPORTS_PER_HOUR} times in the last hour. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
      retryAfterSeconds: limit.retryAfterSeconds,
    };
  }
  const { data, attachments } = await collectExport(actor.userId);
  await recordAudit({
    action: "privacy.data_exported",
    actor: { userId: actor.userId, role: actor.role },
    subjectType: "User",
    subjectId: actor.userId,
    ip,
    details: { tickets: data.tickets.length, attachments: attachments.length, identityChecks: data.identityChecks.length },
  });
  return { ok: true, stream: exportZipStream(data, attachments), filename: `veridesk-my-data-${new Date().toISOString().slice(0, 10)}.zip` };
}
