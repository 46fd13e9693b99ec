import type { ReactNode } from "react";
import { SupervisorNav } from "@/ui/layout/supervisor-nav";

/**
 * The supervisor area's frame: its section navigation only. No data access here: each page calls
 * requirePageActor("supervisor") itself (a layout does not re-run on client navigation between its
 * pages, so it could not guard them anyway).
 */
export default function SupervisorLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SupervisorNav />
      {children}
    </>
  );
}
