import type { ReactNode } from "react";

export type BarRow = {
  label: ReactNode;
  /** Numbers shown before the bar's own value, one per extra column. */
  cells?: ReactNode[];
  /** The bar's value as text ("12", "40 %"). */
  value: ReactNode;
  /** 0…1: the bar's length. */
  fraction: number;
};

const TONES = { brand: "bg-brand-600", warn: "bg-amber-500", bad: "bg-red-600", good: "bg-emerald-600" } as const;

/**
 * A bar chart that is also its own table: each row has its label, its numbers, and a bar drawn
 * with CSS beside the number. Screen readers read the table (the bar is hidden from them); sighted
 * people see both. Rendered on the server, no script, and it narrows with the screen.
 */
export function BarTable({
  labelledBy,
  headers,
  rows,
  tone = "brand",
  empty,
}: {
  labelledBy: string;
  headers: string[];
  rows: BarRow[];
  tone?: keyof typeof TONES;
  empty?: string;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">{empty ?? "Nothing to show."}</p>;
  return (
    <table aria-labelledby={labelledBy} className="w-full text-left text-sm">
      <thead className="text-xs text-slate-600">
        <tr>
          {headers.map((header, index) => (
            <th
              key={header}
              scope="col"
              className={`pb-1 font-semibold ${index === 0 ? "pr-2" : index < headers.length - 1 ? "whitespace-nowrap px-1.5 text-right" : "w-[42%] pl-3 sm:w-[50%]"}`}
            >
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index} className="border-t border-slate-100">
            <th scope="row" className="py-1.5 pr-2 font-medium text-slate-800">
              {row.label}
            </th>
            {(row.cells ?? []).map((cell, cellIndex) => (
              <td key={cellIndex} className="whitespace-nowrap px-1.5 py-1.5 text-right tabular-nums text-slate-800">
                {cell}
              </td>
            ))}
            <td className="py-1.5 pl-3">
              <div className="flex items-center gap-2">
                <span className="w-14 shrink-0 whitespace-nowrap text-right font-semibold tabular-nums text-slate-900">{row.value}</span>
                <span aria-hidden="true" className="block h-3 min-w-0 flex-1 rounded-sm bg-slate-100">
                  <span
                    className={`block h-3 rounded-sm ${TONES[tone]}`}
                    style={{ width: `${Math.round(Math.max(0, Math.min(1, row.fraction)) * 1000) / 10}%` }}
                  />
                </span>
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "40%" of passed / total, or "—" with nothing checked. */
export function formatRate(passed: number, total: number): string {
  return total === 0 ? "—" : `${Math.round((passed / total) * 100)}%`;
}
