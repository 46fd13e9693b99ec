import type { ReactNode } from "react";

/** The tones' colours are the .badge-* classes in app/globals.css (short names: badges repeat on every list row). */
const tones = {
  neutral: "badge-neutral",
  good: "badge-good",
  warn: "badge-warn",
  bad: "badge-bad",
  info: "badge-info",
} as const;

export type BadgeTone = keyof typeof tones;

/** For a badge that needs attributes of its own (a title): Badge itself takes none, so server-rendered badges carry no unused props in the page. */
export function badgeClass(tone: BadgeTone): string {
  return `badge ${tones[tone]}`;
}

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  return <span className={badgeClass(tone)}>{children}</span>;
}
