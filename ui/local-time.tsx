import "server-only";
import { viewerTimeZone } from "@/platform/auth/guard";
import { type InstantStyle, formatAbsolute, formatAge, formatInstant } from "@/platform/time-zone";

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
  const zone = await viewerTimeZone();
  return (
    <time dateTime={value.toISOString()} title={formatAbsolute(value, zone)} className={className}>
      {ageAt ? formatAge(value, ageAt, zone) : formatInstant(value, zone, style)}
    </time>
  );
}
