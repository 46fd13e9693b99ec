"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export type Section = { readonly href: string; readonly label: string };

/** A section is current on its own path and below it; the area's root (`/supervisor`) only on its own path. */
export function isCurrentSection(href: string, pathname: string, root: string): boolean {
  if (href === root) return pathname === root;
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** An area's sections as tabs; the current one is marked for assistive technology (aria-current). Wraps on a phone. */
export function SectionNav({ label, sections, root }: { label: string; sections: readonly Section[]; root: string }) {
  const pathname = usePathname() ?? "";
  return (
    <nav aria-label={label} className="mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-x-1">
        {sections.map((section) => {
          const current = isCurrentSection(section.href, pathname, root);
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
