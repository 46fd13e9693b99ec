import "server-only";
import { viewerTimeZone } from "@/platform/auth/guard";
import { type InstantStyle, formatAbsolute, formatAge, formatInstant } from "@/platform/time-zone";
import { type TimeText, TimeTextMarkup } from "@/ui/time-text";

/**
 * THE way a page shows an instant: in the viewer's own time zone (rendered on the server from the
 * session, so the page never flashes another zone), with the full absolute time and zone on hover.
 * Without a zone of their own the viewer sees UTC, named as such. `age` (a desk's "3 h ago") shows
 * the time since `now` instead, with the absolute time still in the title.
 */
export async function LocalTime({
  value,
  style = "datetime",
  ageAt,
  className,
}: {
  value: Date;
  style?: InstantStyle;
  /** Show the age relative to this moment ("3 h ago") rather than the time itself. */
  ageAt?: Date;
  className?: string;
}) {
  return <TimeTextMarkup time={await timeText(value, { style, ageAt })} className={className} />;
}

/** The strings LocalTime shows, for a client component to render with TimeTextMarkup (the same markup). */
export async function timeText(value: Date, { style = "datetime", ageAt }: { style?: InstantStyle; ageAt?: Date } = {}): Promise<TimeText> {
  const zone = await viewerTimeZone();
  return {
    iso: value.toISOString(),
    title: formatAbsolute(value, zone),
    text: ageAt ? formatAge(value, ageAt, zone) : formatInstant(value, zone, style),
  };
}
