import "server-only";
import type {
  DeliveryChannel,
  IdentityCheckMethod,
  IdentityCheckOutcome,
  TicketChannel,
  TicketPriority,
  TicketStatus,
  TwoFactorMethod,
} from "@/platform/db/generated/prisma/enums";
import { db, Prisma } from "@/platform/db/client";
import { maskEmail, maskPhone } from "@/platform/mask";
import { SECURITY_ACTIONS } from "@/features/identity/security-actions";

/**
 * What the customer page (/console/customers/[id]) shows, one loader per section so that each
 * section component loads its own part and another section is a one-line change to the page.
 * Addresses and numbers are shown masked, as everywhere an agent may be talking to an impostor
 * (features/callers): the page says which contacts exist and their standing, not their values.
 */

export type CustomerHeader = {
  id: string;
  /** null once erased (the record is a PII-free tombstone). */
  name: string | null;
  accountNumber: string;
  organisation: { id: string; name: string } | null;
  maskedPrimaryEmail: string | null;
  createdAt: Date;
  erasedAt: Date | null;
  /** Set when a merge absorbed this record: the record it lives on in. */
  mergedInto: { id: string; name: string | null; accountNumber: string } | null;
};

export async function customerHeader(customerId: string): Promise<CustomerHeader | null> {
  const customer = await db.customer.findUnique({
    where: { id: customerId },
    select: {
      id: true,
      name: true,
      accountNumber: true,
      createdAt: true,
      erasedAt: true,
      mergedIntoId: true,
      organisation: { select: { id: true, name: true } },
      emails: { where: { isPrimary: true }, select: { address: true }, take: 1 },
    },
  });
  if (!customer) return null;
  const survivor = customer.mergedIntoId
    ? await db.customer.findUnique({ where: { id: customer.mergedIntoId }, select: { id: true, name: true, accountNumber: true, erasedAt: true } })
    : null;
  const erased = customer.erasedAt !== null;
  const primary = customer.emails[0]?.address;
  return {
    id: customer.id,
    name: erased ? null : customer.name,
    accountNumber: customer.accountNumber,
    organisation: erased ? null : customer.organisation,
    maskedPrimaryEmail: primary && !erased ? maskEmail(primary) : null,
    createdAt: customer.createdAt,
    erasedAt: customer.erasedAt,
    mergedInto: survivor ? { id: survivor.id, name: survivor.erasedAt ? null : survivor.name, accountNumber: survivor.accountNumber } : null,
  };
}

// ───────────────────────────── Tickets ─────────────────────────────

export const CUSTOMER_TICKETS_PAGE_SIZE = 20;
const OPEN_STATUSES = ["new", "open", "pending", "on_hold"] as const satisfies readonly TicketStatus[];
/** The open statuses as an SQL list of literals (constants, never input). */
const OPEN_SQL = Prisma.raw(`(${OPEN_STATUSES.map((status) => `'${status}'`).join(", ")})`);

export type CustomerTicketRow = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: TicketChannel;
  lastActivityAt: Date;
  createdAt: Date;
};
export type CustomerTicketsPage = { rows: CustomerTicketRow[]; page: number; pageCount: number; total: number; open: number };

/**
 * The customer's tickets, open ones first, then the rest, each by latest activity. One customer's
 * tickets are few (hundreds at most), so the pages are numbered: an OFFSET over one index range.
 */
export async function customerTickets(customerId: string, page = 1, pageSize = CUSTOMER_TICKETS_PAGE_SIZE): Promise<CustomerTicketsPage> {
  const [counts] = await db.$queryRaw<{ total: number; open: number }[]>`
    SELECT CAST(count(*) AS int) AS "total",
           CAST(count(*) FILTER (WHERE t."status" IN ${OPEN_SQL}) AS int) AS "open"
      FROM "Ticket" t WHERE t."customerId" = CAST(${customerId} AS uuid)`;
  const total = counts?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page)), pageCount);
  const rows = await db.$queryRaw<CustomerTicketRow[]>`
    SELECT t."id", t."number", t."subject", t."status", t."priority", t."channel", t."lastActivityAt", t."createdAt"
      FROM "Ticket" t
     WHERE t."customerId" = CAST(${customerId} AS uuid)
     ORDER BY (t."status" IN ${OPEN_SQL}) DESC, t."lastActivityAt" DESC, t."id" DESC
     LIMIT ${pageSize} OFFSET ${(current - 1) * pageSize}`;
  return { rows, page: current, pageCount, total, open: counts?.open ?? 0 };
}

// ───────────────────────────── Portal accounts ─────────────────────────────

export type PortalAccount = {
  id: string;
  maskedEmail: string;
  emailVerified: boolean;
  maskedPhone: string | null;
  phoneVerified: boolean;
  twoFactor: TwoFactorMethod | null;
  lastSignInAt: Date | null;
  frozenAt: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
};

/** The sign-in accounts (User rows) linked to this customer. */
export async function customerPortalAccounts(customerId: string): Promise<PortalAccount[]> {
  const users = await db.user.findMany({
    where: { customerId, role: "customer" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      email: true,
      emailVerifiedAt: true,
      phoneE164: true,
      phoneVerifiedAt: true,
      twoFactorMethod: true,
      lastSignInAt: true,
      frozenAt: true,
      disabledAt: true,
      createdAt: true,
    },
  });
  return users.map((user) => ({
    id: user.id,
    maskedEmail: maskEmail(user.email),
    emailVerified: user.emailVerifiedAt !== null,
    maskedPhone: user.phoneE164 ? maskPhone(user.phoneE164) : null,
    phoneVerified: user.phoneVerifiedAt !== null,
    twoFactor: user.twoFactorMethod,
    lastSignInAt: user.lastSignInAt,
    frozenAt: user.frozenAt,
    disabledAt: user.disabledAt,
    createdAt: user.createdAt,
  }));
}

// ───────────────────────────── Identity history ─────────────────────────────

export const IDENTITY_HISTORY_LIMIT = 20;

export type IdentityHistoryRow = {
  id: string;
  method: IdentityCheckMethod;
  outcome: IdentityCheckOutcome;
  codeChannel: DeliveryChannel | null;
  conversationChannel: TicketChannel | null;
  reason: string | null;
  by: string | null;
  at: Date;
  expiresAt: Date;
  ticket: { id: string; number: number } | null;
};

/** The latest identity checks of this customer (newest first) and whether there are more. */
export async function customerIdentityHistory(customerId: string, limit = IDENTITY_HISTORY_LIMIT): Promise<{ rows: IdentityHistoryRow[]; more: boolean }> {
  const checks = await db.identityCheck.findMany({
    where: { customerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      method: true,
      outcome: true,
      codeChannel: true,
      conversationChannel: true,
      reason: true,
      createdAt: true,
      expiresAt: true,
      performedBy: { select: { name: true } },
      ticket: { select: { id: true, number: true } },
    },
  });
  return {
    rows: checks.slice(0, limit).map((check) => ({
      id: check.id,
      method: check.method,
      outcome: check.outcome,
      codeChannel: check.codeChannel,
      conversationChannel: check.conversationChannel,
      reason: check.reason,
      by: check.performedBy?.name ?? null,
      at: check.createdAt,
      expiresAt: check.expiresAt,
      ticket: check.ticket,
    })),
    more: checks.length > limit,
  };
}

// ───────────────────────────── Audit trail and contact changes ─────────────────────────────

export const CUSTOMER_AUDIT_PAGE_SIZE = 20;

/** Audit actions that change how the customer is reached (their addresses and numbers). */
export const CONTACT_CHANGE_ACTIONS = [
  SECURITY_ACTIONS.emailChanged,
  "identity.phone_verified",
  SECURITY_ACTIONS.changeDisputed,
  "registration.address_corrected",
] as const;
/** Actions of the contact editing to come (features/customers contacts): "contact.added", … */
const CONTACT_CHANGE_PREFIX = "contact.";

export type CustomerAuditRow = {
  id: bigint;
  at: Date;
  action: string;
  actor: string | null;
  subjectType: string | null;
  details: Prisma.JsonValue | null;
};

/**
 * The audit events about this record: the customer itself (subjectType "Customer" or "customer"),
 * its portal accounts and its agreements. Newest first, keyset by id (`beforeId`).
 */
async function customerSubjects(customerId: string): Promise<Prisma.AuditEventWhereInput> {
  const [users, agreements] = await Promise.all([
    db.user.findMany({ where: { customerId }, select: { id: true } }),
    db.supportAgreement.findMany({ where: { customerId }, select: { id: true } }),
  ]);
  return {
    OR: [
      { subjectType: { in: ["Customer", "customer"] }, subjectId: customerId },
      ...(users.length ? [{ subjectType: { in: ["User", "user"] }, subjectId: { in: users.map((user) => user.id) } }] : []),
      ...(agreements.length ? [{ subjectType: "SupportAgreement", subjectId: { in: agreements.map((agreement) => agreement.id) } }] : []),
    ],
  };
}

async function auditRows(where: Prisma.AuditEventWhereInput, take: number): Promise<CustomerAuditRow[]> {
  const events = await db.auditEvent.findMany({
    where,
    orderBy: { id: "desc" },
    take,
    select: { id: true, at: true, action: true, actorUserId: true, subjectType: true, details: true },
  });
  const actorIds = [...new Set(events.flatMap((event) => (event.actorUserId ? [event.actorUserId] : [])))];
  const actors = actorIds.length ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(actors.map((actor) => [actor.id, actor.name]));
  return events.map((event) => ({
    id: event.id,
    at: event.at,
    action: event.action,
    actor: event.actorUserId ? (names.get(event.actorUserId) ?? null) : null,
    subjectType: event.subjectType,
    details: event.details,
  }));
}

export async function customerAuditTrail(
  customerId: string,
  options: { beforeId?: bigint; limit?: number } = {},
): Promise<{ rows: CustomerAuditRow[]; nextBeforeId: string | null }> {
  const limit = options.limit ?? CUSTOMER_AUDIT_PAGE_SIZE;
  const subjects = await customerSubjects(customerId);
  const rows = await auditRows(options.beforeId ? { AND: [subjects, { id: { lt: options.beforeId } }] } : subjects, limit + 1);
  const page = rows.slice(0, limit);
  return { rows: page, nextBeforeId: rows.length > limit ? page[page.length - 1]!.id.toString() : null };
}

/** The latest changes to how the customer is reached (audit events), newest first. */
export async function customerContactChanges(customerId: string, limit = 10): Promise<CustomerAuditRow[]> {
  const subjects = await customerSubjects(customerId);
  return auditRows({ AND: [subjects, { OR: [{ action: { in: [...CONTACT_CHANGE_ACTIONS] } }, { action: { startsWith: CONTACT_CHANGE_PREFIX } }] }] }, limit);
}
