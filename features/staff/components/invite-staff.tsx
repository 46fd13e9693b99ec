"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { inviteStaffAction, resendInvitationAction, revokeInvitationAction } from "@/features/staff/actions";
import { invitationActionSchema, inviteStaffSchema, STAFF_ROLES, type StaffRole } from "@/features/staff/schemas";
import { Alert } from "@/ui/alert";
import { Badge } from "@/ui/badge";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

const ROLE_LABEL: Record<StaffRole, string> = { agent: "Agent", supervisor: "Supervisor", admin: "Administrator" };

export type PendingInvitationView = {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  expiresAtIso: string;
  /** "4 Dec 2026, 13:40 UTC (in 2 d 23 h)" or "expired 1 Dec 2026, 09:00 UTC". */
  expiresLabel: string;
  expired: boolean;
  invitedBy: string | null;
};

type Outcome = { tone: "success" | "error"; text: string };

/** "Invite a person": name, email, role. The answer is announced; the list below refreshes. */
export function InviteStaffForm() {
  const router = useRouter();
  const form = useActionForm(inviteStaffSchema, inviteStaffAction, {
    defaultValues: { name: "", email: "", role: "agent" },
    fields: ["name", "email", "role"],
    onSuccess: (data) => {
      form.reset({ name: "", email: "", role: "agent" });
      router.refresh();
      return data.message;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate aria-labelledby="invite-heading" className="flex flex-col gap-4">
      <div aria-live="polite">{form.notice ? <Alert tone="success">{form.notice}</Alert> : null}</div>
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <div className="grid gap-4 md:grid-cols-3">
        <TextField label="Name" autoComplete="off" error={form.errors.name?.message} {...form.register("name")} />
        <TextField label="Email address" type="email" autoComplete="off" spellCheck={false} error={form.errors.email?.message} {...form.register("email")} />
        <SelectField label="Role" error={form.errors.role?.message} {...form.register("role")}>
          {STAFF_ROLES.map((role) => (
            <option key={role} value={role}>
              {ROLE_LABEL[role]}
            </option>
          ))}
        </SelectField>
      </div>
      <div>
        <SubmitButton pending={form.pending} busy="Sending…">
          Send invitation
        </SubmitButton>
      </div>
    </form>
  );
}

function InvitationButton({ invitation, kind, onDone }: { invitation: PendingInvitationView; kind: "resend" | "revoke"; onDone: (outcome: Outcome) => void }) {
  const form = useActionForm(invitationActionSchema, kind === "resend" ? resendInvitationAction : revokeInvitationAction, {
    defaultValues: { invitationId: invitation.id },
    onSuccess: (data) => onDone({ tone: "success", text: data.message }),
    onRefusal: (refusal) => {
      onDone({ tone: "error", text: refusal.error });
      return true;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate>
      <input type="hidden" {...form.register("invitationId")} />
      <SubmitButton
        variant={kind === "resend" ? "secondary" : "ghost"}
        pending={form.pending}
        busy={kind === "resend" ? "Sending…" : "Revoking…"}
        aria-label={`${kind === "resend" ? "Resend" : "Revoke"} the invitation to ${invitation.email}`}
      >
        {kind === "resend" ? "Resend" : "Revoke"}
      </SubmitButton>
    </form>
  );
}

/** Pending invitations with their expiry; resend (new link, old one dies) or revoke each. */
export function PendingInvitations({ invitations }: { invitations: PendingInvitationView[] }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const done = (result: Outcome) => {
    setOutcome(result);
    router.refresh();
  };
  return (
    <div className="flex flex-col gap-3">
      <div ref={outcomeRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      </div>
      {invitations.length === 0 ? (
        <p className="text-sm text-slate-600">No invitations are waiting to be accepted.</p>
      ) : (
        <ul aria-label="Pending invitations" className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white shadow-sm">
          {invitations.map((invitation) => (
            <li key={invitation.id} className="flex flex-col gap-3 p-4 md:flex-row md:items-center md:justify-between">
              <div className="min-w-0">
                <p className="font-semibold text-slate-900">
                  {invitation.name} <Badge tone="neutral">{ROLE_LABEL[invitation.role]}</Badge> {invitation.expired ? <Badge tone="bad">Expired</Badge> : null}
                </p>
                <p className="break-all text-sm text-slate-700">{invitation.email}</p>
                <p className="text-sm text-slate-600">
                  {invitation.expired ? "Link " : "Link expires "}
                  <time dateTime={invitation.expiresAtIso}>{invitation.expiresLabel}</time>
                  {invitation.invitedBy ? ` · invited by ${invitation.invitedBy}` : null}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <InvitationButton invitation={invitation} kind="resend" onDone={done} />
                <InvitationButton invitation={invitation} kind="revoke" onDone={done} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
