"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export const SUPERVISOR_SECTIONS = [
  { href: "/supervisor", label: "Escalations" },
  { href: "/supervisor/reports", label: "Reports" },
  { href: "/supervisor/audit", label: "Audit log" },
  { href: "/supervisor/sla", label: "SLA policies" },
  { href: "/supervisor/outbox", label: "Outgoing messages" },
  { href: "/supervisor/unlocks", label: "Staff unlocks" },
] as const;

/** A section is current on its own path and below it; /supervisor itself only on its own path. */
export function isCurrentSection(href: string, pathname: string): boolean {
  if (href === "/supervisor") return pathname === "/supervisor";
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The supervisor area's sections; the current one is marked for assistive technology (aria-current). Wraps on a phone. */
export function SupervisorNav() {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label="Supervisor sections" className="mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-x-1">
        {SUPERVISOR_SECTIONS.map((section) => {
          const current = isCurrentSection(section.href, pathname);
          return (
            <li key={section.href}>
              <Link
                href={section.href}
                aria-current={current ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-3 py-2 text-sm font-medium ${
                  current ? "border-brand-600 text-brand-700" : "border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
