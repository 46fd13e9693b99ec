import "server-only";
import { EscalationActions, type StaffOption } from "@/features/escalations/components/escalation-actions";
import { EscalationFeedback } from "@/ui/feedback";
import type { ActiveEscalation } from "@/features/escalations/queries";
import { ESCALATION_REASON_LABEL } from "@/features/escalations/schemas";
import { LocalTime } from "@/ui/local-time";

/**
 * On the ticket page: the ticket is escalated, to whom ("Waiting for a supervisor" / "Claimed by
 * …"), why, and the note. Supervisors get the escalation's actions right here too.
 */
export function EscalationBanner({
  escalations,
  ticketLabel,
  supervisor,
}: {
  escalations: ActiveEscalation[];
  ticketLabel: string;
  supervisor: { meId: string; staff: StaffOption[] } | null;
}) {
  // The feedback line stays mounted when the last escalation goes, so "Resolved…" is still announced.
  return (
    <EscalationFeedback>
      {escalations.length === 0 ? null : (
        <section aria-labelledby="escalated-heading" className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950">
          <h2 id="escalated-heading" className="text-base font-semibold">
            Escalated
          </h2>
          <ul className="mt-2 flex flex-col gap-3">
            {escalations.map((escalation) => (
              <li key={escalation.id} className="text-sm" data-testid="escalation">
                <p className="font-semibold">
                  {escalation.status === "open" ? "Waiting for a supervisor" : `Claimed by ${escalation.assignee?.name ?? "a supervisor"}`}
                  {" · "}
                  {ESCALATION_REASON_LABEL[escalation.reason]}
                  {escalation.automatic ? " · Automatic" : ""}
                </p>
                <p className="mt-1 whitespace-pre-wrap break-words">{escalation.note}</p>
                <p className="mt-1 text-xs text-amber-900">
                  {escalation.automatic ? "Raised by the SLA job" : `Raised by ${escalation.raisedBy?.name ?? "a former member of staff"}`}{" "}
                  <LocalTime value={escalation.raisedAt} />
                  {escalation.claimedAt ? (
                    <>
                      ; claimed <LocalTime value={escalation.claimedAt} />
                    </>
                  ) : null}
                </p>
                {supervisor ? (
                  <div className="mt-2">
                    <EscalationActions
                      escalation={{ id: escalation.id, status: escalation.status as "open" | "claimed", claimedBy: escalation.assignee, ticketLabel }}
                      meId={supervisor.meId}
                      staff={supervisor.staff}
                    />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      )}
    </EscalationFeedback>
  );
}
