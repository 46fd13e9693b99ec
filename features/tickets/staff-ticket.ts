import "server-only";
import {
  Prisma,
  type MessageDeliveryStatus,
  type MessageKind,
  type Role,
  type TicketChannel,
  type TicketPriority,
  type TicketStatus,
} from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";

/**
 * One ticket as the agent's ticket page shows it: the ticket, who it is assigned to, its follow-up
 * links and the whole thread with authors and attachments.
 *
 * Prepared statements, not a Prisma include (ARCHITECTURE.md, "Hot paths"): the include compiled
 * and ran as nine queries on every open of a ticket, the page's largest single cost. Three
 * statements run side by side.
 */
export interface StaffTicket {
  id: string;
  number: number;
  subject: string;
  channel: TicketChannel;
  status: TicketStatus;
  priority: TicketPriority;
  customerId: string | null;
  requesterAddress: string | null;
  requesterName: string | null;
  createdAt: Date;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  solvedAt: Date | null;
  slaPausedAt: Date | null;
  slaScope: string | null;
  assignee: { id: string; name: string } | null;
  customer: { name: string } | null;
  followUpTo: { id: string; number: number; subject: string } | null;
  followUps: { id: string; number: number }[];
  messages: StaffTicketMessage[];
}

export interface StaffTicketMessage {
  id: string;
  kind: MessageKind;
  body: string;
  createdAt: Date;
  authorAddress: string | null;
  authorApiTokenId: string | null;
  deliveryStatus: MessageDeliveryStatus | null;
  deliveryDetail: string | null;
  author: { name: string; role: Role } | null;
  authorApiToken: { name: string } | null;
  attachments: { id: string; filename: string; sizeBytes: number; contentType: string }[];
  /** The whole email as received, when the message keeps only the customer's new text (features/tickets/inbound/quoted-reply.ts). */
  inboundEmail: { textBody: string } | null;
}

type TicketRow = Omit<StaffTicket, "assignee" | "customer" | "followUpTo" | "followUps" | "messages"> & {
  assigneeName: string | null;
  assigneeId: string | null;
  customerName: string | null;
  followUpToId: string | null;
  followUpToNumber: number | null;
  followUpToSubject: string | null;
};

type MessageRow = Omit<StaffTicketMessage, "author" | "authorApiToken" | "inboundEmail"> & {
  authorName: string | null;
  authorRole: Role | null;
  apiTokenName: string | null;
  inboundTextBody: string | null;
};

export async function getTicketForStaff(ticketId: string): Promise<StaffTicket | null> {
  const [[ticket], followUps, messages] = await Promise.all([
    queryPrepared<TicketRow>(Prisma.sql`
      SELECT t."id", t."number", t."subject", t."channel", t."status", t."priority", t."customerId",
             t."requesterAddress", t."requesterName", t."slaScope", t."createdAt", t."firstResponseAt",
             t."firstResponseDueAt", t."resolutionDueAt", t."solvedAt", t."slaPausedAt",
             a."id" AS "assigneeId", a."name" AS "assigneeName",
             c."name" AS "customerName",
             f."id" AS "followUpToId", f."number" AS "followUpToNumber", f."subject" AS "followUpToSubject"
      FROM "Ticket" t
      LEFT JOIN "User" a ON a."id" = t."assigneeId"
      LEFT JOIN "Customer" c ON c."id" = t."customerId"
      LEFT JOIN "Ticket" f ON f."id" = t."followUpToTicketId"
      WHERE t."id" = ${ticketId}::uuid`),
    queryPrepared<{ id: string; number: number }>(Prisma.sql`
      SELECT "id", "number" FROM "Ticket" WHERE "followUpToTicketId" = ${ticketId}::uuid ORDER BY "createdAt", "id"`),
    queryPrepared<MessageRow>(Prisma.sql`
      SELECT m."id", m."kind", m."body", m."createdAt",
             m."authorAddress", m."authorApiTokenId", m."deliveryStatus", m."deliveryDetail",
             u."name" AS "authorName", u."role" AS "authorRole",
             k."name" AS "apiTokenName",
             e."textBody" AS "inboundTextBody",
             COALESCE((SELECT json_agg(json_build_object('id', f."id", 'filename', f."filename", 'sizeBytes', f."sizeBytes", 'contentType', f."contentType") ORDER BY f."id")
                       FROM "TicketAttachment" f WHERE f."messageId" = m."id"), '[]'::json) AS "attachments"
      FROM "TicketMessage" m
      LEFT JOIN "User" u ON u."id" = m."authorUserId"
      LEFT JOIN "ApiToken" k ON k."id" = m."authorApiTokenId"
      LEFT JOIN "InboundEmail" e ON e."ticketMessageId" = m."id"
      WHERE m."ticketId" = ${ticketId}::uuid
      ORDER BY m."createdAt", m."id"`),
  ]);
  if (!ticket) return null;
  const { assigneeId, assigneeName, customerName, followUpToId, followUpToNumber, followUpToSubject, ...fields } = ticket;
  return {
    ...fields,
    assignee: assigneeId && assigneeName !== null ? { id: assigneeId, name: assigneeName } : null,
    customer: customerName !== null ? { name: customerName } : null,
    followUpTo:
      followUpToId && followUpToNumber !== null && followUpToSubject !== null
        ? { id: followUpToId, number: followUpToNumber, subject: followUpToSubject }
        : null,
    followUps,
    messages: messages.map(({ authorName, authorRole, apiTokenName, inboundTextBody, ...message }) => ({
      ...message,
      author: authorName !== null && authorRole !== null ? { name: authorName, role: authorRole } : null,
      authorApiToken: apiTokenName !== null ? { name: apiTokenName } : null,
      inboundEmail: inboundTextBody !== null ? { textBody: inboundTextBody } : null,
    })),
  };
}
