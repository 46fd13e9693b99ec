"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { requeueFailedMessagesAction } from "@/features/delivery/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

export interface FailedMessageRow {
  id: string;
  channel: string;
  kind: string;
  recipient: string;
  subject: string | null;
  attempts: number;
  lastError: string | null;
  /** Written on the server in the viewer's zone (platform/time-zone.ts). */
  createdAt: { iso: string; text: string; title: string };
  /** Why it cannot be sent again, in words; null when it can. */
  refusal: string | null;
}

/** The given-up messages with a checkbox each; "Requeue selected" and "Requeue all failed". */
export function FailedMessages({ rows, totalFailed }: { rows: FailedMessageRow[]; totalFailed: number }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [result, setResult] = useState<{ tone: "success" | "error" | "warning"; text: string } | null>(null);
  const requeuable = rows.filter((row) => row.refusal === null);
  const allSelected = requeuable.length > 0 && requeuable.every((row) => selected.has(row.id));

  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const requeue = (input: { ids: string[] } | { all: true }) =>
    startTransition(async () => {
      const response = await requeueFailedMessagesAction(input);
      if (!response.ok) {
        setResult({ tone: "error", text: response.error });
        return;
      }
      const { requeued, refused } = response.data;
      setResult({
        tone: refused > 0 ? "warning" : "success",
        text: `${requeued} message(s) queued again.${refused > 0 ? ` ${refused} could not be: their one-time code or link has expired, or their body was wiped.` : ""}`,
      });
      setSelected(new Set());
      router.refresh();
    });

  if (rows.length === 0) return <p className="text-sm text-slate-600">No failed messages.</p>;
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <Button disabled={pending || selected.size === 0} onClick={() => requeue({ ids: [...selected] })}>
          {pending ? "Requeueing…" : `Requeue selected (${selected.size})`}
        </Button>
        <Button variant="secondary" disabled={pending} onClick={() => requeue({ all: true })}>
          Requeue all failed ({totalFailed})
        </Button>
      </div>
      {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all that can be requeued"
                  checked={allSelected}
                  disabled={requeuable.length === 0}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(requeuable.map((row) => row.id)))}
                />
              </th>
              <th scope="col" className="px-3 py-2">
                Queued
              </th>
              <th scope="col" className="px-3 py-2">
                Message
              </th>
              <th scope="col" className="px-3 py-2">
                To
              </th>
              <th scope="col" className="px-3 py-2">
                Tries
              </th>
              <th scope="col" className="px-3 py-2">
                Last error
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="px-3 py-2 align-top">
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.kind} to ${row.recipient}`}
                    checked={selected.has(row.id)}
                    disabled={row.refusal !== null}
                    onChange={() => toggle(row.id)}
                  />
                </td>
                <td className="whitespace-nowrap px-3 py-2 align-top text-slate-600">
                  <time dateTime={row.createdAt.iso} title={row.createdAt.title}>
                    {row.createdAt.text}
                  </time>
                </td>
                <td className="px-3 py-2 align-top">
                  <span className="font-medium text-slate-900">{row.kind}</span> <span className="text-slate-500">({row.channel})</span>
                  {row.subject ? <div className="text-slate-600">{row.subject}</div> : null}
                  {row.refusal ? <div className="mt-1 text-amber-800">{row.refusal}</div> : null}
                </td>
                <td className="px-3 py-2 align-top">{row.recipient}</td>
                <td className="px-3 py-2 align-top">{row.attempts}</td>
                <td className="max-w-md px-3 py-2 align-top text-slate-600">{row.lastError ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
