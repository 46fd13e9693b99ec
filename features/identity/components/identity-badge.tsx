import "server-only";
import { Badge, type BadgeTone } from "@/ui/badge";
import { IDENTITY_BADGE_LABEL, type IdentityBadge as Badgeable, type TicketIdentityFacts, explainIdentityBadge } from "@/features/identity/ticket-identity";

/** Same tones as the ticket page's identity panel (features/identity/components/identity-panel.tsx). */
export const IDENTITY_BADGE_TONE: Record<Badgeable, BadgeTone> = {
  verified: "good",
  partially_verified: "info",
  unverified: "warn",
  mismatch: "bad",
  bouncing: "bad",
};

/** A shape as well as a colour and a word, so the badge reads without colour vision too. */
const SYMBOL: Record<Badgeable, string> = {
  verified: "✓",
  partially_verified: "◐",
  unverified: "?",
  mismatch: "✗",
  bouncing: "↩",
};

/**
 * The requester's identity at a glance: the badge's text is its accessible name; the reasons
 * (explainIdentityBadge) are the tooltip for pointer users and are on the ticket page for everyone.
 */
export function IdentityBadge({ badge, facts }: { badge: Badgeable; facts?: TicketIdentityFacts }) {
  // A supervisor override counts as verified but always says so: it is not an ordinary verification.
  const manually = badge === "verified" && facts?.currentCheck?.outcome === "overridden";
  return (
    <span title={facts ? explainIdentityBadge(facts) : undefined} className="inline-flex">
      <Badge tone={manually ? "warn" : IDENTITY_BADGE_TONE[badge]}>
        <span aria-hidden="true" className="mr-1">
          {manually ? "✎" : SYMBOL[badge]}
        </span>
        {manually ? "Verified manually" : IDENTITY_BADGE_LABEL[badge]}
      </Badge>
    </span>
  );
}
