import "server-only";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Prisma } from "@/platform/db/client";
import type { AuthVerdict } from "@/features/tickets/inbound/authentication-results";
import { fileInboundEmail, identifySender, type HeldAttachment } from "@/features/tickets/inbound/inbound";
import type { AttachmentContent } from "@/features/tickets/messages";

/**
 * Held emails: mail that claims a known customer's address but failed sender authentication
 * (the rule is heldReasonFor in features/tickets/inbound/inbound.ts). Nothing of it reaches a ticket until an
 * agent accepts it — then it is filed exactly as if it had just arrived (new ticket or message on
 * the ticket it answers) — or rejects it, which keeps the record and its reason. Both audited.
 *
 * While held, attachments wait inside InboundEmail.authResults.heldAttachments (TicketAttachment
 * needs a message, which a held email does not have yet); accepting moves them to
 * TicketAttachment, rejecting drops their content and keeps their names and sizes.
 */

export type HeldEmailErrorCode = "not_found" | "conflict" | "invalid";

export class HeldEmailError extends Error {
  constructor(
    message: string,
    readonly code: HeldEmailErrorCode,
  ) {
    super(message);
    this.name = "HeldEmailError";
  }
}

type Decider = Pick<Actor, "userId" | "role">;

export interface HeldEmailSummary {
  id: string;
  receivedAt: Date;
  fromAddress: string;
  fromName: string | null;
  subject: string;
  /** The start of the text (up to 2,000 characters). */
  textPreview: string;
  heldReason: string | null;
  auth: { spf: AuthVerdict; dkim: AuthVerdict; dmarc: AuthVerdict };
  customer: { id: string; name: string; accountNumber: string } | null;
  attachments: Array<{ filename: string; sizeBytes: number }>;
}

interface HeldRow {
  id: string;
  receivedAt: Date;
  fromAddress: string;
  fromName: string | null;
  subject: string;
  textPreview: string;
  heldReason: string | null;
  auth: unknown;
  attachments: unknown;
  customerId: string | null;
  customerName: string | null;
  accountNumber: string | null;
}

const verdict = (value: unknown): AuthVerdict => (typeof value === "string" ? (value as AuthVerdict) : "none");

/** Held emails waiting for a decision, oldest first (attachment contents are not loaded). */
export async function listHeldEmails(take = 50): Promise<HeldEmailSummary[]> {
  const limit = Math.min(Math.max(Math.floor(take), 1), 200);
  const rows = await db.$queryRaw<HeldRow[]>`
    SELECT e."id", e."receivedAt", e."fromAddress", e."fromName", e."subject",
           left(e."textBody", 2000) AS "textPreview", e."heldReason",
           (e."authResults" - 'heldAttachments') AS "auth",
           COALESCE((
             SELECT jsonb_agg(jsonb_build_object('filename', a->>'filename', 'sizeBytes', (a->>'sizeBytes')::int))
             FROM jsonb_array_elements(
               CASE WHEN jsonb_typeof(e."authResults"->'heldAttachments') = 'array' THEN e."authResults"->'heldAttachments' ELSE '[]'::jsonb END
             ) AS a
           ), '[]'::jsonb) AS "attachments",
           c."id" AS "customerId", c."name" AS "customerName", c."accountNumber"
    FROM "InboundEmail" e
    LEFT JOIN "Customer" c ON c."id" = e."customerId"
    WHERE e."status" = 'held_unverified'
    ORDER BY e."receivedAt" ASC, e."id" ASC
    LIMIT ${limit}`;
  return rows.map((row) => {
    const auth = (row.auth ?? {}) as Record<string, unknown>;
    return {
      id: row.id,
      receivedAt: row.receivedAt,
      fromAddress: row.fromAddress,
      fromName: row.fromName,
      subject: row.subject,
      textPreview: row.textPreview,
      heldReason: row.heldReason,
      auth: { spf: verdict(auth.spf), dkim: verdict(auth.dkim), dmarc: verdict(auth.dmarc) },
      customer:
        row.customerId && row.customerName && row.accountNumber ? { id: row.customerId, name: row.customerName, accountNumber: row.accountNumber } : null,
      attachments: Array.isArray(row.attachments) ? (row.attachments as Array<{ filename: string; sizeBytes: number }>) : [],
    };
  });
}

/** How many emails wait for a decision (for a badge in the console). */
export async function countHeldEmails(): Promise<number> {
  return db.inboundEmail.count({ where: { status: "held_unverified" } });
}

function heldAttachmentsOf(authResults: Prisma.JsonValue): HeldAttachment[] {
  const list = authResults && typeof authResults === "object" && !Array.isArray(authResults) ? authResults.heldAttachments : undefined;
  return Array.isArray(list) ? (list as unknown as HeldAttachment[]) : [];
}

function withoutHeldContent(authResults: Prisma.JsonValue, keepList: boolean): Prisma.InputJsonObject {
  const base = (authResults && typeof authResults === "object" && !Array.isArray(authResults) ? { ...authResults } : {}) as Record<string, Prisma.JsonValue>;
  const held = heldAttachmentsOf(authResults);
  delete base.heldAttachments;
  if (keepList && held.length > 0) {
    base.droppedAttachments = held.map((attachment) => ({ filename: attachment.filename, sizeBytes: attachment.sizeBytes }));
  }
  return base as Prisma.InputJsonObject;
}

/** Claims a held email for a decision: exactly one concurrent decision wins. */
async function claim(tx: Prisma.TransactionClient, id: string, status: "accepted" | "rejected", actor: Decider) {
  const { count } = await tx.inboundEmail.updateMany({
    where: { id, status: "held_unverified" },
    data: { status, decidedById: actor.userId, decidedAt: new Date() },
  });
  if (count === 0) {
    const existing = await tx.inboundEmail.findUnique({ where: { id }, select: { status: true } });
    if (!existing) throw new HeldEmailError("That email no longer exists.", "not_found");
    throw new HeldEmailError(existing.status === "accepted" ? "That email has already been accepted." : "That email has already been rejected.", "conflict");
  }
  return tx.inboundEmail.findUniqueOrThrow({ where: { id } });
}

/**
 * Accepts a held email: it becomes a ticket, or a message on the ticket it answers, with its
 * attachments, exactly as if it had passed authentication. Audited "inbound_email.accepted".
 */
export async function acceptHeldEmail(id: string, actor: Decider): Promise<{ ticketId: string; ticketNumber: number; created: boolean }> {
  return db.$transaction(
    async (tx) => {
      const inbound = await claim(tx, id, "accepted", actor);
      const attachments: AttachmentContent[] = heldAttachmentsOf(inbound.authResults).map((attachment) => ({
        filename: attachment.filename,
        contentType: attachment.contentType,
        content: Buffer.from(attachment.contentBase64, "base64"),
      }));
      const sender = await identifySender(tx, inbound.fromAddress);
      const filed = await fileInboundEmail(tx, inbound, attachments, sender);
      await tx.inboundEmail.update({ where: { id }, data: { authResults: withoutHeldContent(inbound.authResults, false) }, select: { id: true } });
      await recordAudit(
        {
          action: "inbound_email.accepted",
          actor,
          subjectType: "inbound_email",
          subjectId: id,
          details: { ticketId: filed.ticketId, createdTicket: filed.created },
        },
        tx,
      );
      return { ticketId: filed.ticketId, ticketNumber: filed.ticketNumber, created: filed.created };
    },
    { maxWait: 10_000, timeout: 60_000 },
  );
}

/** Rejects a held email: it stays out of every ticket; the record is kept. Audited "inbound_email.rejected" (that a reason was given: the audit log holds no free text, which could name the person and could never be erased). */
export async function rejectHeldEmail(id: string, actor: Decider, reason: string): Promise<void> {
  const why = reason.replace(/\s+/g, " ").trim();
  if (why.length < 3 || why.length > 500) throw new HeldEmailError("Give a reason between 3 and 500 characters.", "invalid");
  await db.$transaction(async (tx) => {
    const inbound = await claim(tx, id, "rejected", actor);
    await tx.inboundEmail.update({ where: { id }, data: { authResults: withoutHeldContent(inbound.authResults, true) }, select: { id: true } });
    await recordAudit({ action: "inbound_email.rejected", actor, subjectType: "inbound_email", subjectId: id, details: { reasonGiven: true } }, tx);
  });
}
