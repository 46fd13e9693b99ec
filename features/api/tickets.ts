import "server-only";
import type { ApiMessage, ApiTicket, ApiTicketIdentity, CreateMessageBody, CreateTicketBody, ListTicketsQuery, UpdateTicketBody } from "@/features/api/schemas";
import { addInternalNote, changeTicketAtVersion, replyAsAgent } from "@/features/tickets/desk";
import { openTicketForCustomer } from "@/features/tickets/phone-tickets";
import type { StaffWriter } from "@/features/tickets/writer";
import type { ApiClient } from "@/platform/auth/api-tokens";
import { explainIdentityBadge } from "@/features/identity/ticket-identity";
import { identityPanelForTicket } from "@/features/identity/ticket-identity-panel";
import { decodeCursor, listQueue, type QueueRow } from "@/features/tickets/queue/queue";
import { DEFAULT_QUEUE_FILTER, type QueueFilter } from "@/features/tickets/queue/schemas";
import { db } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { maskEmail, maskPhone } from "@/platform/mask";

/**
 * The tickets of the public REST API: the queue's own query (same filters, same identity status,
 * same keyset pages), shaped as the API's contract (features/api/schemas.ts).
 */

/** The queue's "me" filter needs a viewer; a token is nobody, and the API offers no "me". */
const NOBODY = { userId: "00000000-0000-0000-0000-000000000000" };

function apiTicketOf(row: QueueRow): ApiTicket {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    channel: row.channel,
    requester: { name: row.requesterName, address: row.requesterAddress },
    customerId: row.customer?.id ?? null,
    assignee: row.assignee,
    identity: { status: row.identity.badge, explanation: explainIdentityBadge(row.identity.facts) },
    entitlement: { tier: row.entitlement },
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
  };
}

export async function listTicketsForApi(query: ListTicketsQuery, now: Date = new Date()) {
  const filter: QueueFilter = {
    ...DEFAULT_QUEUE_FILTER,
    status: query.status,
    priority: query.priority,
    channel: query.channel,
    identity: query.identity,
    entitlement: query.entitlement,
    assignee: query.assignee,
    sort: query.sort,
    q: query.q ?? "",
    after: query["page[after]"],
    before: undefined,
  };
  if (filter.after && !decodeCursor(filter.sort, filter.after)) {
    throw new DomainError("This cursor does not belong to this sort order: start again without page[after].", "invalid", {
      "page[after]": ["Not a cursor of this sort order."],
    });
  }
  // The derived filters (identity, entitlement) may stop at their scan bound with a short page;
  // `next` then continues the scan, so a client keeps following it until it is null.
  const page = await listQueue(NOBODY, filter, { now, pageSize: query["page[size]"] });
  return { data: page.rows.map(apiTicketOf), page: { size: query["page[size]"], next: page.nextCursor } };
}

/** The ticket as the API shows it, with its version (the ETag: features/api/handlers.ts). */
export async function getTicketForApi(id: string, now: Date = new Date()): Promise<{ ticket: ApiTicket; version: number }> {
  const ticket = await db.ticket.findUnique({
    where: { id },
    select: {
      id: true,
      number: true,
      subject: true,
      status: true,
      priority: true,
      channel: true,
      requesterName: true,
      requesterAddress: true,
      customerId: true,
      assignee: { select: { id: true, name: true } },
      createdAt: true,
      lastActivityAt: true,
      version: true,
    },
  });
  const panel = ticket ? await identityPanelForTicket(id, now) : null;
  if (!ticket || !panel) throw new DomainError("There is no ticket with this id.", "not_found");
  const shown: ApiTicket = {
    id: ticket.id,
    number: ticket.number,
    subject: ticket.subject,
    status: ticket.status,
    priority: ticket.priority,
    channel: ticket.channel,
    requester: { name: ticket.requesterName, address: ticket.requesterAddress },
    customerId: ticket.customerId,
    assignee: ticket.assignee,
    identity: { status: panel.badge, explanation: panel.explanation },
    entitlement: { tier: panel.entitlement?.status === "valid" ? (panel.entitlement.tier ?? null) : null },
    createdAt: ticket.createdAt.toISOString(),
    lastActivityAt: ticket.lastActivityAt.toISOString(),
  };
  return { ticket: shown, version: ticket.version };
}

export async function getTicketIdentityForApi(id: string, now: Date = new Date()): Promise<ApiTicketIdentity> {
  const panel = await identityPanelForTicket(id, now);
  if (!panel) throw new DomainError("There is no ticket with this id.", "not_found");
  return {
    ticketId: id,
    status: panel.badge,
    explanation: panel.explanation,
    requesterAddress: panel.requesterAddress,
    addressStanding: panel.addressStanding,
    addressDeliverability: panel.addressDeliverability,
    account: panel.account
      ? { emailVerified: panel.account.emailVerified, phoneVerified: panel.account.phoneVerified, twoFactor: panel.account.twoFactor }
      : null,
    customer: panel.customer
      ? {
          id: panel.customer.id,
          name: panel.customer.name,
          accountNumber: panel.customer.accountNumber,
          // Masked: identity:read says how well the requester is proven, not how to reach the customer (customers:read).
          emails: panel.customer.emails.map(({ address, isPrimary, verified, deliverability }) => ({
            address: maskEmail(address),
            isPrimary,
            verified,
            deliverability,
          })),
          phones: panel.customer.phones.map(({ e164, kind, verified }) => ({ e164: maskPhone(e164), kind, verified })),
        }
      : null,
    entitlement: panel.entitlement
      ? { status: panel.entitlement.status, tier: panel.entitlement.tier ?? null, endsOn: panel.entitlement.endsOn?.toISOString().slice(0, 10) ?? null }
      : null,
    currentCheck: panel.currentCheck
      ? {
          method: panel.currentCheck.method,
          outcome: panel.currentCheck.outcome,
          at: panel.currentCheck.at.toISOString(),
          expiresAt: panel.currentCheck.expiresAt.toISOString(),
        }
      : null,
  };
}

// ───────────── Writes: the console's own services, with the token as the writer ─────────────

/** A token writes as itself: no person, its name signs its replies, its id is in every audit event. */
export const writerOfToken = (client: ApiClient): StaffWriter => ({ userId: null, role: null, name: client.name, apiTokenId: client.tokenId });

export async function createTicketForApi(client: ApiClient, body: CreateTicketBody): Promise<{ ticket: ApiTicket; version: number }> {
  try {
    const created = await openTicketForCustomer(writerOfToken(client), {
      customerId: body.customerId,
      channel: body.channel,
      subject: body.subject,
      body: body.body,
      priority: body.priority,
      requesterUserId: body.requesterUserId ?? null,
      requesterAddress: body.requesterAddress ?? null,
      status: "new",
    });
    return await getTicketForApi(created.id);
  } catch (error) {
    // The customer is named in the body, not the path: its absence is a field error (422), not a 404.
    if (error instanceof DomainError && error.code === "not_found" && error.fieldErrors?.customerId)
      throw new DomainError(error.message, "invalid", error.fieldErrors);
    throw error;
  }
}

export async function updateTicketForApi(client: ApiClient, id: string, body: UpdateTicketBody, expectedVersions: readonly number[]) {
  await changeTicketAtVersion(writerOfToken(client), { ticketId: id, expectedVersions, ...body });
  return getTicketForApi(id);
}

export async function createMessageForApi(client: ApiClient, ticketId: string, body: CreateMessageBody): Promise<ApiMessage> {
  const writer = writerOfToken(client);
  if (body.kind === "public_reply") {
    const sent = await replyAsAgent(writer, { ticketId, body: body.body, thenStatus: body.thenStatus });
    return messageOf(sent.messageId, { emailedTo: sent.emailedTo, notEmailedBecause: sent.notEmailedBecause });
  }
  const note = await addInternalNote(writer, { ticketId, body: body.body });
  return messageOf(note.id, { emailedTo: null, notEmailedBecause: null });
}

async function messageOf(id: string, delivery: { emailedTo: string | null; notEmailedBecause: string | null }): Promise<ApiMessage> {
  const message = await db.ticketMessage.findUniqueOrThrow({
    where: { id },
    select: { id: true, ticketId: true, kind: true, body: true, createdAt: true, ticket: { select: { status: true } } },
  });
  return {
    id: message.id,
    ticketId: message.ticketId,
    kind: message.kind,
    body: message.body,
    ...delivery,
    ticketStatus: message.ticket.status,
    createdAt: message.createdAt.toISOString(),
  };
}
