import "server-only";
import { recordAudit } from "@/platform/audit";
import { DomainError } from "@/platform/errors";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, Prisma, type Role, type TicketChannel, type TicketPriority } from "@/platform/db/client";
import { DEFAULT_PHONE_REGION, normalizeAccountNumber, parseCallerPhone } from "@/features/callers/caller-verification";
import { maskEmail } from "@/platform/mask";
import { applySlaToTicket } from "@/features/sla/policies";
import { kickDelivery } from "@/features/notifications/notify";
import { queueTicketAcknowledgement } from "@/features/notifications/acknowledgement";
import { emitWebhookEvent } from "@/features/webhooks/events";
import { auditActorOf, auditViaOf, type StaffWriter } from "@/features/tickets/writer";

/**
 * Conversations that start without a ticket (a phone call, a chat): find the customer, then open
 * a ticket for them on which "Verify caller" runs. Server only.
 *
 * The search finds a record from what the caller says, and shows no more than the console already
 * shows agents on a ticket (name, organisation, account number) plus a MASKED primary address to tell
 * two namesakes apart. Email, phone and account number must be given whole (exact match after
 * normalising; a number said in national form matches that whole national number under any
 * country code): only the name is searched by part, so the search cannot list addresses or numbers.
 */

export type CustomerMatchedBy = "name" | "account_number" | "email" | "phone";

export interface CustomerSearchHit {
  id: string;
  name: string;
  /** The organisation the customer is a contact of, if any. */
  organisationName: string | null;
  accountNumber: string;
  maskedPrimaryEmail: string | null;
  openTickets: number;
  matchedBy: CustomerMatchedBy;
}

export const CUSTOMER_SEARCH_LIMIT = 20;
const OPEN_STATUSES = ["new", "open", "pending", "on_hold"] as const;

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** Customers matching a name (part), a whole account number, email address or phone number. */
export async function searchCustomers(query: string, options: { phoneRegion?: string } = {}): Promise<CustomerSearchHit[]> {
  const text = query.trim();
  if (text.length < 2) return [];
  const found = new Map<string, CustomerMatchedBy>();
  const add = (ids: string[], how: CustomerMatchedBy) => ids.forEach((id) => found.has(id) || found.set(id, how));

  if (text.includes("@")) {
    const address = normalizeEmail(text);
    const [emails, users] = await Promise.all([
      db.customerEmail.findMany({ where: { normalized: address }, select: { customerId: true } }),
      db.user.findMany({ where: { email: address, role: "customer", customerId: { not: null } }, select: { customerId: true } }),
    ]);
    add([...emails.map((row) => row.customerId), ...users.map((row) => row.customerId!)], "email");
  } else {
    const account = normalizeAccountNumber(text);
    if (account.length >= 3) {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "Customer" WHERE upper(regexp_replace("accountNumber", '[^[:alnum:]]', '', 'g')) = ${account} LIMIT ${CUSTOMER_SEARCH_LIMIT}`;
      add(
        rows.map((row) => row.id),
        "account_number",
      );
    }
    const looksLikePhone = /^[+\d\s().-]+$/.test(text);
    const phone = looksLikePhone ? parseCallerPhone(text, options.phoneRegion ?? DEFAULT_PHONE_REGION) : { ok: false as const };
    // Said in national form ("0491 570 157"): the whole national number under any country code,
    // so a caller from another country than the agent's is found too.
    const national = looksLikePhone && /^\s*0[1-9]/.test(text) ? text.replace(/\D/g, "").replace(/^0/, "") : "";
    const numbers = [...(phone.ok ? [phone.e164] : [])];
    if (numbers.length > 0 || national.length >= 8) {
      const byNumber = (column: "e164" | "phoneE164") => [
        ...numbers.map((e164) => ({ [column]: e164 })),
        ...(national.length >= 8 ? [{ [column]: { endsWith: national } }] : []),
      ];
      const [phones, users] = await Promise.all([
        db.customerPhone.findMany({ where: { OR: byNumber("e164") }, select: { customerId: true }, take: CUSTOMER_SEARCH_LIMIT }),
        db.user.findMany({
          where: { OR: byNumber("phoneE164"), role: "customer", customerId: { not: null } },
          select: { customerId: true },
          take: CUSTOMER_SEARCH_LIMIT,
        }),
      ]);
      add([...phones.map((row) => row.customerId), ...users.map((row) => row.customerId!)], "phone");
    }
    if (/\p{L}/u.test(text) && text.length >= 2) {
      const byName = await db.customer.findMany({
        where: { OR: [{ name: { contains: text, mode: "insensitive" } }, { organisation: { name: { contains: text, mode: "insensitive" } } }] },
        orderBy: { name: "asc" },
        take: CUSTOMER_SEARCH_LIMIT,
        select: { id: true },
      });
      add(
        byName.map((row) => row.id),
        "name",
      );
    }
  }

  const resolved = await followMerges(found);
  const ids = [...resolved.keys()].slice(0, CUSTOMER_SEARCH_LIMIT);
  if (ids.length === 0) return [];
  const customers = await db.customer.findMany({
    where: { id: { in: ids }, mergedIntoId: null },
    select: {
      id: true,
      name: true,
      organisation: { select: { name: true } },
      accountNumber: true,
      emails: { where: { isPrimary: true }, select: { address: true }, take: 1 },
      _count: { select: { tickets: { where: { status: { in: [...OPEN_STATUSES] } } } } },
    },
  });
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  return ids.flatMap((id) => {
    const customer = byId.get(id);
    if (!customer) return [];
    const primary = customer.emails[0]?.address;
    return [
      {
        id: customer.id,
        name: customer.name,
        organisationName: customer.organisation?.name ?? null,
        accountNumber: customer.accountNumber,
        maskedPrimaryEmail: primary ? maskEmail(primary) : null,
        openTickets: customer._count.tickets,
        matchedBy: resolved.get(id)!,
      },
    ];
  });
}

/**
 * A record a merge absorbed (Customer.mergedIntoId, features/customers/merge/) is never a hit: what
 * found it (its old account number, its name) finds the record it was merged into, following
 * merges of merges.
 */
async function followMerges(found: Map<string, CustomerMatchedBy>): Promise<Map<string, CustomerMatchedBy>> {
  const resolved = new Map<string, CustomerMatchedBy>();
  let pending = [...found.entries()];
  for (let hop = 0; hop < 10 && pending.length > 0; hop += 1) {
    const rows = await db.customer.findMany({ where: { id: { in: pending.map(([id]) => id) } }, select: { id: true, mergedIntoId: true } });
    const into = new Map(rows.map((row) => [row.id, row.mergedIntoId]));
    const next: [string, CustomerMatchedBy][] = [];
    for (const [id, how] of pending) {
      const survivor = into.get(id);
      if (survivor) next.push([survivor, how]);
      else if (into.has(id) && !resolved.has(id)) resolved.set(id, how);
    }
    pending = next;
  }
  return resolved;
}

/** The customer summary the "start a ticket" page shows (the same facts as a search hit). */
export async function customerSummary(customerId: string) {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: {
      id: true,
      name: true,
      organisationId: true,
      organisation: { select: { name: true } },
      accountNumber: true,
      emails: { where: { isPrimary: true }, select: { address: true }, take: 1 },
    },
  });
  if (!customer) return null;
  const primary = customer.emails[0]?.address;
  return {
    id: customer.id,
    name: customer.name,
    organisationId: customer.organisationId,
    organisationName: customer.organisation?.name ?? null,
    accountNumber: customer.accountNumber,
    maskedPrimaryEmail: primary ? maskEmail(primary) : null,
  };
}

/**
 * Opens a ticket for a phone call or a chat with a known customer, assigned to the agent taking it,
 * with the SLA of the customer's agreement. The requester's number or handle is not known to be
 * theirs, so none is recorded: the caller is verified on the ticket ("Verify caller").
 */
export async function startConversationTicket(
  actor: { userId: string; role: Role; name?: string },
  input: { customerId: string; channel: "phone" | "chat"; subject: string },
): Promise<{ id: string; number: number }> {
  return openTicketForCustomer(
    { userId: actor.userId, role: actor.role, name: actor.name ?? "" },
    { customerId: input.customerId, channel: input.channel, subject: input.subject, status: "open", assigneeId: actor.userId },
  );
}

export interface NewCustomerTicket {
  customerId: string;
  channel: TicketChannel;
  subject: string;
  /** The request in the customer's words: the ticket's first message, from the requester. */
  body?: string | null;
  priority?: TicketPriority;
  /** The customer's portal account that asked (a user of this customer), or… */
  requesterUserId?: string | null;
  /** …the email address or phone number the request came from, exactly as given (evidence for the identity status). */
  requesterAddress?: string | null;
  status: "new" | "open";
  assigneeId?: string | null;
}

const fieldError = (field: string, message: string) => ({ [field]: [message] });

/**
 * Opens a ticket on behalf of a known customer: the console's "start a ticket" (phone, chat) and
 * the REST API's create. The SLA of the customer's agreement applies, the acknowledgement goes to
 * the requester's address (or the record's primary one), the request's text is the first message,
 * and `ticket.created` is audited and sent to webhooks in the same transaction.
 */
export async function openTicketForCustomer(opener: StaffWriter, input: NewCustomerTicket): Promise<{ id: string; number: number }> {
  const customer = await db.customer.findUnique({
    where: { id: input.customerId },
    select: {
      id: true,
      name: true,
      mergedIntoId: true,
      // The acknowledgement goes to the record's primary address, unless mail to it bounces.
      emails: { where: { isPrimary: true, deliverability: { notIn: ["bouncing", "complained"] } }, select: { address: true }, take: 1 },
    },
  });
  if (!customer) throw new DomainError("That customer no longer exists.", "not_found", fieldError("customerId", "No customer with this id."));
  if (customer.mergedIntoId)
    throw new DomainError(
      "This record was merged into another customer: start the ticket on that record.",
      "conflict",
      fieldError("customerId", `Merged into ${customer.mergedIntoId}.`),
    );
  let requesterAddress = input.requesterAddress?.trim() || null;
  let requesterName: string | null = customer.name;
  const requesterUserId = input.requesterUserId ?? null;
  if (requesterUserId) {
    const user = await db.user.findUnique({ where: { id: requesterUserId }, select: { role: true, customerId: true, email: true, name: true } });
    if (!user || user.role !== "customer" || user.customerId !== customer.id)
      throw new DomainError("The requester is not a portal account of this customer.", "invalid", {
        requesterUserId: ["Not a portal account of this customer."],
      });
    requesterAddress = user.email;
    requesterName = user.name;
  }
  const subject = input.subject.trim();
  const acknowledgeTo = requesterAddress?.includes("@") ? requesterAddress : (customer.emails[0]?.address ?? null);
  try {
    const created = await db.$transaction(async (tx) => {
      const ticket = await tx.ticket.create({
        data: {
          subject,
          channel: input.channel,
          status: input.status,
          priority: input.priority ?? "normal",
          customerId: customer.id,
          requesterUserId,
          requesterAddress,
          requesterName,
          assigneeId: input.assigneeId ?? null,
        },
        select: { id: true, number: true },
      });
      await applySlaToTicket(tx, ticket.id);
      const ack = await queueTicketAcknowledgement(tx, {
        ticket: { ...ticket, subject, channel: input.channel },
        to: acknowledgeTo,
        requesterName,
        request: input.body ?? null,
      });
      if (input.body) {
        await tx.ticketMessage.create({
          data: {
            ticketId: ticket.id,
            kind: "public_reply",
            authorUserId: requesterUserId,
            authorAddress: requesterUserId ? null : requesterAddress,
            body: input.body,
            emailMessageId: ack.queued ? ack.emailMessageId : null,
          },
          select: { id: true },
        });
      }
      await recordAudit(
        {
          action: "ticket.created",
          actor: auditActorOf(opener),
          subjectType: "Ticket",
          subjectId: ticket.id,
          details: { channel: input.channel, customerId: customer.id, startedBy: opener.apiTokenId ? "api" : "agent", ...auditViaOf(opener) },
        },
        tx,
      );
      await emitWebhookEvent("ticket.created", { ticketId: ticket.id, channel: input.channel }, tx);
      return ticket;
    });
    void kickDelivery();
    return created;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003")
      throw new DomainError("That customer no longer exists.", "not_found", fieldError("customerId", "No customer with this id."));
    throw error;
  }
}
