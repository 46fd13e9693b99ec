"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { claimEscalationAction, deescalateAction, reassignEscalationAction, resolveEscalationAction } from "@/app/supervisor/escalations/actions";
import { useAnnounce } from "@/components/escalations/feedback";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/auth/guard";
import {
  type DeescalateInput,
  deescalateSchema,
  type ReassignEscalationInput,
  reassignEscalationSchema,
  type ResolveEscalationInput,
  resolveEscalationSchema,
} from "@/lib/escalations/schemas";

export type EscalationForActions = { id: string; status: "open" | "claimed"; claimedBy: { id: string; name: string } | null; ticketLabel: string };
export type StaffOption = { id: string; name: string; role: string };
type Panel = "resolve" | "reassign" | "deescalate" | null;

/**
 * A supervisor's buttons for one escalation: Claim when it is open; Resolve, Reassign and
 * De-escalate (each opening its short form) once they hold the claim. Results are announced by
 * EscalationFeedback above the list.
 */
export function EscalationActions({ escalation, meId, staff }: { escalation: EscalationForActions; meId: string; staff: StaffOption[] }) {
  const router = useRouter();
  const announce = useAnnounce();
  const [open, setOpen] = useState<Panel>(null);
  const [claiming, startClaim] = useTransition();
  const panelId = useId();
  const toggles = useRef<Partial<Record<Exclude<Panel, null>, HTMLButtonElement | null>>>({});

  function finished(result: ActionResult<unknown>, success: string) {
    if (result.ok) {
      announce("success", success);
      setOpen(null);
    } else {
      announce("error", result.error);
    }
    router.refresh();
  }

  if (escalation.status === "open") {
    return (
      <Button
        disabled={claiming}
        onClick={() =>
          startClaim(async () => {
            finished(await claimEscalationAction({ escalationId: escalation.id }), `You claimed the escalation of ${escalation.ticketLabel}.`);
          })
        }
      >
        {claiming ? "Claiming…" : "Claim"}
      </Button>
    );
  }
  if (escalation.claimedBy?.id !== meId) {
    return <p className="text-sm text-slate-600">Claimed by {escalation.claimedBy?.name ?? "another supervisor"}: only they can act on it.</p>;
  }

  const toggle = (panel: Exclude<Panel, null>) => setOpen((current) => (current === panel ? null : panel));
  const disclosure = (panel: Exclude<Panel, null>, label: string) => (
    <Button
      ref={(element) => {
        toggles.current[panel] = element;
      }}
      variant={open === panel ? "primary" : "secondary"}
      aria-expanded={open === panel}
      aria-controls={open === panel ? panelId : undefined}
      onClick={() => toggle(panel)}
    >
      {label}
    </Button>
  );
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label={`Actions for ${escalation.ticketLabel}`}>
        {disclosure("resolve", "Resolve…")}
        {disclosure("reassign", "Reassign…")}
        {disclosure("deescalate", "De-escalate…")}
      </div>
      {open ? (
        <div
          id={panelId}
          className="rounded-lg border border-slate-200 bg-slate-50 p-3"
          onKeyDown={(event) => {
            // Escape closes the open form and returns to the button that opened it.
            if (event.key !== "Escape") return;
            toggles.current[open]?.focus();
            setOpen(null);
          }}
        >
          {open === "resolve" ? <ResolveForm escalationId={escalation.id} onDone={(result) => finished(result, `Resolved the escalation of ${escalation.ticketLabel}.`)} /> : null}
          {open === "reassign" ? <ReassignForm escalationId={escalation.id} staff={staff} onDone={(result, name) => finished(result, `${escalation.ticketLabel} handed to ${name}; escalation resolved.`)} /> : null}
          {open === "deescalate" ? <DeescalateForm escalationId={escalation.id} onDone={(result) => finished(result, `De-escalated ${escalation.ticketLabel}.`)} /> : null}
        </div>
      ) : null}
    </div>
  );
}

function ResolveForm({ escalationId, onDone }: { escalationId: string; onDone: (result: ActionResult<unknown>) => void }) {
  const form = useForm<ResolveEscalationInput>({ resolver: zodResolver(resolveEscalationSchema), defaultValues: { escalationId, outcome: "" } });
  const { errors, isSubmitting } = form.formState;
  return (
    <form noValidate className="flex flex-col gap-2" onSubmit={form.handleSubmit(async (values) => onDone(await resolveEscalationAction(values)))}>
      <TextAreaField label="Outcome" hint="What was decided or done (goes on the ticket as an internal note)." rows={2} maxLength={2000} autoFocus error={errors.outcome?.message} {...form.register("outcome")} />
      <div>
        <Button type="submit" disabled={isSubmitting}>{isSubmitting ? "Resolving…" : "Resolve escalation"}</Button>
      </div>
    </form>
  );
}

function ReassignForm({ escalationId, staff, onDone }: { escalationId: string; staff: StaffOption[]; onDone: (result: ActionResult<unknown>, name: string) => void }) {
  const form = useForm<ReassignEscalationInput>({ resolver: zodResolver(reassignEscalationSchema), defaultValues: { escalationId, agentId: "" } });
  const { errors, isSubmitting } = form.formState;
  return (
    <form
      noValidate
      className="flex flex-col gap-2"
      onSubmit={form.handleSubmit(async (values) => onDone(await reassignEscalationAction(values), staff.find((person) => person.id === values.agentId)?.name ?? "the agent"))}
    >
      <SelectField label="Hand the ticket to" autoFocus error={errors.agentId?.message} {...form.register("agentId")}>
        <option value="">Choose a person…</option>
        {staff.map((person) => (
          <option key={person.id} value={person.id}>
            {person.name}
            {person.role === "agent" ? "" : ` (${person.role})`}
          </option>
        ))}
      </SelectField>
      <div>
        <Button type="submit" disabled={isSubmitting}>{isSubmitting ? "Reassigning…" : "Reassign and resolve"}</Button>
      </div>
    </form>
  );
}

function DeescalateForm({ escalationId, onDone }: { escalationId: string; onDone: (result: ActionResult<unknown>) => void }) {
  const form = useForm<DeescalateInput>({ resolver: zodResolver(deescalateSchema), defaultValues: { escalationId, reason: "" } });
  const { errors, isSubmitting } = form.formState;
  return (
    <form noValidate className="flex flex-col gap-2" onSubmit={form.handleSubmit(async (values) => onDone(await deescalateAction(values)))}>
      <TextAreaField label="Why it no longer needs a supervisor" rows={2} maxLength={2000} autoFocus error={errors.reason?.message} {...form.register("reason")} />
      <div>
        <Button type="submit" disabled={isSubmitting}>{isSubmitting ? "De-escalating…" : "De-escalate"}</Button>
      </div>
    </form>
  );
}
