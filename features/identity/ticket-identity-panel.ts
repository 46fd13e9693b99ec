import "server-only";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { customerEntitlement, type Entitlement } from "@/features/customers/agreements";
import { isSendableAddress, normalizeEmail } from "@/platform/email-address/email-address";
import { addressInDisplayName } from "@/platform/email-address/look-alike";
import { type LookAlikeSender, lookAlikeSenderFor } from "@/features/identity/look-alike-senders";
import { type ContactValidity, db, type Deliverability } from "@/platform/db/client";
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

export async function identityPanelForTicket(ticketId: string, now = new Date()): Promise<IdentityPanel | null> {
  const ticket = await db.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      customerId: true,
      createdAt: true,
      requesterUserId: true,
      requesterAddress: true,
      requesterName: true,
      requester: { select: { name: true, email: true, emailVerifiedAt: true, phoneE164: true, phoneVerifiedAt: true, twoFactorMethod: true } },
      customer: {
        select: {
          id: true,
          name: true,
          organisation: { select: { name: true } },
          accountNumber: true,
          emails: { orderBy: [{ isPrimary: "desc" }, { normalized: "asc" }] },
          phones: { orderBy: { createdAt: "asc" } },
        },
      },
    },
  });
  if (!ticket) return null;

  const given = ticket.requesterAddress?.trim() ?? "";
  const address = isSendableAddress(given) ? normalizeEmail(given) : null;
  const recordEmail = address ? await db.customerEmail.findUnique({ where: { normalized: address } }) : null;
  const addressStanding: AddressStanding = !ticket.requesterAddress
    ? "none"
    : !recordEmail
      ? "unknown"
      : ticket.customerId && recordEmail.customerId !== ticket.customerId
        ? "other_customer"
        : recordEmail.isPrimary
          ? "primary"
          : "alias";

  const checkFields = {
    id: true,
    method: true,
    outcome: true,
    createdAt: true,
    expiresAt: true,
    reason: true,
    ticketId: true,
    performedBy: { select: { name: true } },
    ticket: { select: { number: true } },
  } as const;
  // Shown: the latest checks on this customer (or ticket). Decisive: this conversation's own
  // checks, all of them, since a verification counts for its conversation only, until it expires.
  const [checks, forThisTicket, recentRisk, pendingChanges] = await Promise.all([
    db.identityCheck.findMany({
      where: ticket.customerId ? { OR: [{ ticketId: ticket.id }, { customerId: ticket.customerId }] } : { ticketId: ticket.id },
      orderBy: { createdAt: "desc" },
      take: 5,
      select: checkFields,
    }),
    db.identityCheck.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: "desc" }, select: checkFields }),
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
      ? { outcome: current.outcome as "passed" | "overridden", method: current.method, at: current.createdAt, by: current.performedBy?.name ?? null }
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
          organisationName: ticket.customer.organisation?.name ?? null,
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
          by: current.performedBy?.name ?? null,
          reason: current.reason,
        }
      : null,
    recentChecks: checks.map((check) => ({
      id: check.id,
      method: check.method,
      outcome: check.outcome,
      at: check.createdAt,
      by: check.performedBy?.name ?? null,
      reason: check.reason,
      ticketNumber: check.ticket?.number ?? null,
      current: check.id === current?.id,
    })),
  };
}
