"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

/** The link of the section being viewed: the longest link that is the path or a parent of it. */
export function currentLink(hrefs: readonly string[], pathname: string): string | undefined {
  return hrefs.filter((href) => pathname === href || pathname.startsWith(`${href}/`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * The main navigation. A client component: the header sits in the root layout, which is not
 * rendered again when the person follows a link, so the current section comes from the browser's path.
 *
 * From `md` (768 px) up it is one row of links. Below, the links fold behind a "Menu" button (a
 * disclosure: aria-expanded / aria-controls); Escape closes it and puts focus back on the button,
 * and following a link closes it. No inline script: this component's bundle does it (strict CSP).
 */
export function MainNav({ links }: { links: readonly { href: string; label: string }[] }) {
  const pathname = usePathname() ?? "";
  const current = currentLink(
    links.map((link) => link.href),
    pathname,
  );
  const [open, setOpen] = useState(false);
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);

  // A new page closes the menu.
  useEffect(() => setOpen(false), [pathname]);

  // A click or tap outside the navigation closes it too.
  useEffect(() => {
    if (!open) return;
    const outside = (event: PointerEvent) => {
      if (nav.current && event.target instanceof Node && !nav.current.contains(event.target)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  return (
    <nav
      ref={nav}
      aria-label="Main"
      className="pb-2 text-sm"
      onKeyDown={(event) => {
        if (event.key !== "Escape" || !open) return;
        event.preventDefault();
        setOpen(false);
        button.current?.focus();
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((isOpen) => !isOpen)}
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-2 font-medium text-slate-800 hover:bg-slate-100 md:hidden"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
        </svg>
        Menu
      </button>
      <ul id={listId} className={`${open ? "flex" : "hidden"} mt-2 flex-col gap-1 md:-mx-2.5 md:mt-0 md:flex md:flex-row md:flex-wrap md:items-center`}>
        {links.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={link.href === current ? "page" : undefined} onClick={() => setOpen(false)} className="nav-link">
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
