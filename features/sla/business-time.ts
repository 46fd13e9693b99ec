/**
 * Business-time arithmetic in an IANA time zone, with the platform's Intl only (no date library):
 * the rules are few (a daily window on some weekdays) and Intl already knows every zone's offsets
 * and DST changes.
 */

export type BusinessHours = {
  /** Minutes after local midnight when the working day starts (540 = 09:00). */
  startMinute: number;
  /** Minutes after local midnight when it ends (1020 = 17:00; 1440 = midnight). Greater than startMinute. */
  endMinute: number;
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
  days: readonly number[];
  timeZone: string;
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAY_NUMBER: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the platform knows this IANA time zone name ("Europe/London", "UTC"). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

type LocalTime = { year: number; month: number; day: number; weekday: number; hour: number; minute: number; second: number };

function localTimeOf(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAY_NUMBER[parts.weekday!]!,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at `instant`, in ms (positive east of Greenwich). */
function offsetAt(instant: number, timeZone: string): number {
  const local = localTimeOf(instant, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a local wall time (calendar date + minutes after midnight) in `timeZone`. A wall
 * time skipped by a DST change lands just after the gap; a repeated one takes its first occurrence.
 */
export function instantOfLocal(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE_MS;
  const firstGuess = wall - offsetAt(wall, timeZone);
  const offset = offsetAt(firstGuess, timeZone);
  const candidate = wall - offset;
  // Around a change the offset at the candidate may differ again; the earlier of the two readings wins.
  const second = wall - offsetAt(candidate, timeZone);
  return Math.min(candidate, second);
}

/**
 * `start` plus `minutes` of business time: only the minutes inside the working window on working
 * days (in the zone's local time) count. A start outside the window begins at the next opening.
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours): Date {
  if (hours.days.length === 0 || hours.endMinute <= hours.startMinute) throw new Error("Business hours need at least one day and an end after the start.");
  let remaining = minutes * MINUTE_MS;
  let cursor = start.getTime();
  // A year and a bit of calendar days is far more than any target needs; it only bounds a bad input.
  for (let guard = 0; guard < 400 * 7; guard++) {
    const local = localTimeOf(cursor, hours.timeZone);
    if (hours.days.includes(local.weekday)) {
      const opens = instantOfLocal(local.year, local.month, local.day, hours.startMinute, hours.timeZone);
      const closes = instantOfLocal(local.year, local.month, local.day, hours.endMinute, hours.timeZone);
      if (cursor < opens) cursor = opens;
      if (cursor < closes) {
        if (remaining <= closes - cursor) return new Date(cursor + remaining);
        remaining -= closes - cursor;
      }
    }
    // On to the next local calendar day's midnight (calendar arithmetic in UTC, then into the zone).
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day) + DAY_MS);
    cursor = instantOfLocal(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, hours.timeZone);
  }
  throw new Error("Business-time target out of range.");
}

/**
 * The business time between two instants, in minutes (fractional: ms precision), counting only
 * the working window on working days in the zone's local time. Zero when `to` is not after `from`.
 * The inverse of addBusinessMinutes: addBusinessMinutes(from, businessMinutesBetween(from, to)) lands
 * at `to` when `to` is inside the window.
 */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours): number {
  if (hours.days.length === 0 || hours.endMinute <= hours.startMinute) throw new Error("Business hours need at least one day and an end after the start.");
  const end = to.getTime();
  let cursor = from.getTime();
  let total = 0;
  while (cursor < end) {
    const local = localTimeOf(cursor, hours.timeZone);
    if (hours.days.includes(local.weekday)) {
      const opens = instantOfLocal(local.year, local.month, local.day, hours.startMinute, hours.timeZone);
      const closes = instantOfLocal(local.year, local.month, local.day, hours.endMinute, hours.timeZone);
      const overlap = Math.min(closes, end) - Math.max(opens, cursor);
      if (overlap > 0) total += overlap;
    }
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day) + DAY_MS);
    cursor = instantOfLocal(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, hours.timeZone);
  }
  return total / MINUTE_MS;
}
