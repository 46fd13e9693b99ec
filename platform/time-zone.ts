import { z } from "zod";
import { formatRelative } from "@/platform/text/durations";

/**
 * The one copy of how Veridesk names time zones and writes an instant for a person. Browser-safe:
 * the account form, the browser default and the server parse the same schema.
 *
 * A person's zone is an IANA name ("Europe/Berlin") or null (not set yet: shown in UTC, and the
 * zone is named so nobody mistakes it for local time). CSV exports stay in UTC ISO 8601.
 */

/** Every zone this runtime knows, UTC first (Intl's list leaves UTC out on some platforms). */
export function supportedTimeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return ["UTC", ...zones.filter((zone) => zone !== "UTC")];
}

let supportedSet: Set<string> | null = null;
function isSupported(zone: string): boolean {
  supportedSet ??= new Set(supportedTimeZones());
  return supportedSet.has(zone);
}

/**
 * The canonical IANA name of a zone, or null when it is not one. Browsers report aliases the
 * server's list may spell differently ("Asia/Calcutta", "Etc/UTC"): Intl resolves the alias to the
 * name this runtime lists, which is what is stored.
 */
export function canonicalTimeZone(value: string): string | null {
  // Every time written on a page asks this: building an Intl.DateTimeFormat per call was the queue
  // page's costliest function (issue 17), so answers are remembered (the zone names are few).
  const known = canonicalZones.get(value);
  if (known !== undefined) return known;
  const zone = resolveTimeZone(value);
  if (canonicalZones.size < 2_000) canonicalZones.set(value, zone);
  return zone;
}

const canonicalZones = new Map<string, string | null>();

function resolveTimeZone(value: string): string | null {
  // Intl also accepts offsets ("+01:00"), which are not zones: a name has a letter first.
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-GB", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  if (isSupported(resolved)) return resolved;
  return isSupported(value) ? value : null;
}

export const TIME_ZONE_MESSAGE = "Choose a time zone from the list (e.g. Europe/London).";

/** THE schema of a time-zone input: an IANA name this runtime lists; the output is its canonical spelling. */
export const timeZoneSchema = z
  .string({ error: TIME_ZONE_MESSAGE })
  .trim()
  .max(64, { error: TIME_ZONE_MESSAGE })
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (zone === null) {
      ctx.addIssue({ code: "custom", message: TIME_ZONE_MESSAGE });
      return z.NEVER;
    }
    return zone;
  });

export type InstantStyle = "datetime" | "date" | "time" | "seconds";

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(style: InstantStyle | "absolute", timeZone: string): Intl.DateTimeFormat {
  const key = `${style}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    const base = { timeZone, hourCycle: "h23" } as const;
    const options: Intl.DateTimeFormatOptions =
      style === "date"
        ? { timeZone, day: "numeric", month: "short", year: "numeric" }
        : style === "time"
          ? { ...base, hour: "2-digit", minute: "2-digit" }
          : style === "seconds"
            ? { ...base, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" }
            : style === "absolute"
              ? {
                  ...base,
                  weekday: "short",
                  day: "numeric",
                  month: "short",
                  year: "numeric",
                  hour: "2-digit",
                  minute: "2-digit",
                  second: "2-digit",
                  timeZoneName: "short",
                }
              : { ...base, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" };
    found = new Intl.DateTimeFormat("en-GB", options);
    formatters.set(key, found);
  }
  return found;
}

/** The zone to write times in for a person: theirs, or UTC when not set (or no longer known). */
export function displayZone(timeZone: string | null | undefined): { zone: string; known: boolean } {
  const zone = timeZone ? canonicalTimeZone(timeZone) : null;
  return zone ? { zone, known: true } : { zone: "UTC", known: false };
}

/**
 * An instant as a person reads it: "3 Dec 2026, 15:05" in their zone. Without a zone of their
 * own (or with UTC chosen) it is written in UTC and says so ("3 Dec 2026, 14:05 UTC").
 */
export function formatInstant(at: Date, timeZone: string | null | undefined, style: InstantStyle = "datetime"): string {
  const { zone } = displayZone(timeZone);
  const text = formatter(style, zone).format(at);
  // UTC (chosen, or the fallback for "not set") is always named, so nobody reads it as local time.
  return zone === "UTC" && style !== "date" ? `${text} UTC` : text;
}

/** The full absolute time for a hover title: "Thu, 3 Dec 2026, 15:05:12 CET (Europe/Berlin)". */
export function formatAbsolute(at: Date, timeZone: string | null | undefined): string {
  const { zone } = displayZone(timeZone);
  return `${formatter("absolute", zone).format(at)} (${zone})`;
}

/** An age as a desk shows it: "3 h ago" (platform/text/durations.ts), the date itself from 30 days on. */
export function formatAge(at: Date, now: Date, timeZone: string | null | undefined): string {
  if (now.getTime() - at.getTime() >= 30 * 86_400_000) return formatInstant(at, timeZone, "date");
  return formatRelative(at, now, { style: "short" });
}
