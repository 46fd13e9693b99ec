import { Prisma } from "@/platform/db/client";
import type { AgreementTier, Deliverability } from "@/platform/db/generated/prisma/enums";
import type { AddressStanding, IdentityBadge, TicketIdentityFacts } from "@/features/identity/ticket-identity";
import { recentRiskJoinSql, recentRiskWindowHours } from "@/features/identity/recent-risk";
import { heldForSql } from "@/features/customers/agreements";

/**
 * The identity badge and the support entitlement of tickets, derived in SQL so that the queue can
 * FILTER on them. The badge itself is decided by `identityBadgeOf` (features/identity/ticket-identity.ts);
 * the CASE below is its SQL twin. The page displays `identityBadgeOf(facts)` of the facts read
 * here and filters with the CASE; features/tickets/queue/queue-identity.test.ts checks, on seeded tickets
 * covering every badge, that both agree and that the facts are right.
 *
 * The facts of a ticket `c` (any relation with the Ticket columns):
 *  - address: the CustomerEmail whose `normalized` equals the requester address normalised like
 *    platform/email-address/email-address.ts (trim, NFC, lower-case), one probe of its unique index. Same
 *    customer as the ticket → primary / alias; another customer → other_customer; a ticket linked
 *    to no customer takes the address's own standing (nothing contradicts it); no such address →
 *    unknown (phone tickets carry a number, never an email address: unknown); no address → none.
 *    SQL lower() follows the database's ctype and JavaScript's toLowerCase() full Unicode: they
 *    agree for every address under a UTF-8 ctype (C.UTF-8, en_US.UTF-8…) and for ASCII anywhere.
 *  - account: the requester's User (emailVerifiedAt, phoneVerifiedAt, twoFactorMethod), by id.
 *  - recent risk: the latest security event (./recent-risk.ts) on the requester's account or any
 *    account of the ticket's customer within RECENT_RISK_WINDOW_HOURS (alias rr).
 *  - checks: the ticket's IdentityChecks, one probe of IdentityCheck(ticketId, createdAt): the
 *    latest unexpired passed/overridden one is the current check; the latest of all says whether
 *    the last check failed.
 * Entitlement: the customer's best agreement valid today (features/customers/agreements.ts: startsOn ≤
 * today ≤ endsOn as UTC dates, not cancelled on or before today; latest end, then highest tier),
 * one probe of SupportAgreement(customerId, endsOn) plus one of SupportAgreement(organisationId, endsOn)
 * through the customer's organisation: an organisation's agreement entitles every contact.
 *
 * `now` (and today, its UTC date) is a parameter, never the database clock: the app, the tests and
 * the pure functions agree on what "current" and "today" mean, whatever the server's time zone.
 */

const nowSql = (now: Date) => Prisma.sql`CAST(${now.toISOString()} AS timestamp(3))`;
const todaySql = (now: Date) => Prisma.sql`CAST(${now.toISOString().slice(0, 10)} AS date)`;

/** Trim (the whitespace JavaScript's trim() removes from addresses), NFC, lower-case. */
export const normalizedAddressSql = (column: Prisma.Sql) =>
  Prisma.sql`lower(normalize(btrim(${column}, E' \\t\\n\\r\\f\\v\\u00a0\\u2028\\u2029\\ufeff'), NFC))`;

/**
 * Joins for the badge, for a relation aliased `c`: adds the aliases ce, ru and chk. Each is a
 * LATERAL subquery with LIMIT so that it stays a nested-loop index probe per row: the queue relies
 * on them preserving the order of `c` and stopping with it (a hash join would read every candidate).
 */
export function identityJoinsSql(now: Date, riskWindowHours: number = recentRiskWindowHours()): Prisma.Sql {
  return Prisma.sql`${recentRiskJoinSql(now, riskWindowHours)}
    LEFT JOIN LATERAL (
      SELECT e."customerId", e."isPrimary", e."verifiedAt", e."deliverability"
        FROM "CustomerEmail" e
       WHERE e."normalized" = ${normalizedAddressSql(Prisma.sql`c."requesterAddress"`)}
       LIMIT 1
    ) ce ON true
    LEFT JOIN LATERAL (
      SELECT u."id", u."emailVerifiedAt", u."phoneVerifiedAt", u."twoFactorMethod"
        FROM "User" u
       WHERE u."id" = c."requesterUserId"
       LIMIT 1
    ) ru ON true
    LEFT JOIN LATERAL (
      SELECT (array_agg(i."outcome" ORDER BY i."createdAt" DESC, i."id" DESC)
                FILTER (WHERE i."outcome" IN ('passed', 'overridden') AND i."expiresAt" > ${nowSql(now)}))[1] AS "current",
             (array_agg(i."method" ORDER BY i."createdAt" DESC, i."id" DESC)
                FILTER (WHERE i."outcome" IN ('passed', 'overridden') AND i."expiresAt" > ${nowSql(now)}))[1] AS "currentMethod",
             (array_agg(i."createdAt" ORDER BY i."createdAt" DESC, i."id" DESC)
                FILTER (WHERE i."outcome" IN ('passed', 'overridden') AND i."expiresAt" > ${nowSql(now)}))[1] AS "currentAt",
             (array_agg(i."performedById" ORDER BY i."createdAt" DESC, i."id" DESC)
                FILTER (WHERE i."outcome" IN ('passed', 'overridden') AND i."expiresAt" > ${nowSql(now)}))[1] AS "currentBy",
             (array_agg(i."outcome" ORDER BY i."createdAt" DESC, i."id" DESC))[1] = 'failed' AS "lastFailed"
        FROM "IdentityCheck" i
       WHERE i."ticketId" = c."id"
    ) chk ON true`;
}

/** Valid on today, over an agreement aliased `a` (isAgreementValid). */
const validTodaySql = (now: Date) =>
  Prisma.sql`(a."startsOn" <= ${todaySql(now)} AND a."endsOn" >= ${todaySql(now)} AND (a."cancelledAt" IS NULL OR CAST(a."cancelledAt" AS date) > ${todaySql(now)}))`;
/** Cancelled on or before today, over an agreement aliased `a` (isCancelledOn). */
const cancelledByTodaySql = (now: Date) => Prisma.sql`(a."cancelledAt" IS NOT NULL AND CAST(a."cancelledAt" AS date) <= ${todaySql(now)})`;

/** Join for the entitlement, for a relation aliased `c`: adds the alias ent (tier of the best valid agreement, the customer's own or their organisation's). */
export function entitlementJoinSql(now: Date): Prisma.Sql {
  return Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT h."tier"
        FROM (
          SELECT a."tier", a."endsOn"
            FROM "SupportAgreement" a
           WHERE a."customerId" = c."customerId" AND a."endsOn" >= ${todaySql(now)} AND a."startsOn" <= ${todaySql(now)}
             AND (a."cancelledAt" IS NULL OR CAST(a."cancelledAt" AS date) > ${todaySql(now)})
          UNION ALL
          SELECT a."tier", a."endsOn"
            FROM "Customer" oc
            JOIN "SupportAgreement" a ON a."organisationId" = oc."organisationId"
           WHERE oc."id" = c."customerId" AND a."endsOn" >= ${todaySql(now)} AND a."startsOn" <= ${todaySql(now)}
             AND (a."cancelledAt" IS NULL OR CAST(a."cancelledAt" AS date) > ${todaySql(now)})
        ) h
       ORDER BY h."endsOn" DESC, h."tier" DESC
       LIMIT 1
    ) ent ON true`;
}

/** WHERE for the agreements (aliased `a`) that give customer `cu` a status other than "none": valid, cancelled or ended. */
export function agreementCountsSql(now: Date): Prisma.Sql {
  return Prisma.sql`WHERE ${heldForSql(Prisma.sql`cu."id"`, Prisma.sql`cu."organisationId"`)}
         AND (${validTodaySql(now)} OR ${cancelledByTodaySql(now)} OR a."endsOn" < ${todaySql(now)})`;
}

/**
 * `entitlementOf(…).status` in SQL, for a customer relation aliased `cu` (Customer columns): adds
 * the alias ags with `status` ('valid' | 'expired' | 'cancelled'; NULL = 'none'). A valid agreement
 * wins; otherwise the lapsed one (cancelled on or before today, or ended) with the latest end, then
 * highest tier, says cancelled or expired; one that has not started (and is not cancelled) counts
 * for nothing. features/customers/directory.test.ts checks it against entitlementOf.
 */
export function agreementStatusJoinSql(now: Date): Prisma.Sql {
  return Prisma.sql`
    LEFT JOIN LATERAL (
      SELECT CASE WHEN ${validTodaySql(now)} THEN 'valid' WHEN ${cancelledByTodaySql(now)} THEN 'cancelled' ELSE 'expired' END AS "status"
        FROM "SupportAgreement" a
       ${agreementCountsSql(now)}
       ORDER BY ${validTodaySql(now)} DESC, a."endsOn" DESC, a."tier" DESC
       LIMIT 1
    ) ags ON true`;
}

/** Address standing, over identityJoinsSql. */
export const addressStandingSql = Prisma.sql`(CASE
    WHEN c."requesterAddress" IS NULL OR btrim(c."requesterAddress") = '' THEN 'none'
    WHEN ce."customerId" IS NULL THEN 'unknown'
    WHEN c."customerId" IS NOT NULL AND ce."customerId" <> c."customerId" THEN 'other_customer'
    WHEN ce."isPrimary" THEN 'primary'
    ELSE 'alias' END)`;

/** The badge before the recent-risk cap (`baseBadgeOf`). */
const baseBadgeSql = Prisma.sql`(CASE
    WHEN ce."deliverability" IN ('bouncing', 'complained') THEN 'bouncing'
    WHEN ce."customerId" IS NOT NULL AND c."customerId" IS NOT NULL AND ce."customerId" <> c."customerId" THEN 'mismatch'
    WHEN chk."current" IS NOT NULL THEN 'verified'
    WHEN chk."lastFailed" THEN 'mismatch'
    WHEN ce."customerId" IS NOT NULL AND (ce."verifiedAt" IS NOT NULL OR ru."emailVerifiedAt" IS NOT NULL)
         AND ru."emailVerifiedAt" IS NOT NULL AND (ru."phoneVerifiedAt" IS NOT NULL OR ru."twoFactorMethod" IS NOT NULL) THEN 'verified'
    WHEN (ce."customerId" IS NOT NULL AND ce."verifiedAt" IS NOT NULL) OR ru."emailVerifiedAt" IS NOT NULL THEN 'partially_verified'
    ELSE 'unverified' END)`;

/**
 * `identityBadgeOf` in SQL, over identityJoinsSql. Keep the rules and their order identical: a
 * security event in the window with no current check after it caps "verified" at "partially_verified".
 */
export const identityBadgeSql = Prisma.sql`(CASE
    WHEN rr."at" IS NOT NULL AND (chk."current" IS NULL OR chk."currentAt" < rr."at") AND ${baseBadgeSql} = 'verified' THEN 'partially_verified'
    ELSE ${baseBadgeSql} END)`;

/** The fact columns (FactColumns), over identityJoinsSql and entitlementJoinSql. */
export const factColumnsSql = Prisma.sql`
    ${addressStandingSql} AS "addressStanding",
    (btrim(coalesce(c."requesterAddress", '')) <> '' AND position('@' in c."requesterAddress") = 0) AS "requesterIsNumber",
    (ce."verifiedAt" IS NOT NULL) AS "addressVerified",
    CAST(ce."deliverability" AS text) AS "addressDeliverability",
    (ru."id" IS NOT NULL) AS "hasAccount",
    (ru."emailVerifiedAt" IS NOT NULL) AS "accountEmailVerified",
    (ru."phoneVerifiedAt" IS NOT NULL) AS "accountPhoneVerified",
    (ru."twoFactorMethod" IS NOT NULL) AS "accountTwoFactor",
    CAST(chk."current" AS text) AS "currentCheck",
    CAST(chk."currentMethod" AS text) AS "currentCheckMethod",
    to_char(chk."currentAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "currentCheckAt",
    (SELECT cu."name" FROM "User" cu WHERE cu."id" = chk."currentBy") AS "currentCheckBy",
    coalesce(chk."lastFailed", false) AS "lastCheckFailed",
    to_char(rr."at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recentRiskAt",
    ${identityBadgeSql} AS "sqlBadge",
    CAST(ent."tier" AS text) AS "entitlementTier"`;

export type FactColumns = {
  addressStanding: AddressStanding;
  requesterIsNumber: boolean;
  addressVerified: boolean;
  addressDeliverability: Deliverability | null;
  hasAccount: boolean;
  accountEmailVerified: boolean;
  accountPhoneVerified: boolean;
  accountTwoFactor: boolean;
  currentCheck: "passed" | "overridden" | null;
  currentCheckMethod: string | null;
  /** ISO 8601 in UTC (the timestamp columns hold UTC); text, so no driver has to guess its zone. */
  currentCheckAt: string | null;
  currentCheckBy: string | null;
  lastCheckFailed: boolean;
  /** ISO 8601 in UTC: the latest security event in the risk window, or null. */
  recentRiskAt: string | null;
  sqlBadge: IdentityBadge;
  entitlementTier: AgreementTier | null;
};

/** The facts as features/identity/ticket-identity-panel.ts states them (the ticket page's panel). */
export function factsFromColumns(row: FactColumns): TicketIdentityFacts {
  return {
    addressStanding: row.addressStanding,
    requesterIsNumber: row.requesterIsNumber,
    addressVerified: row.addressVerified,
    addressDeliverability: row.addressDeliverability,
    account: row.hasAccount ? { emailVerified: row.accountEmailVerified, phoneVerified: row.accountPhoneVerified, twoFactor: row.accountTwoFactor } : null,
    currentCheck: row.currentCheck
      ? {
          outcome: row.currentCheck,
          method: row.currentCheckMethod ?? undefined,
          at: row.currentCheckAt ? new Date(row.currentCheckAt) : undefined,
          by: row.currentCheckBy,
        }
      : null,
    lastCheckFailed: row.lastCheckFailed,
    recentRiskAt: row.recentRiskAt ? new Date(row.recentRiskAt) : null,
  };
}
