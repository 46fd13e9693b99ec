import type { Deliverability } from "@/platform/db/generated/prisma/enums";

/**
 * What the agent sees at a glance on every ticket: how far the requester is known to be who the
 * ticket says. Derived from facts only (never stored), so it is always current.
 */
export type IdentityBadge = "verified" | "partially_verified" | "unverified" | "mismatch" | "bouncing";

/** Where the address a request came from stands against the matched customer's record. */
export type AddressStanding = "primary" | "alias" | "other_customer" | "unknown" | "none";

export interface TicketIdentityFacts {
  /** The address the request came from, as the record knows it. */
  addressStanding: AddressStanding;
  /** The request came from a phone number (a call or chat), not an email address: caller ID proves nothing. */
  requesterIsNumber?: boolean;
  addressVerified: boolean;
  addressDeliverability: Deliverability | null;
  /** The requester's portal account, if any. */
  account: { emailVerified: boolean; phoneVerified: boolean; twoFactor: boolean } | null;
  /**
   * An unexpired passed (or overridden) identity check for this conversation: how (IdentityCheck
   * method), when and by whom, for "verified by phone code 10:42 UTC by Alex Morgan".
   */
  currentCheck: { outcome: "passed" | "overridden"; method?: string; at?: Date; by?: string | null } | null;
  /** An identity check for this conversation that failed most recently. */
  lastCheckFailed: boolean;
  /**
   * The latest security event (email or mobile changed, new-device sign-in, a change reported as not
   * theirs) on the requester's or customer's accounts within the risk window (features/identity/recent-risk.ts).
   */
  recentRiskAt?: Date | null;
}

/**
 * The badge. A recent security event with no identity check after it caps "verified" at
 * "partially verified": a takeover often starts by changing the mobile or signing in anew.
 */
export function identityBadgeOf(facts: TicketIdentityFacts): IdentityBadge {
  const badge = baseBadgeOf(facts);
  const risk = facts.recentRiskAt;
  const checkedSince = facts.currentCheck && (!facts.currentCheck.at || !risk || facts.currentCheck.at >= risk);
  return badge === "verified" && risk && !checkedSince ? "partially_verified" : badge;
}

function baseBadgeOf(facts: TicketIdentityFacts): IdentityBadge {
  if (facts.addressDeliverability === "bouncing" || facts.addressDeliverability === "complained") return "bouncing";
  if (facts.addressStanding === "other_customer") return "mismatch";
  if (facts.currentCheck) return "verified";
  if (facts.lastCheckFailed) return "mismatch";
  const knownAddress = facts.addressStanding === "primary" || facts.addressStanding === "alias";
  const provenAddress = knownAddress && (facts.addressVerified || facts.account?.emailVerified === true);
  const strongAccount = facts.account?.emailVerified === true && (facts.account.phoneVerified || facts.account.twoFactor);
  if (provenAddress && strongAccount) return "verified";
  if (provenAddress || facts.account?.emailVerified) return "partially_verified";
  return "unverified";
}

export const IDENTITY_BADGE_LABEL: Record<IdentityBadge, string> = {
  verified: "Verified",
  partially_verified: "Partially verified",
  unverified: "Unverified",
  mismatch: "Mismatch",
  bouncing: "Bouncing address",
};

/** Why the badge says what it says, in the agent's words (shown as the badge's description). */
export function explainIdentityBadge(facts: TicketIdentityFacts): string {
  const parts: string[] = [];
  parts.push(
    {
      primary: "Sent from the customer's primary address",
      alias: "Sent from one of the customer's aliases",
      other_customer: "Sent from an address that belongs to a different customer",
      unknown: facts.requesterIsNumber
        ? "Came from a phone number, which proves nothing by itself: verify the caller"
        : "Sent from an address not on any customer record",
      none: "No sender address",
    }[facts.addressStanding],
  );
  if (facts.addressDeliverability === "bouncing") parts.push("that address is bouncing");
  if (facts.addressDeliverability === "complained") parts.push("that address marked our email as spam");
  if (facts.account) {
    parts.push(facts.account.emailVerified ? "portal email verified" : "portal email not verified");
    if (facts.account.phoneVerified) parts.push("mobile verified");
    if (facts.account.twoFactor) parts.push("two-factor on");
  }
  if (facts.currentCheck)
    parts.push(
      facts.currentCheck.outcome === "overridden"
        ? `identity verified manually by ${facts.currentCheck.by ?? "a supervisor"} (supervisor override)`
        : describePassedCheck(facts.currentCheck),
    );
  else if (facts.lastCheckFailed) parts.push("last identity check failed");
  if (facts.recentRiskAt && identityBadgeOf(facts) !== baseBadgeOf(facts))
    parts.push("a recent security event on the account holds it at partially verified until an agent checks the requester");
  return parts.join("; ") + ".";
}

/** What a passed check proved, in the agent's words ("email code", "phone code"…). */
export const CHECK_METHOD_WORDS: Record<string, string> = {
  caller_fields: "caller details",
  email_code: "email code",
  sms_code: "phone code",
  supervisor_override: "supervisor override",
};

/** "verified by phone code 10:42 UTC by Alex Morgan" (UTC: the same words on every screen and server). */
function describePassedCheck(check: NonNullable<TicketIdentityFacts["currentCheck"]>): string {
  if (!check.method || !check.at) return "identity check passed";
  const by = check.by ? ` by ${check.by}` : "";
  return `verified by ${CHECK_METHOD_WORDS[check.method] ?? check.method} ${check.at.toISOString().slice(11, 16)} UTC${by}`;
}
