"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { changeAssignee, changeTicket } from "@/features/tickets/actions";
import { Alert } from "@/ui/alert";
import { PRIORITY_LABEL, STATUS_LABEL } from "@/features/tickets/labels";

type Status = keyof typeof STATUS_LABEL;
type Priority = keyof typeof PRIORITY_LABEL;

/** Assignment, status and priority; each change saves at once and says so. */
export function TicketControls(props: {
  ticketId: string;
  status: Status;
  priority: Priority;
  assigneeId: string | null;
  staff: { id: string; name: string }[];
  meId: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const ids = { assignee: useId(), status: useId(), priority: useId() };

  function save(work: () => Promise<{ ok: boolean; error?: string }>, done: string) {
    startTransition(async () => {
      const response = await work();
      setMessage(response.ok ? { tone: "success", text: done } : { tone: "error", text: response.error ?? "That did not work." });
      router.refresh();
    });
  }

  const select = "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm disabled:opacity-60";
  return (
    <section aria-labelledby="controls-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="controls-heading" className="mb-3 text-base font-semibold">
        Ticket
      </h2>
      <div className="grid gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.assignee} className="text-sm font-medium">
            Assignee
          </label>
          <select
            id={ids.assignee}
            className={select}
            disabled={pending}
            defaultValue={props.assigneeId ?? ""}
            onChange={(event) => {
              const assigneeId = event.target.value || null;
              save(() => changeAssignee({ ticketId: props.ticketId, assigneeId }), assigneeId ? "Assignee saved." : "Ticket unassigned.");
            }}
          >
            <option value="">Unassigned</option>
            {props.staff.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
                {person.id === props.meId ? " (me)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.status} className="text-sm font-medium">
            Status
          </label>
          <select
            id={ids.status}
            className={select}
            disabled={pending}
            defaultValue={props.status}
            onChange={(event) => save(() => changeTicket({ ticketId: props.ticketId, status: event.target.value as Status }), "Status saved.")}
          >
            {Object.entries(STATUS_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.priority} className="text-sm font-medium">
            Priority
          </label>
          <select
            id={ids.priority}
            className={select}
            disabled={pending}
            defaultValue={props.priority}
            onChange={(event) => save(() => changeTicket({ ticketId: props.ticketId, priority: event.target.value as Priority }), "Priority saved.")}
          >
            {Object.entries(PRIORITY_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {message ? (
        <div className="mt-3">
          <Alert tone={message.tone}>{message.text}</Alert>
        </div>
      ) : null}
    </section>
  );
}
