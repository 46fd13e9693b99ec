"use client";

import { type ReactNode, useEffect, useRef } from "react";

const ROW_LINK = "a[data-queue-row]";

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Keyboard navigation of the queue, as a roving focus over the rows' ticket links: j / ↓ moves to
 * the next row, k / ↑ to the previous, Enter follows the focused link (native link behaviour),
 * so screen readers announce each ticket as it gets focus and the focus ring shows the selection.
 * Tab enters the list at the current row and leaves it with the next Tab. j / k work from anywhere
 * on the page except while typing in a field; the arrows only inside the list, so that they keep
 * scrolling the page elsewhere. Without JavaScript every row link is simply in the Tab order.
 */
export function QueueKeyboard({ children }: { children: ReactNode }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const links = () => Array.from(root.querySelectorAll<HTMLAnchorElement>(ROW_LINK));
    const select = (link: HTMLAnchorElement) => {
      for (const other of links()) other.tabIndex = other === link ? 0 : -1;
    };
    const first = links()[0];
    if (first) select(first);

    const onFocusIn = (event: FocusEvent) => {
      if (event.target instanceof HTMLAnchorElement && event.target.matches(ROW_LINK)) select(event.target);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || typingInto(event.target)) return;
      const inside = root.contains(document.activeElement);
      const step = event.key === "j" || (inside && event.key === "ArrowDown") ? 1 : event.key === "k" || (inside && event.key === "ArrowUp") ? -1 : 0;
      if (!step) return;
      const all = links();
      if (all.length === 0) return;
      const current = all.findIndex((link) => link === document.activeElement);
      const next = current < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, current + step));
      event.preventDefault();
      const link = all[next]!;
      select(link);
      link.focus();
      link.scrollIntoView({ block: "nearest" });
    };
    root.addEventListener("focusin", onFocusIn);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      root.removeEventListener("focusin", onFocusIn);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [children]);

  return (
    <div ref={container} data-queue-keyboard="">
      {children}
    </div>
  );
}
