"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { changeStaffRoleAction } from "@/features/staff/actions";
import { Alert } from "@/ui/alert";
import { Badge, type BadgeTone } from "@/ui/badge";
import { Button } from "@/ui/button";
import { StaffAccountControl } from "@/features/staff/components/staff-account-control";
import { roleChangeConsequence } from "@/features/staff/role-change-summary";
import { type ChangeStaffRoleInput, STAFF_ROLES, type StaffRole, changeStaffRoleSchema } from "@/features/staff/schemas";

export type StaffRowView = {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  disabled: boolean;
  lastSignIn: { iso: string; text: string; title: string } | null;
};
type Outcome = { tone: "success" | "error"; text: string };

const ROLE_LABEL: Record<StaffRole, string> = { agent: "Agent", supervisor: "Supervisor", admin: "Administrator" };
const ROLE_TONE: Record<StaffRole, BadgeTone> = { agent: "neutral", supervisor: "info", admin: "warn" };
const RANK: Record<StaffRole, number> = { agent: 0, supervisor: 1, admin: 2 };

function StaffRow({ member, isMe, onDone }: { member: StaffRowView; isMe: boolean; onDone: (outcome: Outcome) => void }) {
  const [confirming, setConfirming] = useState<StaffRole | null>(null);
  const [saving, setSaving] = useState(false);
  const [rowError, setRowError] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const changeButtonRef = useRef<HTMLButtonElement>(null);
  const {
    register,
    handleSubmit,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<ChangeStaffRoleInput>({ resolver: zodResolver(changeStaffRoleSchema), defaultValues: { userId: member.id, role: member.role } });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const selectId = `role-${member.id}`;
  const errorId = `${selectId}-error`;

  function askToConfirm(values: ChangeStaffRoleInput) {
    setRowError(null);
    const to = values.role as StaffRole;
    if (to === member.role) {
      setError(
        "role",
        { type: "same", message: `${member.name} already has the ${ROLE_LABEL[to].toLowerCase()} role: choose another role first.` },
        { shouldFocus: true },
      );
      return;
    }
    clearErrors("role");
    setConfirming(to);
  }

  function keepRole() {
    setConfirming(null);
    changeButtonRef.current?.focus();
  }

  async function confirm() {
    if (!confirming) return;
    setSaving(true);
    setRowError(null);
    try {
      const result = await changeStaffRoleAction({ userId: member.id, role: confirming });
      if (result.ok) return onDone({ tone: "success", text: result.data.message });
      setConfirming(null);
      const roleError = result.fieldErrors?.role?.[0];
      if (roleError) setError("role", { type: "server", message: roleError }, { shouldFocus: true });
      else setRowError(result.error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <tr className="align-top max-md:block max-md:p-4">
      <td className="px-3 py-3 max-md:block max-md:p-0 md:min-w-60">
        <p className="font-semibold text-slate-900">
          {member.name}
          {isMe ? <span className="font-normal text-slate-600"> (you)</span> : null}
        </p>
        <p className="break-all text-sm text-slate-700">{member.email}</p>
      </td>
      <td className="px-3 py-3 max-md:inline-block max-md:p-0 max-md:pt-2">
        <span className="flex flex-wrap gap-1">
          <Badge tone={ROLE_TONE[member.role]}>{ROLE_LABEL[member.role]}</Badge>
          {member.disabled ? <Badge tone="bad">Deactivated</Badge> : null}
        </span>
      </td>
      <td className="px-3 py-3 text-sm text-slate-700 max-md:inline-block max-md:p-0 max-md:pl-3 max-md:pt-2">
        <span className="md:hidden">Last sign-in: </span>
        {member.lastSignIn ? (
          <time dateTime={member.lastSignIn.iso} title={member.lastSignIn.title}>
            {member.lastSignIn.text}
          </time>
        ) : (
          "never"
        )}
      </td>
      <td className="px-3 py-3 max-md:block max-md:p-0 max-md:pt-3">
        {isMe ? (
          <p className="text-sm text-slate-600">Your own role can only be changed by another administrator.</p>
        ) : (
          <form onSubmit={handleSubmit(askToConfirm)} noValidate className="flex flex-col gap-2">
            <input type="hidden" {...register("userId")} />
            <label htmlFor={selectId} className="text-xs font-medium text-slate-800 md:sr-only">
              New role for {member.name}
            </label>
            <div className="flex flex-wrap items-center gap-2">
              <select
                id={selectId}
                aria-invalid={errors.role ? true : undefined}
                aria-describedby={errors.role ? errorId : undefined}
                disabled={confirming !== null || saving}
                className={`rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ${errors.role ? "border-red-600" : "border-slate-300"}`}
                {...register("role", { onChange: () => clearErrors("role") })}
              >
                {STAFF_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_LABEL[role]}
                  </option>
                ))}
              </select>
              <Button
                ref={changeButtonRef}
                type="submit"
                variant="secondary"
                disabled={confirming !== null || saving}
                aria-label={`Change role of ${member.name}`}
              >
                Change role
              </Button>
            </div>
            {errors.role?.message ? (
              <p id={errorId} role="alert" className="text-sm text-red-700">
                {errors.role.message}
              </p>
            ) : null}
            {confirming ? (
              <div
                ref={confirmRef}
                tabIndex={-1}
                role="group"
                aria-labelledby={`${selectId}-confirm`}
                className="flex max-w-md flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
              >
                <p id={`${selectId}-confirm`}>
                  <span className="font-semibold">
                    Change {member.name} from {ROLE_LABEL[member.role].toLowerCase()} to {ROLE_LABEL[confirming].toLowerCase()}?
                  </span>{" "}
                  {roleChangeConsequence(member.role, confirming)}
                </p>
                <div className="flex flex-wrap gap-2">
                  <Button onClick={confirm} disabled={saving} variant={RANK[confirming] < RANK[member.role] ? "danger" : "primary"}>
                    {saving ? "Changing…" : `Make ${member.name} ${ROLE_LABEL[confirming].toLowerCase()}`}
                  </Button>
                  <Button variant="ghost" onClick={keepRole} disabled={saving}>
                    Keep current role
                  </Button>
                </div>
              </div>
            ) : null}
            {rowError ? <Alert tone="error">{rowError}</Alert> : null}
          </form>
        )}
        {isMe ? null : (
          <div className="mt-3 border-t border-slate-100 pt-3">
            <StaffAccountControl member={member} onDone={onDone} />
          </div>
        )}
      </td>
    </tr>
  );
}

/** The staff table: one role form per person (not for oneself); the outcome is announced above the table. */
export function StaffRoles({ staff, currentUserId }: { staff: StaffRowView[]; currentUserId: string }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The confirmed row re-renders with its new role and its buttons go: keep keyboard focus on the result.
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  return (
    <div className="flex flex-col gap-3">
      <div ref={outcomeRef} tabIndex={-1} aria-live="polite" className="outline-none">
        {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      </div>
      <div className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-left text-sm max-md:block">
          <caption className="sr-only">Staff and their roles</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600 max-md:hidden">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Person
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Role
              </th>
              <th scope="col" className="whitespace-nowrap px-3 py-2 font-semibold">
                Last sign-in (UTC)
              </th>
              <th scope="col" className="px-3 py-2 font-semibold">
                Change
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 max-md:block">
            {staff.map((member) => (
              <StaffRow
                // A new role or state remounts the row, so its form starts from the role it now has.
                key={`${member.id}:${member.role}:${member.disabled}`}
                member={member}
                isMe={member.id === currentUserId}
                onDone={(result) => {
                  setOutcome(result);
                  router.refresh();
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
