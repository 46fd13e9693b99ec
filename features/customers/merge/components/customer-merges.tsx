import "server-only";
import Link from "next/link";
import { mergeHistory } from "@/features/customers/merge/merge";
import { UndoMergeButton } from "@/features/customers/merge/components/undo-merge-button";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { ButtonLink } from "@/ui/button";
import { LocalTime } from "@/ui/local-time";
import { formatDuration } from "@/platform/text/durations";

/**
 * The customer page's "Merges" section: the merges this record took part in (who, when, reason),
 * an undo button while the window is open, and for supervisors the way to merge another record in.
 */
export async function CustomerMerges({ customerId, mayMerge }: { customerId: string; mayMerge: boolean }) {
  const history = await mergeHistory(customerId);
  const now = new Date();
  const mergedInto = history.find((entry) => entry.role === "absorbed" && !entry.undoneAt);

  return (
    <section id="merges" aria-labelledby="merges-heading" className="mt-8 flex flex-col gap-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
        <h2 id="merges-heading" className="text-lg font-semibold text-slate-900">
          Merges
        </h2>
        {mayMerge && !mergedInto ? (
          <ButtonLink href={`/console/customers/${customerId}/merge`} variant="secondary">
            Merge with…
          </ButtonLink>
        ) : null}
      </div>
      {mergedInto ? (
        <Alert tone="warning" title="This record was merged into another one.">
          Its tickets, addresses, phones, agreements and portal accounts are now on{" "}
          <Link href={`/console/customers/${mergedInto.other.id}`} className="font-medium underline">
            {mergedInto.other.name} ({mergedInto.other.accountNumber})
          </Link>
          .
        </Alert>
      ) : null}
      {history.length === 0 ? (
        <p className="text-sm text-slate-600">No other record has been merged into this one.</p>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
          {history.map((entry) => {
            const undoable = !entry.undoneAt && entry.undoableUntil > now && entry.role === "survivor";
            const left = Math.floor((entry.undoableUntil.getTime() - now.getTime()) / 1000);
            return (
              <li key={entry.id} className="flex flex-col gap-2 p-4 text-sm text-slate-700" data-merge-id={entry.id}>
                <p className="text-slate-900">
                  {entry.role === "survivor" ? "Merged in " : "Merged into "}
                  <Link href={`/console/customers/${entry.other.id}`} className="font-medium text-brand-700 hover:underline">
                    {entry.other.name} ({entry.other.accountNumber})
                  </Link>{" "}
                  {entry.overrode ? <Badge tone="warn">identity override</Badge> : null}
                  {entry.undoneAt ? <Badge>undone</Badge> : null}
                </p>
                <p>
                  By {entry.performedBy ?? "someone no longer on staff"}, <LocalTime value={entry.at} />.
                </p>
                {entry.reason ? <p className="break-words">Reason: {entry.reason}</p> : null}
                {entry.undoneAt ? (
                  <p>
                    Undone by {entry.undoneBy ?? "someone no longer on staff"}, <LocalTime value={entry.undoneAt} />.
                  </p>
                ) : undoable ? (
                  <>
                    <p>Can be undone for {formatDuration(left)} more.</p>
                  </>
                ) : entry.role === "survivor" ? (
                  <p>
                    Can no longer be undone (the window closed <LocalTime value={entry.undoableUntil} />
                    ).
                  </p>
                ) : null}
                {/* Its own slot, so the refresh after an undo keeps it mounted and its confirmation stays on screen. */}
                {mayMerge && entry.role === "survivor" && (undoable || entry.undoneAt) ? (
                  <UndoMergeButton mergeId={entry.id} label={`Undo merge of ${entry.other.accountNumber}`} undone={Boolean(entry.undoneAt)} />
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
