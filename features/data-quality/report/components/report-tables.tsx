import Link from "next/link";
import type { ReactNode } from "react";
import { formatShare, SERIES } from "@/features/data-quality/report/components/series";
import type { Category, TrendChannel } from "@/features/data-quality/report/report";
import { contactQueryString, type ContactFilter } from "@/features/data-quality/report/schemas";

/** A table that scrolls inside itself (keyboard too: it is focusable and named), never the page. */
/** The region is focusable so keyboard users can scroll it (WCAG 2.1.1). */
export function ScrollTable({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    <div role="region" aria-labelledby={labelledBy} tabIndex={0} className="max-w-full overflow-x-auto rounded-lg">
      {children}
    </div>
  );
}

export const CATEGORY_LABEL: Record<Category["key"], string> = { email: "Email addresses", phone_mobile: "Mobile phones", phone_other: "Other phones" };

const contactsHref = (filter: Partial<ContactFilter>) => `/supervisor/data-quality/contacts${contactQueryString(filter)}`;

function Figure({ value, total, href, label }: { value: number; total: number; href: string; label: string }) {
  return (
    <Link
      href={href}
      className="font-semibold tabular-nums text-brand-700 underline decoration-slate-400 underline-offset-2 hover:decoration-brand-700"
      aria-label={`${value} ${label}: list them`}
    >
      {value} <span className="text-xs font-normal text-slate-600">{formatShare(value, total)}</span>
    </Link>
  );
}

/** The live shares, each figure linking to its contacts. */
export function ShareTable({ labelledBy, categories }: { labelledBy: string; categories: Category[] }) {
  return (
    <ScrollTable labelledBy={labelledBy}>
      <table aria-labelledby={labelledBy} className="w-full min-w-[34rem] text-left text-sm">
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2 font-semibold">
              Category
            </th>
            <th scope="col" className="px-2 py-1 text-right font-semibold">
              Total
            </th>
            {SERIES.map((series) => (
              <th key={series.key} scope="col" className="px-2 py-1 text-right font-semibold">
                <span aria-hidden="true" className="mr-1 inline-block h-2.5 w-2.5 rounded-sm align-middle" style={{ backgroundColor: series.colour }} />
                {series.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((category) => {
            const base: Partial<ContactFilter> = { channel: category.channel, kind: category.kind };
            const name = CATEGORY_LABEL[category.key].toLowerCase();
            return (
              <tr key={category.key} className="border-t border-slate-100">
                <th scope="row" className="whitespace-nowrap py-1.5 pr-2 font-medium text-slate-800">
                  {CATEGORY_LABEL[category.key]}
                </th>
                <td className="px-2 py-1.5 text-right">
                  <Link
                    href={contactsHref(base)}
                    className="font-semibold tabular-nums text-brand-700 underline decoration-slate-400 underline-offset-2"
                    aria-label={`${category.total} ${name} in all: list them`}
                  >
                    {category.total}
                  </Link>
                </td>
                {SERIES.map((series) => (
                  <td key={series.key} className="whitespace-nowrap px-2 py-1.5 text-right">
                    <Figure
                      value={category[series.key]}
                      total={category.total}
                      label={`${series.label.toLowerCase()} ${name}`}
                      href={contactsHref(series.key === "verified" ? { ...base, verified: "yes" } : { ...base, verified: "no", validity: series.key })}
                    />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** One channel's trend as numbers: a row per finished run (the first column already formatted in the viewer's zone). */
export function TrendTable({ labelledBy, rows }: { labelledBy: string; rows: { key: string; when: ReactNode; trigger: string; counts: TrendChannel }[] }) {
  return (
    <ScrollTable labelledBy={labelledBy}>
      <table aria-labelledby={labelledBy} className="w-full min-w-[34rem] text-left text-sm">
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2 font-semibold">
              Run finished
            </th>
            <th scope="col" className="px-2 py-1 text-right font-semibold">
              Total
            </th>
            {SERIES.map((series) => (
              <th key={series.key} scope="col" className="px-2 py-1 text-right font-semibold">
                {series.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-t border-slate-100">
              <th scope="row" className="whitespace-nowrap py-1.5 pr-2 font-medium text-slate-800">
                {row.when}
                <span className="ml-1 text-xs font-normal text-slate-600">({row.trigger})</span>
              </th>
              <td className="px-2 py-1.5 text-right tabular-nums">{row.counts.total}</td>
              {SERIES.map((series) => (
                <td key={series.key} className="whitespace-nowrap px-2 py-1.5 text-right tabular-nums">
                  {row.counts[series.key]} <span className="text-xs text-slate-600">{formatShare(row.counts[series.key], row.counts.total)}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
