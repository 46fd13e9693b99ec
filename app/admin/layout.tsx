import type { ReactNode } from "react";
import { AdminNav } from "@/ui/layout/admin-nav";

/** The admin area's frame: its section navigation. Each page calls requirePageActor("admin") itself. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}
