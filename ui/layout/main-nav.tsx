"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The link of the section being viewed: the longest link that is the path or a parent of it. */
export function currentLink(hrefs: readonly string[], pathname: string): string | undefined {
  return hrefs.filter((href) => pathname === href || pathname.startsWith(`${href}/`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * The main navigation. A client component: the header sits in the root layout, which is not
 * rendered again when the person follows a link, so the current section comes from the browser's path.
 */
export function MainNav({ links }: { links: readonly { href: string; label: string }[] }) {
  const current = currentLink(
    links.map((link) => link.href),
    usePathname() ?? "",
  );
  return (
    <nav aria-label="Main" className="-mx-2.5 flex flex-wrap items-center gap-1 pb-2 text-sm">
      {links.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={link.href === current ? "page" : undefined}
          className={`rounded-md px-2.5 py-2 font-medium hover:bg-slate-100 ${link.href === current ? "bg-brand-50 text-brand-700" : "text-slate-700"}`}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
