import { isDemoMode } from "@/platform/env";

/**
 * Shown on every page in demo mode: the data is sample data, and /dev/mailbox shows every email
 * and SMS — sign-in codes included — to anyone who can open the site, so nothing real belongs here.
 */
export function DemoBanner() {
  if (!isDemoMode()) return null;
  return (
    <div data-testid="demo-banner" className="border-b border-amber-300 bg-amber-100 px-4 py-2 text-center text-sm text-amber-950">
      <strong className="font-semibold">Demonstration site.</strong> Sample data only: every email and SMS sent here, sign-in codes included, can be read by
      anyone using this site. Do not enter real personal information.
    </div>
  );
}
