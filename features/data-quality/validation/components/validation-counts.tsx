import { type ReasonCode, reasonLabel } from "@/features/data-quality/reasons";
import type { ChannelCounts, ValidationCounts } from "@/features/data-quality/validation/counts";

const TOP_REASONS = 5;

function Channel({ id, title, counts }: { id: string; title: string; counts: ChannelCounts }) {
  const reasons = (Object.entries(counts.reasons) as [ReasonCode, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (
    <section aria-labelledby={id} className="min-w-0 rounded-lg border border-slate-200 p-4" data-testid={id}>
      <h3 id={id} className="text-sm font-semibold text-slate-900">
        {title} <span className="font-normal text-slate-600">· {counts.total.toLocaleString("en")} checked</span>
      </h3>
      <dl className="mt-3 grid grid-cols-3 gap-2 text-center">
        {(
          [
            ["valid", "Valid", "bg-emerald-50 text-emerald-900"],
            ["doubtful", "Doubtful", "bg-amber-50 text-amber-900"],
            ["invalid", "Invalid", "bg-red-50 text-red-900"],
          ] as const
        ).map(([key, label, tone]) => (
          <div key={key} className={`rounded-md px-2 py-2 ${tone}`}>
            <dt className="text-xs font-medium">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid={`${id}-${key}`}>
              {counts[key].toLocaleString("en")}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-600">
        {counts.verified.toLocaleString("en")} verified by their owner, counted apart from the verdicts above (validation never removes a verification; their
        reasons still count below).
      </p>
      {reasons.length > 0 ? (
        <>
          <h4 className="mt-3 text-xs font-semibold uppercase tracking-wide text-slate-600">Top reasons</h4>
          <ul className="mt-1 space-y-1 text-sm">
            {reasons.slice(0, TOP_REASONS).map(([code, n]) => (
              <li key={code} className="flex items-baseline justify-between gap-3">
                <span className="min-w-0 break-words">{reasonLabel(code)}</span>
                <span className="shrink-0 tabular-nums font-medium">{n.toLocaleString("en")}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Per-category counts of a run (live while it runs): valid / doubtful / invalid per channel, top reasons, duplicates. */
export function ValidationCountsView({ counts }: { counts: ValidationCounts }) {
  return (
    <div className="space-y-3">
      <div className="grid gap-3 md:grid-cols-2">
        <Channel id="validation-email" title="Email addresses" counts={counts.email} />
        <Channel id="validation-phone" title="Phone numbers" counts={counts.phone} />
      </div>
      <p className="text-sm text-slate-700" data-testid="validation-duplicates">
        Duplicates: {counts.duplicates.phones.toLocaleString("en")} phone numbers are on more than one customer;{" "}
        {counts.duplicates.customers.toLocaleString("en")} customers share their name and organisation with another.
      </p>
    </div>
  );
}
