import Link from "next/link";
import type { AuditRow } from "@/lib/audit/queries";

const ROLE_LABEL = { customer: "Customer", agent: "Agent", supervisor: "Supervisor", admin: "Administrator" } as const;

/** "2026-11-29 13:58:48" (the column says UTC). */
export function utcTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * An event's details as "key: value" text. React escapes every value, and nothing is ever rendered
 * as HTML, so whatever a detail holds is shown as text.
 */
export function detailLines(details: AuditRow["details"]): string[] {
  if (details === null || details === undefined) return [];
  if (typeof details !== "object" || Array.isArray(details)) return [JSON.stringify(details)];
  return Object.entries(details).map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
}

function Subject({ row }: { row: AuditRow }) {
  if (!row.subjectType) return <span className="text-slate-500">—</span>;
  if (row.subjectType === "Ticket" && row.subjectId) {
    return (
      <Link href={`/console/tickets/${encodeURIComponent(row.subjectId)}`} className="text-brand-700 underline">
        Ticket <span className="font-mono text-xs">{row.subjectId}</span>
      </Link>
    );
  }
  return (
    <span>
      {row.subjectType}{" "}
      {row.subjectUser ? (
        <span className="block text-slate-700">{row.subjectUser.email}</span>
      ) : row.subjectId ? (
        <span className="block break-all font-mono text-xs text-slate-600">{row.subjectId}</span>
      ) : null}
    </span>
  );
}

export function AuditTable({ rows, caption }: { rows: AuditRow[]; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[56rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">Time (UTC)</th>
            <th scope="col" className="px-3 py-2 font-semibold">Action</th>
            <th scope="col" className="px-3 py-2 font-semibold">Actor</th>
            <th scope="col" className="px-3 py-2 font-semibold">Subject</th>
            <th scope="col" className="px-3 py-2 font-semibold">IP</th>
            <th scope="col" className="px-3 py-2 font-semibold">Details</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {rows.map((row) => (
            <tr key={row.id.toString()}>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                <time dateTime={row.at.toISOString()}>{utcTime(row.at)}</time>
              </td>
              <td className="px-3 py-2 font-mono text-xs font-semibold text-slate-900">{row.action}</td>
              <td className="px-3 py-2">
                {row.actor ? (
                  <>
                    <span className="block">{row.actor.name}</span>
                    <span className="block text-xs text-slate-600">
                      {row.actor.email}
                      {row.actorRole ? ` · ${ROLE_LABEL[row.actorRole]}` : ""}
                    </span>
                  </>
                ) : row.actorUserId ? (
                  <span className="font-mono text-xs">{row.actorUserId}</span>
                ) : (
                  <span className="text-slate-500">No one signed in</span>
                )}
              </td>
              <td className="px-3 py-2">
                <Subject row={row} />
              </td>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{row.ip ?? "—"}</td>
              <td className="px-3 py-2 text-xs text-slate-700">
                {detailLines(row.details).map((line, index) => (
                  <span key={index} className="block break-words">
                    {line}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
