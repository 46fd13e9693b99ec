"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useId, useRef, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import {
  claimEscalationAction,
  deescalateAction,
  reassignEscalationAction,
  releaseEscalationAction,
  resolveEscalationAction,
  takeOverEscalationAction,
} from "@/features/escalations/actions";
import { useAnnounce, useFocusAnnouncement } from "@/ui/feedback";
import { Button } from "@/ui/button";
import { SelectField, TextAreaField } from "@/ui/field";
import type { ActionResult } from "@/platform/auth/guard";
import {
  type DeescalateInput,
  deescalateSchema,
  type ReassignEscalationInput,
  reassignEscalationSchema,
  type ResolveEscalationInput,
  resolveEscalationSchema,
} from "@/features/escalations/schemas";

export type EscalationForActions = { id: string; status: "open" | "claimed"; claimedBy: { id: string; name: string } | null; ticketLabel: string };
export type StaffOption = { id: string; name: string; role: string };
type Panel = "resolve" | "reassign" | "deescalate" | "takeover" | null;

/**
 * A supervisor's buttons for one escalation: Claim when it is open; Resolve, Reassign, De-escalate
 * (each opening its short form) and Release once they hold the claim; Take over (after a
 * confirmation) when another supervisor holds it. Results are announced by EscalationFeedback
 * above the list. Focus follows the result for keyboard users: after a claim or take-over, to the
 * row's first new button; when the row is gone (filtered out, resolved) or on a refusal, to the
 * announced result.
 */
export function EscalationActions({ escalation, meId, staff }: { escalation: EscalationForActions; meId: string; staff: StaffOption[] }) {
  const router = useRouter();
  const announce = useAnnounce();
  const focusAnnouncement = useFocusAnnouncement();
  const [open, setOpen] = useState<Panel>(null);
  const [busy, startBusy] = useTransition();
  const panelId = useId();
  const toggles = useRef<Partial<Record<Exclude<Panel, null>, HTMLButtonElement | null>>>({});
  const container = useRef<HTMLDivElement>(null);
  const mounted = useRef(false);
  // Set after a successful action: the row state it was taken in; focus moves once the row shows another.
  const focusAfterChangeFrom = useRef<string | null>(null);
  const stateKey = `${escalation.status}:${escalation.claimedBy?.id ?? ""}`;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (focusAfterChangeFrom.current !== null) focusAnnouncement();
    };
  }, [focusAnnouncement]);

  useEffect(() => {
    if (focusAfterChangeFrom.current === null || focusAfterChangeFrom.current === stateKey || busy) return;
    focusAfterChangeFrom.current = null;
    container.current?.querySelector<HTMLButtonElement>("button:not([disabled])")?.focus();
  });

  function finished(result: ActionResult<unknown>, success: string) {
    if (result.ok) {
      setOpen(null);
      if (mounted.current) {
        announce("success", success);
        focusAfterChangeFrom.current = stateKey;
      } else {
        announce("success", success, { focus: true });
      }
    } else {
      // A refusal ("Already claimed by …") changes what the row offers: read the answer first.
      announce("error", result.error, { focus: true });
    }
    router.refresh();
  }

  const act = (run: () => Promise<ActionResult<unknown>>, success: string) => {
    if (busy) return;
    startBusy(async () => {
      finished(await run(), success);
    });
  };
  // While an action runs its button is aria-disabled, not disabled: a disabled button drops keyboard
  // focus to the page, and focus should stay in the row until the result moves it.
  const pendingProps = { "aria-disabled": busy || undefined, className: busy ? "cursor-wait opacity-60" : "" };

  const toggle = (panel: Exclude<Panel, null>) => setOpen((current) => (current === panel ? null : panel));
  const disclosure = (panel: Exclude<Panel, null>, label: string) => (
    <Button
      ref={(element) => {
        toggles.current[panel] = element;
      }}
      variant={open === panel ? "primary" : "secondary"}
      aria-expanded={open === panel}
      aria-controls={open === panel ? panelId : undefined}
      disabled={busy}
      onClick={() => toggle(panel)}
    >
      {label}
    </Button>
  );
  const panel = (children: ReactNode) =>
    open ? (
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
        {children}
      </div>
    ) : null;

  if (escalation.status === "open") {
    return (
      <div ref={container}>
        <Button
          {...pendingProps}
          onClick={() => act(() => claimEscalationAction({ escalationId: escalation.id }), `You claimed the escalation of ${escalation.ticketLabel}.`)}
        >
          {busy ? "Claiming…" : "Claim"}
        </Button>
      </div>
    );
  }

  const holder = escalation.claimedBy;
  if (holder?.id !== meId) {
    const holderName = holder?.name ?? "another supervisor";
    return (
      <div ref={container} className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <p className="text-sm text-slate-600">Claimed by {holderName}: only they can act on it.</p>
          {holder ? disclosure("takeover", "Take over…") : null}
        </div>
        {holder
          ? panel(
              <div className="flex flex-col gap-2">
                <p className="text-sm text-slate-800">
                  If {holderName} is away, take it over: you become the supervisor accountable for it, and a note on the ticket says so.
                </p>
                <div>
                  <Button
                    autoFocus
                    {...pendingProps}
                    onClick={() =>
                      act(
                        () => takeOverEscalationAction({ escalationId: escalation.id, fromAssigneeId: holder.id }),
                        `You took over the escalation of ${escalation.ticketLabel} from ${holderName}.`,
                      )
                    }
                  >
                    {busy ? "Taking over…" : `Take over from ${holderName}`}
                  </Button>
                </div>
              </div>,
            )
          : null}
      </div>
    );
  }

  return (
    <div ref={container} className="flex flex-col gap-3">
      <div className="flex flex-wrap gap-2" role="group" aria-label={`Actions for ${escalation.ticketLabel}`}>
        {disclosure("resolve", "Resolve…")}
        {disclosure("reassign", "Reassign…")}
        {disclosure("deescalate", "De-escalate…")}
        <Button
          variant="ghost"
          {...pendingProps}
          onClick={() =>
            act(() => releaseEscalationAction({ escalationId: escalation.id }), `Released ${escalation.ticketLabel}: it is waiting for a supervisor again.`)
          }
        >
          {busy ? "Releasing…" : "Release to the queue"}
        </Button>
      </div>
      {panel(
        <>
          {open === "resolve" ? (
            <ResolveForm escalationId={escalation.id} onDone={(result) => finished(result, `Resolved the escalation of ${escalation.ticketLabel}.`)} />
          ) : null}
          {open === "reassign" ? (
            <ReassignForm
              escalationId={escalation.id}
              staff={staff}
              onDone={(result, name) => finished(result, `${escalation.ticketLabel} handed to ${name}; escalation resolved.`)}
            />
          ) : null}
          {open === "deescalate" ? (
            <DeescalateForm escalationId={escalation.id} onDone={(result) => finished(result, `De-escalated ${escalation.ticketLabel}.`)} />
          ) : null}
        </>,
      )}
    </div>
  );
}

function ResolveForm({ escalationId, onDone }: { escalationId: string; onDone: (result: ActionResult<unknown>) => void }) {
  const form = useForm<ResolveEscalationInput>({ resolver: zodResolver(resolveEscalationSchema), defaultValues: { escalationId, outcome: "" } });
  const { errors, isSubmitting } = form.formState;
  return (
    <form noValidate className="flex flex-col gap-2" onSubmit={form.handleSubmit(async (values) => onDone(await resolveEscalationAction(values)))}>
      <TextAreaField
        label="Outcome"
        hint="What was decided or done (goes on the ticket as an internal note)."
        rows={2}
        maxLength={2000}
        autoFocus
        error={errors.outcome?.message}
        {...form.register("outcome")}
      />
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Resolving…" : "Resolve escalation"}
        </Button>
      </div>
    </form>
  );
}

function ReassignForm({
  escalationId,
  staff,
  onDone,
}: {
  escalationId: string;
  staff: StaffOption[];
  onDone: (result: ActionResult<unknown>, name: string) => void;
}) {
  const form = useForm<ReassignEscalationInput>({ resolver: zodResolver(reassignEscalationSchema), defaultValues: { escalationId, agentId: "" } });
  const { errors, isSubmitting } = form.formState;
  return (
    <form
      noValidate
      className="flex flex-col gap-2"
      onSubmit={form.handleSubmit(async (values) =>
        onDone(await reassignEscalationAction(values), staff.find((person) => person.id === values.agentId)?.name ?? "the agent"),
      )}
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
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Reassigning…" : "Reassign and resolve"}
        </Button>
      </div>
    </form>
  );
}

function DeescalateForm({ escalationId, onDone }: { escalationId: string; onDone: (result: ActionResult<unknown>) => void }) {
  const form = useForm<DeescalateInput>({ resolver: zodResolver(deescalateSchema), defaultValues: { escalationId, reason: "" } });
  const { errors, isSubmitting } = form.formState;
  return (
    <form noValidate className="flex flex-col gap-2" onSubmit={form.handleSubmit(async (values) => onDone(await deescalateAction(values)))}>
      <TextAreaField
        label="Why it no longer needs a supervisor"
        rows={2}
        maxLength={2000}
        autoFocus
        error={errors.reason?.message}
        {...form.register("reason")}
      />
      <div>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "De-escalating…" : "De-escalate"}
        </Button>
      </div>
    </form>
  );
}
