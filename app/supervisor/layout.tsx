import type { ReactNode } from "react";
import { DeliveryAlertBanner } from "@/features/delivery/components/delivery-alert-banner";
import { SupervisorNav } from "@/ui/layout/supervisor-nav";

/**
 * The supervisor area's frame: its section navigation, and the banner when outgoing messages are
 * failing (which checks the signed-in role itself and shows nothing to others). Each page calls
 * requirePageActor("supervisor") itself (a layout does not re-run on client navigation between its
 * pages, so it could not guard them anyway).
 */
export default function SupervisorLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SupervisorNav />
      <DeliveryAlertBanner />
      {children}
    </>
  );
}
