import "server-only";
import Link from "next/link";
import type { AuditRow } from "@/features/audit/queries";
import { LocalTime } from "@/ui/local-time";

/** Events of the system (SLA job, inbound email) and of people not signed in (failed sign-ins) have no actor. */
const NO_ACTOR = "No signed-in person";

const ROLE_LABEL = { customer: "Customer", agent: "Agent", supervisor: "Supervisor", admin: "Administrator" } as const;

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

function Actor({ row }: { row: AuditRow }) {
  if (row.actor) {
    return (
      <>
        <span className="block">{row.actor.name}</span>
        <span className="block break-all text-xs text-slate-600">{row.actor.email}</span>
        {row.actorRole ? <span className="block text-xs text-slate-600">{ROLE_LABEL[row.actorRole]}</span> : null}
      </>
    );
  }
  if (row.actorUserId) return <span className="break-all font-mono text-xs">{row.actorUserId}</span>;
  return <span className="text-slate-500">{NO_ACTOR}</span>;
}

function Details({ row }: { row: AuditRow }) {
  return detailLines(row.details).map((line, index) => (
    <span key={index} className="block break-words">
      {line}
    </span>
  ));
}

/** On a phone: one card per event, the table's columns as a definition list. */
function AuditCards({ rows, caption }: { rows: AuditRow[]; caption: string }) {
  return (
    <ol aria-label={caption} className="flex flex-col gap-3 md:hidden">
      {rows.map((row) => (
        <li key={row.id.toString()} className="rounded-xl border border-slate-200 bg-white p-3 text-sm shadow-sm">
          <p className="font-mono text-xs font-semibold text-slate-900">{row.action}</p>
          <dl className="mt-2 grid grid-cols-[6rem_1fr] gap-x-2 gap-y-1">
            <dt className="text-xs font-medium text-slate-600">Time</dt>
            <dd className="font-mono text-xs">
              <LocalTime value={row.at} style="seconds" />
            </dd>
            <dt className="text-xs font-medium text-slate-600">Actor</dt>
            <dd className="min-w-0">
              <Actor row={row} />
            </dd>
            <dt className="text-xs font-medium text-slate-600">Subject</dt>
            <dd className="min-w-0">
              <Subject row={row} />
            </dd>
            <dt className="text-xs font-medium text-slate-600">IP</dt>
            <dd className="font-mono text-xs">{row.ip ?? "—"}</dd>
            {row.details !== null ? (
              <>
                <dt className="text-xs font-medium text-slate-600">Details</dt>
                <dd className="min-w-0 text-xs text-slate-700">
                  <Details row={row} />
                </dd>
              </>
            ) : null}
          </dl>
        </li>
      ))}
    </ol>
  );
}

export function AuditTable({ rows, caption }: { rows: AuditRow[]; caption: string }) {
  return (
    <>
      <AuditCards rows={rows} caption={caption} />
      <div className="relative hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm md:block">
        <table className="w-full min-w-[48rem] text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Time
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Action
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Actor
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Subject
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                IP
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Details
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {rows.map((row) => (
              <tr key={row.id.toString()}>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">
                  <LocalTime value={row.at} style="seconds" />
                </td>
                <td className="px-3 py-2 font-mono text-xs font-semibold text-slate-900">{row.action}</td>
                <td className="px-3 py-2">
                  <Actor row={row} />
                </td>
                <td className="px-3 py-2">
                  <Subject row={row} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 font-mono text-xs">{row.ip ?? "—"}</td>
                <td className="px-3 py-2 text-xs text-slate-700">
                  <Details row={row} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
