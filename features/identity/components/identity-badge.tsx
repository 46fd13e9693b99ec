import "server-only";
import type { BadgeTone } from "@/ui/badge";
import { type IdentityBadgeView, IdentityBadgeMarkup } from "@/features/identity/components/identity-badge-markup";
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

/** The badge's tone, sign, words and reasons (the tooltip), for IdentityBadgeMarkup. */
export function identityBadgeView(badge: Badgeable, facts?: TicketIdentityFacts): IdentityBadgeView {
  // A supervisor override counts as verified but always says so: it is not an ordinary verification.
  const manually = badge === "verified" && facts?.currentCheck?.outcome === "overridden";
  return {
    tone: manually ? "warn" : IDENTITY_BADGE_TONE[badge],
    symbol: manually ? "✎" : SYMBOL[badge],
    label: manually ? "Verified manually" : IDENTITY_BADGE_LABEL[badge],
    ...(facts ? { title: explainIdentityBadge(facts) } : {}),
  };
}

/**
 * The requester's identity at a glance: the badge's text is its accessible name; the reasons
 * (explainIdentityBadge) are the tooltip for pointer users and are on the ticket page for everyone.
 */
export function IdentityBadge({ badge, facts }: { badge: Badgeable; facts?: TicketIdentityFacts }) {
  return <IdentityBadgeMarkup view={identityBadgeView(badge, facts)} />;
}
