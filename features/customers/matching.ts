import "server-only";
import { recordAudit } from "@/platform/audit";
import { normalizeEmail } from "@/platform/email-address/email-address";
import { db, type Prisma } from "@/platform/db/client";
import { lookAlikeSenderFor } from "@/features/identity/look-alike-senders";

/**
 * Linking a portal account to the customer it belongs to, at the moment its email address is
 * proved. The only automatic proof is the verified address itself: it must equal (once
 * normalised: trimmed, lower-cased) a customer's primary address or one of its aliases
 * (CustomerEmail.normalized). Anything the registrant typed — an account number, a company — is
 * a hint for agents and never links anything on its own (features/customers/registration-review/review.ts).
 * An address whose domain imitates a known customer's (features/identity/look-alike-senders.ts) is
 * on no record, so it never matches; the look-alike is audited and shown to the reviewer.
 */

export type MatchOutcome =
  /** `earlier_link`: no address matched, but an agent had already linked the account. */
  { status: "matched"; customerId: string; customerEmailId: string | null; via: "primary" | "alias" | "earlier_link" } | { status: "awaiting_match" };

type Writer = Prisma.TransactionClient;

/** The customer address that an address matches, or null. */
export async function findCustomerEmail(address: string, reader: Pick<Writer, "customerEmail"> = db) {
  // A merge moves every address to the survivor; a record it absorbed is never matched even so.
  return reader.customerEmail.findUnique({
    where: { normalized: normalizeEmail(address), customer: { mergedIntoId: null } },
    select: { id: true, customerId: true, isPrimary: true, verifiedAt: true, addedByStaffAt: true },
  });
}

export interface VerifiedAccount {
  userId: string;
  /** The address that was just proved (the challenge's target). */
  email: string;
  verifiedAt: Date;
  ip?: string | null;
}

/**
 * Marks the account's email verified and links it to the customer whose primary address or alias
 * it is: User.customerId, matchStatus=matched and CustomerEmail.verifiedAt (the customer's
 * address is now proved too). With no such customer the account waits for an agent
 * (matchStatus=awaiting_match, listed on /console/registrations).
 *
 * Run it inside the transaction that consumes the code (the engine's `onVerified`), so the code is
 * used up only if this succeeds. Audited either way.
 */
export async function matchVerifiedAccount(tx: Writer, account: VerifiedAccount): Promise<MatchOutcome> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: account.userId }, select: { id: true, role: true, customerId: true, matchStatus: true } });
  const match = user.role === "customer" ? await findCustomerEmail(account.email, tx) : null;

  if (user.role !== "customer") {
    await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: account.verifiedAt } });
    return { status: "awaiting_match" };
  }

  // An address an agent typed in and nobody has proved yet is a claim, not evidence: linking a
  // registrant to the record on it would hand whoever asked the agent to add it the customer's
  // tickets. The account waits for an agent, who sees the record as a suggestion.
  if (match && match.addedByStaffAt && !match.verifiedAt) {
    await tx.user.update({
      where: { id: user.id },
      data: { emailVerifiedAt: account.verifiedAt, matchStatus: user.customerId ? "matched" : "awaiting_match" },
    });
    await recordAudit(
      {
        action: "registration.awaiting_match",
        subjectType: "User",
        subjectId: user.id,
        ip: account.ip ?? null,
        details: { reason: "staff_added_address_unproven", customerEmailId: match.id },
      },
      tx,
    );
    return user.customerId ? { status: "matched", customerId: user.customerId, customerEmailId: null, via: "earlier_link" } : { status: "awaiting_match" };
  }

  if (!match) {
    // Already linked by an agent (e.g. verifying again after an address change): keep that link.
    const status = user.customerId ? "matched" : "awaiting_match";
    await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: account.verifiedAt, matchStatus: status } });
    // A domain imitating a known customer's is called out for the reviewer (ids only): it never links anything.
    const lookAlike = await lookAlikeSenderFor(account.email);
    if (lookAlike) {
      await recordAudit(
        {
          action: "registration.look_alike_domain",
          subjectType: "User",
          subjectId: user.id,
          ip: account.ip ?? null,
          details: { imitatedCustomerId: lookAlike.customerId, imitatedOrganisationId: lookAlike.organisationId, technique: lookAlike.technique },
        },
        tx,
      );
    }
    await recordAudit(
      {
        action: status === "matched" ? "registration.email_verified" : "registration.awaiting_match",
        subjectType: "User",
        subjectId: user.id,
        ip: account.ip ?? null,
      },
      tx,
    );
    return user.customerId ? { status: "matched", customerId: user.customerId, customerEmailId: null, via: "earlier_link" } : { status: "awaiting_match" };
  }

  await tx.user.update({
    where: { id: user.id },
    data: { emailVerifiedAt: account.verifiedAt, customerId: match.customerId, matchStatus: "matched" },
  });
  if (!match.verifiedAt) {
    await tx.customerEmail.update({ where: { id: match.id }, data: { verifiedAt: account.verifiedAt } });
  }
  const via = match.isPrimary ? "primary" : "alias";
  await recordAudit(
    {
      action: "customer.account_matched",
      subjectType: "User",
      subjectId: user.id,
      ip: account.ip ?? null,
      details: { customerId: match.customerId, customerEmailId: match.id, via, previousCustomerId: user.customerId },
    },
    tx,
  );
  return { status: "matched", customerId: match.customerId, customerEmailId: match.id, via };
}
