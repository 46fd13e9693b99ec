import "server-only";
import { Badge, type BadgeTone } from "@/ui/badge";
import { describeSlaState } from "@/features/sla/format";
import { formatDuration } from "@/platform/text/durations";
import type { SlaState } from "@/features/sla/state";
import { LocalTime } from "@/ui/local-time";
import { type SlaCellView, SlaCellMarkup } from "@/features/sla/components/sla-cell-markup";

const TONE: Record<Exclude<SlaState["phase"], "none">, BadgeTone> = { ok: "good", warning: "warn", breached: "bad", paused: "neutral" };
const PHASE_WORD: Record<Exclude<SlaState["phase"], "none">, string> = { ok: "On track", warning: "At risk", breached: "Overdue", paused: "Paused" };

/**
 * A ticket's time left against its SLA, as a coloured badge (the colour is never the only cue:
 * the words say on track / at risk / overdue) and the sentence with the due time.
 */
export function SlaTimeLeft({ state }: { state: SlaState }) {
  if (state.phase === "none") return null;
  if (state.phase === "paused") {
    // The due time is not shown: it moves later by the time spent waiting once the customer replies.
    return (
      <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="sla-time-left">
        <Badge tone={TONE.paused}>SLA: {PHASE_WORD.paused}</Badge>
        <span>{describeSlaState(state).text}</span>
      </p>
    );
  }
  return (
    <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="sla-time-left">
      <Badge tone={TONE[state.phase]}>SLA: {PHASE_WORD[state.phase]}</Badge>
      <span className={state.phase === "breached" ? "font-medium text-red-800" : undefined}>{describeSlaState(state).text}</span>
      <span className="text-slate-500">
        (due <LocalTime value={state.dueAt} />)
      </span>
    </p>
  );
}

const SHORT_TARGET = { first_response: "Reply", resolution: "Resolve" } as const;

/** The compact form for a table cell: "Reply" over "21 h left" / "2 h late"; the full sentence for screen readers and on hover. */
export function slaCellView(state: SlaState): SlaCellView | null {
  if (state.phase === "none") return null;
  const sentence = describeSlaState(state).text;
  // No time left to show while paused: the clock is stopped until the customer replies.
  if (state.phase === "paused") return { sentence, tone: TONE.paused, shown: PHASE_WORD.paused };
  const duration = formatDuration(state.secondsLeft, { style: "short" });
  return {
    sentence,
    tone: TONE[state.phase],
    target: SHORT_TARGET[state.target],
    shown: state.phase === "breached" ? `${duration} late` : `${duration} left`,
  };
}

export function SlaCell({ state }: { state: SlaState }) {
  const view = slaCellView(state);
  return view ? <SlaCellMarkup view={view} /> : null;
}
