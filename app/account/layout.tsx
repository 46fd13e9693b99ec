import type { ReactNode } from "react";
import { AccountNav } from "@/ui/layout/account-nav";

// Navigation only: every page below checks who may see it (requirePageActor("account")).
export default function AccountLayout({ children }: { children: ReactNode }) {
  return (
    <div className="mx-auto max-w-3xl">
      <AccountNav />
      {children}
    </div>
  );
}
