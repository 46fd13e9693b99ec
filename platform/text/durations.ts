/**
 * The one way Veridesk writes a length of time. Browser-safe.
 *
 * Styles:
 *   long  — the two largest units, abbreviated: "42 min", "3 h 5 min", "2 d 4 h" (SLA sentences,
 *           report tables, escalation ages);
 *   short — the largest unit only: "42 min", "21 h", "3 d" (queue cells, badges);
 *   words — one unit spelled out, for messages: "45 seconds", "10 minutes", "24 hours".
 * Hours run up to 47 h before days take over ("36 h" reads better than "1 d 12 h").
 *
 * THE rounding rule: round down (truncate) to the smallest unit shown, so a screen never shows
 * more time than there is, and two screens showing the same moment agree ("12 min" on the
 * queue and on the ticket page for 12 min 50 s, whether left or overdue). A non-zero duration
 * below the smallest unit reads as 1 of it ("1 min" for 20 s), unless `seconds: true` shows
 * seconds ("45 s"). The sign is ignored: callers say "left" or "overdue by" themselves.
 * The one exception is a wait the person must sit out ("You can ask for a new code in 2
 * minutes"): pass `round: "up"` so they are never told to come back too early.
 */
export type DurationStyle = "long" | "short" | "words";

export interface DurationOptions {
  style?: DurationStyle;
  /** long/short: show seconds under a minute ("45 s", "0 s") instead of "1 min". */
  seconds?: boolean;
  /** "down" (the rule) or "up" for waits. */
  round?: "down" | "up";
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY_HOURS = 24;
/** Below this many hours a duration is written in hours. */
const HOURS_BEFORE_DAYS = 48;

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? "" : "s"}`;

/** A length of time in words (see the styles above); null (nothing to time) is "—". */
export function formatDuration(totalSeconds: number | null, options: DurationOptions = {}): string {
  if (totalSeconds === null) return "—";
  const { style = "long", round = "down" } = options;
  const abs = Math.abs(totalSeconds);
  const toUnit = (unitSeconds: number) => (round === "up" ? Math.ceil(abs / unitSeconds) : Math.floor(abs / unitSeconds));

  if (style === "words") {
    if (abs < MINUTE) return plural(Math.max(0, round === "up" ? Math.ceil(abs) : Math.floor(abs)), "second");
    if (abs % HOUR === 0) return plural(abs / HOUR, "hour");
    return plural(toUnit(MINUTE), "minute");
  }

  if (options.seconds && abs < MINUTE) return `${round === "up" ? Math.ceil(abs) : Math.floor(abs)} s`;
  const minutes = Math.max(1, toUnit(MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (style === "short") return hours < HOURS_BEFORE_DAYS ? `${hours} h` : `${Math.floor(hours / DAY_HOURS)} d`;
  if (hours < HOURS_BEFORE_DAYS) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / DAY_HOURS);
  return hours % DAY_HOURS === 0 ? `${days} d` : `${days} d ${hours % DAY_HOURS} h`;
}

/**
 * How long ago something happened: "a moment ago" under a minute, else the duration (same
 * rule and styles as formatDuration) and "ago": "12 min ago", "3 h ago", "2 h 5 min ago".
 */
export function formatRelative(then: Date, now: Date, options: { style?: "long" | "short" } = {}): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000));
  return seconds < MINUTE ? "a moment ago" : `${formatDuration(seconds, { style: options.style ?? "long" })} ago`;
}
