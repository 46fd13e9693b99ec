import "server-only";
import { Panel } from "@/ui/panel";
import { Badge } from "@/ui/badge";
import { LocalTime } from "@/ui/local-time";
import { pendingChangesOf } from "@/features/accounts/text-confirmation/pending-changes";
import { PendingChangeButtons } from "@/features/accounts/text-confirmation/components/pending-change-buttons";

/** The account's changes waiting for a text answer (account and security pages); nothing when there are none. */
export async function PendingChangesPanel({ userId }: { userId: string }) {
  const now = new Date();
  const changes = await pendingChangesOf([userId], now);
  if (changes.length === 0) return null;
  return (
    <Panel
      id="pending-changes"
      title="Waiting for your answer by text"
      description="Changes you asked for are made only when you reply to our text with its code; changes our staff made, reply with the code if you asked for them. Reply NO to anything you did not ask for: we block it and freeze your account until our support team has talked to you."
    >
      <ul className="flex flex-col gap-4">
        {changes.map((change) => (
          <li key={change.id} className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3">
            <p className="flex flex-wrap items-center gap-2">
              <span className="font-medium">
                {change.byStaff ? `Our staff ${change.summary}` : change.summary.charAt(0).toUpperCase() + change.summary.slice(1)}
              </span>
              <Badge tone={change.textActive ? "warn" : "neutral"}>
                {change.textActive ? "Text sent" : change.textSent ? "Text expired" : "Text not sent"}
              </Badge>
            </p>
            <p className="text-sm text-slate-600">
              Asked <LocalTime value={change.createdAt} ageAt={now} />.{" "}
              {change.textActive && change.textExpiresAt ? (
                <>
                  Reply to the text sent to <span className="tabular-nums">{change.maskedMobile}</span> before{" "}
                  <LocalTime value={change.textExpiresAt} style="time" />.
                </>
              ) : (
                <>
                  The code we texted to <span className="tabular-nums">{change.maskedMobile}</span> no longer works: ask for a new one to finish.
                </>
              )}
            </p>
            <PendingChangeButtons pendingChangeId={change.id} what={change.words} cancellable={!change.byStaff} />
          </li>
        ))}
      </ul>
    </Panel>
  );
}
