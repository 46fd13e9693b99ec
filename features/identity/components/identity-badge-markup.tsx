import { type BadgeTone, badgeClass } from "@/ui/badge";

/** What an identity badge shows, worked out on the server (identity-badge.tsx, identityBadgeView). */
export type IdentityBadgeView = { tone: BadgeTone; symbol: string; label: string; title?: string };

/** The badge's markup, shared by the server component and the queue's client rows. */
export function IdentityBadgeMarkup({ view }: { view: IdentityBadgeView }) {
  return (
    <span title={view.title} className={badgeClass(view.tone)}>
      <span aria-hidden="true" className="mr-1">
        {view.symbol}
      </span>
      {view.label}
    </span>
  );
}
