/**
 * How each bucket of the data-quality report is drawn, shared by the charts and their tables'
 * legends. Colours are the Okabe–Ito palette (told apart with every common colour-vision
 * deficiency), and each bucket also has its own fill pattern and line marker, so nothing depends
 * on colour alone.
 */
export const SERIES = [
  { key: "verified", label: "Verified", colour: "#0072B2", pattern: "solid", marker: "circle", dash: undefined },
  { key: "valid", label: "Valid", colour: "#009E73", pattern: "dots", marker: "square", dash: "6 3" },
  { key: "doubtful", label: "Doubtful", colour: "#E69F00", pattern: "stripes", marker: "triangle", dash: "2 3" },
  { key: "invalid", label: "Invalid", colour: "#D55E00", pattern: "crosshatch", marker: "diamond", dash: "10 3 2 3" },
  { key: "unvalidated", label: "Not yet validated", colour: "#8A8F98", pattern: "plain", marker: "cross", dash: "1 5" },
] as const;

export type SeriesKey = (typeof SERIES)[number]["key"];

/** "42%" with whole percents; "<1%" for a small but non-zero share, so it never reads as none. */
export function formatShare(part: number, total: number): string {
  if (total === 0) return "—";
  const share = (part / total) * 100;
  if (part > 0 && share < 1) return "<1%";
  return `${Math.round(share)}%`;
}
