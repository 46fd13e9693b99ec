import { Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import type { AgreementTier } from "@/platform/db/generated/prisma/enums";

/**
 * Support entitlement: is this customer covered today, and by what?
 *
 * Agreement dates are calendar dates (PostgreSQL `date`, read back as UTC midnight), so "today"
 * is also reduced to its UTC calendar date before comparing: an agreement ending on 2026-03-31
 * covers all of 2026-03-31 (UTC) and nothing after.
 */

/** The fields the rules need; a SupportAgreement row has them all. */
export type AgreementDates = {
  tier: AgreementTier;
  startsOn: Date;
  endsOn: Date;
  cancelledAt: Date | null;
};

export type EntitlementStatus = "valid" | "expired" | "cancelled" | "none";

export type Entitlement = {
  status: EntitlementStatus;
  /** The agreement the status is about; absent when there is none. */
  tier?: AgreementTier;
  endsOn?: Date;
  /** When status is "cancelled": when it was cancelled. */
  cancelledAt?: Date;
};

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of the instant's UTC calendar date; comparable with <, <=. */
function utcDayNumber(instant: Date): number {
  return Math.floor(instant.getTime() / DAY_MS);
}

/** A cancellation takes effect from the (UTC) day it was recorded, so it can be evaluated for past dates too. */
function isCancelledOn(agreement: AgreementDates, day: number): boolean {
  return agreement.cancelledAt !== null && utcDayNumber(agreement.cancelledAt) <= day;
}

/** Valid = `today` within [startsOn, endsOn], both inclusive, as UTC calendar dates, and not cancelled. */
export function isAgreementValid(agreement: AgreementDates, today: Date): boolean {
  const day = utcDayNumber(today);
  return utcDayNumber(agreement.startsOn) <= day && day <= utcDayNumber(agreement.endsOn) && !isCancelledOn(agreement, day);
}

const TIER_RANK: Record<AgreementTier, number> = { basic: 1, standard: 2, premium: 3 };

/** Latest end date first; on a tie the higher tier. */
function compareBestFirst(a: AgreementDates, b: AgreementDates): number {
  return b.endsOn.getTime() - a.endsOn.getTime() || TIER_RANK[b.tier] - TIER_RANK[a.tier];
}

/**
 * The customer's entitlement on `today`: a valid agreement beats any other (the latest-ending one
 * if several overlap); otherwise the most recent lapsed one says whether it expired or was
 * cancelled. An agreement that has not started yet does not entitle anyone and is not "lapsed":
 * with nothing else it counts as "none".
 */
export function entitlementOf(agreements: readonly AgreementDates[], today: Date): Entitlement {
  const day = utcDayNumber(today);
  const valid = agreements.filter((agreement) => isAgreementValid(agreement, today)).sort(compareBestFirst);
  const best = valid[0];
  if (best) return { status: "valid", tier: best.tier, endsOn: best.endsOn };

  const lapsed = agreements.filter((agreement) => isCancelledOn(agreement, day) || utcDayNumber(agreement.endsOn) < day).sort(compareBestFirst);
  const latest = lapsed[0];
  if (!latest) return { status: "none" };
  if (isCancelledOn(latest, day) && latest.cancelledAt) {
    return { status: "cancelled", tier: latest.tier, endsOn: latest.endsOn, cancelledAt: latest.cancelledAt };
  }
  return { status: "expired", tier: latest.tier, endsOn: latest.endsOn };
}

/**
 * The agreements that entitle a customer: their own and those of their organisation (an
 * organisation's agreement entitles every contact). The one filter every loader uses; its SQL
 * twins are agreementsEntitlingSql below (one customer) and entitlementJoinSql in
 * features/identity/identity-sql.ts (a list's rows).
 */
export function agreementsEntitlingWhere(customerId: string) {
  return { OR: [{ customerId }, { organisation: { customers: { some: { id: customerId } } } }] } satisfies Prisma.SupportAgreementWhereInput;
}

/**
 * The agreements (aliased `a`) that entitle customer `customerId` (a column or value): its own and
 * its organisation's (`organisationId`, the customer's Customer.organisationId). NULL matches nothing.
 */
export const heldForSql = (customerId: Prisma.Sql, organisationId: Prisma.Sql) =>
  Prisma.sql`(a."customerId" = ${customerId} OR a."organisationId" = ${organisationId})`;

/** agreementsEntitlingWhere in SQL, for one customer by id. */
export const agreementsEntitlingSql = (customerId: string) =>
  heldForSql(Prisma.sql`${customerId}::uuid`, Prisma.sql`(SELECT c."organisationId" FROM "Customer" c WHERE c."id" = ${customerId}::uuid)`);

/** Loads the agreements entitling a customer (theirs and their organisation's) and returns the entitlement on `today`. */
export async function customerEntitlement(
  customerId: string,
  today: Date = new Date(),
  /** A transaction to read in (a caller holding one must not wait for a second pool connection). */
  client?: Pick<Prisma.TransactionClient, "supportAgreement">,
): Promise<Entitlement> {
  const agreements = client
    ? await client.supportAgreement.findMany({
        where: agreementsEntitlingWhere(customerId),
        select: { tier: true, startsOn: true, endsOn: true, cancelledAt: true },
      })
    : // Outside a transaction, the same rows by a prepared statement: the ticket page reads them on
      // every open (ARCHITECTURE.md, "Hot paths").
      await queryPrepared<{ tier: AgreementTier; startsOn: Date; endsOn: Date; cancelledAt: Date | null }>(Prisma.sql`
        SELECT a."tier", a."startsOn", a."endsOn", a."cancelledAt"
          FROM "SupportAgreement" a
         WHERE ${agreementsEntitlingSql(customerId)}
         ORDER BY a."id"`);
  return entitlementOf(agreements, today);
}
