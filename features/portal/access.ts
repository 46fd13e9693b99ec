import "server-only";
import { customerEntitlement, type Entitlement } from "@/features/customers/agreements";
import { db } from "@/platform/db/client";
import type { CustomerMatchStatus } from "@/platform/db/generated/prisma/enums";

/**
 * What a customer account may do in the portal, from its proofs and its customer's agreement.
 * Server only. One place for the rules, so the portal page, the Downloads page and the file
 * downloads themselves cannot disagree:
 *
 * - email not verified: no tickets, no downloads; the portal asks them to verify;
 * - verified, linked to a customer with a valid agreement: full support, Downloads;
 * - verified otherwise (awaiting a match, or an expired, cancelled or missing agreement):
 *   tickets are accepted but marked "not entitled", and Downloads are refused with the reason.
 */

export type SupportLevel = "unverified" | "full" | "not_entitled";

export type DownloadsAccess = { allowed: true } | { allowed: false; reason: string };

export interface PortalAccess {
  emailVerified: boolean;
  phone: { e164: string | null; verified: boolean };
  matchStatus: CustomerMatchStatus | null;
  customer: { id: string; name: string; organisationName: string | null; accountNumber: string } | null;
  entitlement: Entitlement | null;
  support: SupportLevel;
  ticketsAllowed: boolean;
  downloads: DownloadsAccess;
}

export interface AccessFacts {
  emailVerifiedAt: Date | null;
  phoneE164: string | null;
  phoneVerifiedAt: Date | null;
  matchStatus: CustomerMatchStatus | null;
  customer: PortalAccess["customer"];
  entitlement: Entitlement | null;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

function downloadsRefusal(facts: AccessFacts): string {
  if (!facts.emailVerifiedAt) return "Verify your email address first. Downloads are for verified customers with a valid support agreement.";
  if (!facts.customer) {
    return "Your account is not linked to a customer record yet. Our team is reviewing it; Downloads open once it is linked to a customer with a valid support agreement.";
  }
  const entitlement = facts.entitlement ?? { status: "none" as const };
  const who = facts.customer.organisationName ?? facts.customer.name;
  switch (entitlement.status) {
    case "expired":
      return `${who}'s support agreement expired${entitlement.endsOn ? ` on ${day(entitlement.endsOn)}` : ""}. Downloads are for customers with a valid support agreement; contact us to renew it.`;
    case "cancelled":
      return `${who}'s support agreement was cancelled${entitlement.cancelledAt ? ` on ${day(entitlement.cancelledAt)}` : ""}. Downloads are for customers with a valid support agreement.`;
    default:
      return `${who} has no support agreement. Downloads are for customers with a valid support agreement; contact us to set one up.`;
  }
}

/** The rules, as a pure function of the facts. */
export function portalAccessOf(facts: AccessFacts): PortalAccess {
  const emailVerified = facts.emailVerifiedAt !== null;
  const entitled = emailVerified && facts.customer !== null && facts.entitlement?.status === "valid";
  return {
    emailVerified,
    phone: { e164: facts.phoneE164, verified: facts.phoneVerifiedAt !== null },
    matchStatus: facts.matchStatus,
    customer: facts.customer,
    entitlement: facts.entitlement,
    support: !emailVerified ? "unverified" : entitled ? "full" : "not_entitled",
    ticketsAllowed: emailVerified,
    downloads: entitled ? { allowed: true } : { allowed: false, reason: downloadsRefusal(facts) },
  };
}

/** Loads the facts of one account and applies the rules. */
export async function loadPortalAccess(userId: string, today: Date = new Date()): Promise<PortalAccess> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      emailVerifiedAt: true,
      phoneE164: true,
      phoneVerifiedAt: true,
      matchStatus: true,
      customer: { select: { id: true, name: true, accountNumber: true, organisation: { select: { name: true } } } },
    },
  });
  const { customer, ...facts } = user;
  // customerEntitlement counts the customer's own agreements and their organisation's.
  const entitlement = customer ? await customerEntitlement(customer.id, today) : null;
  const flat = customer
    ? { id: customer.id, name: customer.name, accountNumber: customer.accountNumber, organisationName: customer.organisation?.name ?? null }
    : null;
  return portalAccessOf({ ...facts, customer: flat, entitlement });
}
