import "server-only";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { customerEntitlement, type Entitlement } from "@/features/customers/agreements";
import { isSendableAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { addressInDisplayName } from "@/platform/email-address/look-alike";
import { type LookAlikeSender, lookAlikeSenderFor } from "@/features/identity/look-alike-senders";
import { type ContactValidity, type Deliverability, Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { type RecentRiskEvent, recentRiskEvents, riskAccountIds } from "@/features/identity/recent-risk";
import { pendingChangesOf } from "@/features/accounts/text-confirmation/pending-changes";
import { type AddressStanding, explainIdentityBadge, type IdentityBadge, identityBadgeOf, type TicketIdentityFacts } from "@/features/identity/ticket-identity";

/**
 * Everything the agent's identity panel shows for one ticket: where the request came from
 * against the record, the requester's proofs, the matched customer with aliases and phones,
 * the agreement, and the latest identity checks on this customer.
 */
export interface IdentityPanel {
  badge: IdentityBadge;
  explanation: string;
  facts: TicketIdentityFacts;
  requesterAddress: string | null;
  addressStanding: AddressStanding;
  /** For a call or chat: whether the number is one of the matched customer's (null for email). Proves nothing by itself. */
  numberOnRecord: boolean | null;
  addressDeliverability: Deliverability | null;
  /** The requester's address or number on record: its latest bulk validation verdict (features/data-quality/validation/), null if never validated. */
  contactValidation: { channel: "email" | "phone"; validity: ContactValidity; reasons: string[]; validatedAt: Date; asOf: Date } | null;
  /** The sender's domain imitates a known customer's or organisation's (features/identity/look-alike-senders.ts). */
  lookAlike: LookAlikeSender | null;
  /** Another address written in the sender's display name ("ceo@northwind.example" <x@evil.test>). */
  displayNameAddress: string | null;
  account: { name: string; email: string; emailVerified: boolean; phoneE164: string | null; phoneVerified: boolean; twoFactor: boolean } | null;
  customer: {
    id: string;
    name: string;
    /** The organisation the customer is a contact of, if any. */
    organisationName: string | null;
    accountNumber: string;
    emails: { address: string; isPrimary: boolean; verified: boolean; deliverability: Deliverability; bounceCount: number }[];
    phones: { e164: string; kind: string; verified: boolean }[];
  } | null;
  entitlement: Entitlement | null;
  recentChecks: {
    id: string;
    method: string;
    outcome: string;
    at: Date;
    by: string | null;
    reason: string | null;
    ticketNumber: number | null;
    current: boolean;
  }[];
  /** Security events on the accounts within the risk window, newest first ("mobile changed 8 min before this ticket"). */
  recentRisk: RecentRiskEvent[];
  /** Changes to the requester's accounts still waiting for the owner's answer by text (asked, not yet approved or refused). */
  pendingChanges: { id: string; words: string; createdAt: Date; textActive: boolean; textSent: boolean; byStaff: boolean }[];
  /** The check that counts for this conversation now, if any (an override is shown as such, with its reason). */
  currentCheck: { id: string; method: string; outcome: "passed" | "overridden"; at: Date; expiresAt: Date; by: string | null; reason: string | null } | null;
}

/** A number as stored on customer records (E.164), or null when it is not a possible international number. */
function toE164(number: string): string | null {
  const parsed = parsePhoneNumberFromString(number);
  return parsed?.isPossible() ? parsed.number : null;
}

type PanelEmail = {
  customerId: string;
  address: string;
  isPrimary: boolean;
  verifiedAt: Date | null;
  deliverability: Deliverability;
  bounceCount: number;
  validity: ContactValidity | null;
  validityReasons: string[];
  validatedAt: Date | null;
};
type PanelPhone = {
  e164: string;
  kind: string;
  verifiedAt: Date | null;
  validity: ContactValidity | null;
  validityReasons: string[];
  validatedAt: Date | null;
};
type PanelTicketRow = {
  id: string;
  customerId: string | null;
  createdAt: Date;
  requesterUserId: string | null;
  requesterAddress: string | null;
  requesterName: string | null;
  requesterAccountName: string | null;
  requesterEmail: string | null;
  emailVerifiedAt: Date | null;
  phoneE164: string | null;
  phoneVerifiedAt: Date | null;
  twoFactorMethod: string | null;
  customerName: string | null;
  organisationName: string | null;
  accountNumber: string | null;
};
type CheckRow = {
  id: string;
  method: string;
  outcome: string;
  createdAt: Date;
  expiresAt: Date;
  reason: string | null;
  ticketId: string | null;
  performedByName: string | null;
  ticketNumber: number | null;
};

const EMAIL_COLUMNS = Prisma.sql`e."customerId", e."address", e."isPrimary", e."verifiedAt", e."deliverability", e."bounceCount", e."validity", e."validityReasons", e."validatedAt"`;
const CHECK_COLUMNS = Prisma.sql`k."id", k."method", k."outcome", k."createdAt", k."expiresAt", k."reason", k."ticketId",
  p."name" AS "performedByName", t."number" AS "ticketNumber"`;
const CHECK_JOINS = Prisma.sql`LEFT JOIN "User" p ON p."id" = k."performedById" LEFT JOIN "Ticket" t ON t."id" = k."ticketId"`;

/**
 * The rows the panel is built from. Prepared statements (ARCHITECTURE.md, "Hot paths"): as Prisma
 * includes they compiled and ran as a dozen queries on every open of a ticket.
 */
async function panelTicket(ticketId: string) {
  const [[ticket], emails, phones] = await Promise.all([
    queryPrepared<PanelTicketRow>(Prisma.sql`
      SELECT t."id", t."customerId", t."createdAt", t."requesterUserId", t."requesterAddress", t."requesterName",
             u."name" AS "requesterAccountName", u."email" AS "requesterEmail", u."emailVerifiedAt", u."phoneE164",
             u."phoneVerifiedAt", u."twoFactorMethod",
             c."name" AS "customerName", c."accountNumber", o."name" AS "organisationName"
        FROM "Ticket" t
        LEFT JOIN "User" u ON u."id" = t."requesterUserId"
        LEFT JOIN "Customer" c ON c."id" = t."customerId"
        LEFT JOIN "Organisation" o ON o."id" = c."organisationId"
       WHERE t."id" = ${ticketId}::uuid`),
    queryPrepared<PanelEmail>(Prisma.sql`
      SELECT ${EMAIL_COLUMNS} FROM "CustomerEmail" e JOIN "Ticket" t ON t."customerId" = e."customerId"
       WHERE t."id" = ${ticketId}::uuid ORDER BY e."isPrimary" DESC, e."normalized"`),
    queryPrepared<PanelPhone>(Prisma.sql`
      SELECT ph."e164", ph."kind", ph."verifiedAt", ph."validity", ph."validityReasons", ph."validatedAt"
        FROM "CustomerPhone" ph JOIN "Ticket" t ON t."customerId" = ph."customerId"
       WHERE t."id" = ${ticketId}::uuid ORDER BY ph."createdAt", ph."id"`),
  ]);
  if (!ticket) return null;
  return {
    ...ticket,
    requester:
      ticket.requesterUserId && ticket.requesterEmail !== null
        ? {
            name: ticket.requesterAccountName ?? "",
            email: ticket.requesterEmail,
            emailVerifiedAt: ticket.emailVerifiedAt,
            phoneE164: ticket.phoneE164,
            phoneVerifiedAt: ticket.phoneVerifiedAt,
            twoFactorMethod: ticket.twoFactorMethod,
          }
        : null,
    customer:
      ticket.customerId && ticket.customerName !== null
        ? {
            id: ticket.customerId,
            name: ticket.customerName,
            organisationName: ticket.organisationName,
            accountNumber: ticket.accountNumber ?? "",
            emails,
            phones,
          }
        : null,
  };
}

export async function identityPanelForTicket(ticketId: string, now = new Date()): Promise<IdentityPanel | null> {
  const ticket = await panelTicket(ticketId);
  if (!ticket) return null;

  const given = ticket.requesterAddress?.trim() ?? "";
  const address = isSendableAddress(given) ? normalizeEmail(given) : null;
  const recordEmail = address
    ? ((await queryPrepared<PanelEmail>(Prisma.sql`SELECT ${EMAIL_COLUMNS} FROM "CustomerEmail" e WHERE e."normalized" = ${address}`))[0] ?? null)
    : null;
  const addressStanding: AddressStanding = !ticket.requesterAddress
    ? "none"
    : !recordEmail
      ? "unknown"
      : ticket.customerId && recordEmail.customerId !== ticket.customerId
        ? "other_customer"
        : recordEmail.isPrimary
          ? "primary"
          : "alias";

  // Shown: the latest checks on this customer (or ticket). Decisive: this conversation's own
  // checks, all of them, since a verification counts for its conversation only, until it expires.
  const [checks, forThisTicket, recentRisk, pendingChanges] = await Promise.all([
    queryPrepared<CheckRow>(Prisma.sql`
      SELECT ${CHECK_COLUMNS} FROM "IdentityCheck" k ${CHECK_JOINS}
       WHERE k."ticketId" = ${ticket.id}::uuid OR k."customerId" = ${ticket.customerId}::uuid
       ORDER BY k."createdAt" DESC, k."id" DESC LIMIT 5`),
    queryPrepared<CheckRow>(Prisma.sql`
      SELECT ${CHECK_COLUMNS} FROM "IdentityCheck" k ${CHECK_JOINS}
       WHERE k."ticketId" = ${ticket.id}::uuid ORDER BY k."createdAt" DESC, k."id" DESC`),
    recentRiskEvents({ customerId: ticket.customerId, requesterUserId: ticket.requesterUserId, ticketCreatedAt: ticket.createdAt, now }),
    riskAccountIds({ customerId: ticket.customerId, requesterUserId: ticket.requesterUserId }).then((ids) => pendingChangesOf(ids, now)),
  ]);
  const current = forThisTicket.find((check) => (check.outcome === "passed" || check.outcome === "overridden") && check.expiresAt > now);
  const latest = forThisTicket[0];

  const requester = ticket.requester;
  // Same rule as the queue's SQL: anything without "@" is a number (a call or chat), never an email address.
  const requesterIsNumber = given !== "" && !given.includes("@");
  const requesterE164 = requesterIsNumber ? toE164(given) : null;
  const numberOnRecord = requesterIsNumber ? Boolean(requesterE164 && ticket.customer?.phones.some((phone) => phone.e164 === requesterE164)) : null;
  const facts: TicketIdentityFacts = {
    addressStanding,
    requesterIsNumber,
    addressVerified: Boolean(recordEmail?.verifiedAt),
    addressDeliverability: recordEmail?.deliverability ?? null,
    account: requester
      ? { emailVerified: Boolean(requester.emailVerifiedAt), phoneVerified: Boolean(requester.phoneVerifiedAt), twoFactor: Boolean(requester.twoFactorMethod) }
      : null,
    currentCheck: current
      ? { outcome: current.outcome as "passed" | "overridden", method: current.method, at: current.createdAt, by: current.performedByName }
      : null,
    lastCheckFailed: latest?.outcome === "failed",
    recentRiskAt: recentRisk[0]?.at ?? null,
  };

  const recordPhone = requesterE164 ? ticket.customer?.phones.find((phone) => phone.e164 === requesterE164) : undefined;
  const validated = recordEmail ?? recordPhone ?? null;
  const contactValidation =
    validated?.validity && validated.validatedAt
      ? {
          channel: recordEmail ? ("email" as const) : ("phone" as const),
          validity: validated.validity,
          reasons: validated.validityReasons,
          validatedAt: validated.validatedAt,
          asOf: now,
        }
      : null;

  // An address on a record is never a look-alike (its domain is known); only unknown senders are examined.
  const lookAlike = !requesterIsNumber && addressStanding === "unknown" ? await lookAlikeSenderFor(given) : null;

  return {
    badge: identityBadgeOf(facts),
    explanation: explainIdentityBadge(facts),
    facts,
    requesterAddress: ticket.requesterAddress,
    addressStanding,
    numberOnRecord,
    addressDeliverability: recordEmail?.deliverability ?? null,
    contactValidation,
    lookAlike,
    displayNameAddress: requesterIsNumber ? null : addressInDisplayName(ticket.requesterName, given),
    account: requester
      ? {
          name: requester.name,
          email: requester.email,
          emailVerified: Boolean(requester.emailVerifiedAt),
          phoneE164: requester.phoneE164,
          phoneVerified: Boolean(requester.phoneVerifiedAt),
          twoFactor: Boolean(requester.twoFactorMethod),
        }
      : null,
    customer: ticket.customer
      ? {
          id: ticket.customer.id,
          name: ticket.customer.name,
          organisationName: ticket.customer.organisationName,
          accountNumber: ticket.customer.accountNumber,
          emails: ticket.customer.emails.map((email) => ({
            address: email.address,
            isPrimary: email.isPrimary,
            verified: Boolean(email.verifiedAt),
            deliverability: email.deliverability,
            bounceCount: email.bounceCount,
          })),
          phones: ticket.customer.phones.map((phone) => ({ e164: phone.e164, kind: phone.kind, verified: Boolean(phone.verifiedAt) })),
        }
      : null,
    recentRisk,
    pendingChanges: pendingChanges.map((change) => ({
      id: change.id,
      words: change.words,
      createdAt: change.createdAt,
      textActive: change.textActive,
      textSent: change.textSent,
      byStaff: change.byStaff,
    })),
    entitlement: ticket.customerId ? await customerEntitlement(ticket.customerId, now) : null,
    currentCheck: current
      ? {
          id: current.id,
          method: current.method,
          outcome: current.outcome as "passed" | "overridden",
          at: current.createdAt,
          expiresAt: current.expiresAt,
          by: current.performedByName,
          reason: current.reason,
        }
      : null,
    recentChecks: checks.map((check) => ({
      id: check.id,
      method: check.method,
      outcome: check.outcome,
      at: check.createdAt,
      by: check.performedByName,
      reason: check.reason,
      ticketNumber: check.ticketNumber,
      current: check.id === current?.id,
    })),
  };
}
