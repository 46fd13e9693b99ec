import "server-only";
import { LocalTime } from "@/ui/local-time";
import { SatisfactionBadge } from "@/features/satisfaction/components/satisfaction-badge";
import type { surveyOfTicket } from "@/features/satisfaction/surveys";

type Survey = NonNullable<Awaited<ReturnType<typeof surveyOfTicket>>>;

/** The ticket page's satisfaction line: the rating and comment, or that a survey went out and is unanswered. */
export function TicketSatisfaction({ survey }: { survey: Survey }) {
  return (
    <section aria-label="Satisfaction" className="mt-3 rounded-lg border border-slate-200 bg-white p-3 text-sm text-slate-700">
      {survey.rating ? (
        <div className="flex flex-col gap-1">
          <p className="flex flex-wrap items-center gap-2">
            <SatisfactionBadge rating={survey.rating} />
            <span>
              by the requester, <LocalTime value={survey.ratedAt!} />
            </span>
          </p>
          {survey.comment ? <blockquote className="whitespace-pre-wrap border-l-2 border-slate-300 pl-3 text-slate-800">{survey.comment}</blockquote> : null}
        </div>
      ) : (
        <p>
          Satisfaction survey sent <LocalTime value={survey.sentAt} />; not rated yet.
        </p>
      )}
    </section>
  );
}
