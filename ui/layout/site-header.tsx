import Link from "next/link";
import type { ReactNode } from "react";
import { currentActor } from "@/platform/auth/guard";
import { mayEnter } from "@/platform/auth/policy";
import { isDemoMode } from "@/platform/env";
import { SignOutButton } from "@/ui/layout/sign-out-button";
import { MainNav } from "@/ui/layout/main-nav";

const ROLE_LABEL = { customer: "Customer", agent: "Agent", supervisor: "Supervisor", admin: "Administrator" } as const;

/** `tools`: what a feature puts beside the person's name (the staff notification bell), given by the root layout. */
export async function SiteHeader({ tools }: { tools?: ReactNode } = {}) {
  const actor = await currentActor();
  const links: { href: string; label: string }[] = [];
  if (actor && mayEnter(actor.role, "portal")) links.push({ href: "/portal", label: "My support" });
  if (actor && mayEnter(actor.role, "console")) links.push({ href: "/console", label: "Ticket queue" });
  if (actor && mayEnter(actor.role, "console"))
    links.push({ href: "/console/customers", label: "Customers" }, { href: "/console/organisations", label: "Organisations" });
  if (actor && mayEnter(actor.role, "console")) links.push({ href: "/console/registrations", label: "Registrations" });
  if (actor && mayEnter(actor.role, "console")) links.push({ href: "/console/inbound", label: "Held email" });
  if (actor && mayEnter(actor.role, "console")) links.push({ href: "/console/canned-replies", label: "Canned replies" });
  if (actor && mayEnter(actor.role, "console")) links.push({ href: "/console/help-centre", label: "Help centre" });
  if (!actor || mayEnter(actor.role, "portal")) links.push({ href: "/help", label: "Help" });
  if (actor && mayEnter(actor.role, "supervisor")) links.push({ href: "/supervisor", label: "Supervisor" });
  if (actor && mayEnter(actor.role, "admin")) links.push({ href: "/admin/staff", label: "Admin" });
  if (isDemoMode()) links.push({ href: "/dev/mailbox", label: "Dev mailbox" });

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto w-full max-w-6xl px-4 sm:px-6">
        <div className="flex flex-wrap items-center justify-between gap-3 py-3">
          <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
            Veridesk
          </Link>
          <div className="flex items-center gap-3 text-sm">
            {actor ? (
              <>
                {tools}
                {/* The name opens the person's own account settings (profile, password, two-factor). */}
                <Link
                  href="/account"
                  className="rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100"
                  aria-label={`${actor.name} · ${ROLE_LABEL[actor.role]}: account settings`}
                >
                  {/* The role is in the label too; on a phone the row keeps room for the name and "Sign out". */}
                  <span className="font-medium">{actor.name}</span> <span className="hidden text-slate-500 sm:inline">· {ROLE_LABEL[actor.role]}</span>
                </Link>
                <SignOutButton />
              </>
            ) : (
              <Link href="/signin" className="rounded-md px-3 py-2 font-semibold text-brand-700 hover:bg-brand-50">
                Sign in
              </Link>
            )}
          </div>
        </div>
        {links.length > 0 ? <MainNav links={links} /> : null}
      </div>
    </header>
  );
}
