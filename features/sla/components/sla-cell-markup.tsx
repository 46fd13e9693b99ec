import { Badge, type BadgeTone } from "@/ui/badge";

/** What the SLA cell of a list row shows, worked out on the server (sla-badge.tsx, slaCellView). */
export type SlaCellView = {
  /** The whole sentence: the hover title and what screen readers hear. */
  sentence: string;
  tone: BadgeTone;
  /** "Reply" / "Resolve"; none while paused. */
  target?: string;
  /** "21 h left", "2 h late", "Paused". */
  shown: string;
};

/** The compact cell's markup, shared by the server component and the queue's client rows. */
export function SlaCellMarkup({ view }: { view: SlaCellView }) {
  return (
    <span title={view.sentence} className="inline-flex flex-wrap items-center gap-x-1.5 whitespace-nowrap">
      {view.target ? (
        <span aria-hidden="true" className="text-xs text-slate-600">
          {view.target}
        </span>
      ) : null}
      <Badge tone={view.tone}>
        <span aria-hidden="true">{view.shown}</span>
        <span className="sr-only">{view.sentence}</span>
      </Badge>
    </span>
  );
}
