/**
 * An instant as text already formatted on the server (ui/local-time.tsx works out the viewer's
 * zone): the markup of LocalTime, for client components that receive the strings as props.
 */
export type TimeText = { iso: string; title: string; text: string };

export function TimeTextMarkup({ time, className }: { time: TimeText; className?: string }) {
  return (
    <time dateTime={time.iso} title={time.title} className={className}>
      {time.text}
    </time>
  );
}
