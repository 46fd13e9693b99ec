"use client";

import { useEffect, useRef, useState } from "react";
import { deactivateStaffAction, reactivateStaffAction } from "@/features/staff/actions";
import { staffAccountSchema } from "@/features/staff/schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

type Outcome = { tone: "success" | "error"; text: string };

/**
 * Deactivate (after a confirm step that says what happens) or reactivate one staff account. The
 * outcome goes to the table's announced status line; a refusal stays on the row.
 */
export function StaffAccountControl({ member, onDone }: { member: { id: string; name: string; disabled: boolean }; onDone: (outcome: Outcome) => void }) {
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const form = useActionForm(staffAccountSchema, member.disabled ? reactivateStaffAction : deactivateStaffAction, {
    defaultValues: { userId: member.id },
    onSuccess: (data) => onDone({ tone: "success", text: data.message }),
    onRefusal: () => {
      setConfirming(false);
    },
  });

  // The open button is not rendered while confirming: focus moves once the step closes and it is back.
  const backedOut = useRef(false);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
    else if (backedOut.current) {
      backedOut.current = false;
      openRef.current?.focus();
    }
  }, [confirming]);

  if (member.disabled) {
    return (
      <form onSubmit={form.submit} noValidate className="flex flex-col gap-2">
        <input type="hidden" {...form.register("userId")} />
        <SubmitButton variant="secondary" pending={form.pending} busy="Reactivating…" aria-label={`Reactivate ${member.name}`}>
          Reactivate
        </SubmitButton>
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      </form>
    );
  }

  const confirmId = `deactivate-${member.id}-confirm`;
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-2">
      <input type="hidden" {...form.register("userId")} />
      {confirming ? (
        <div
          ref={confirmRef}
          tabIndex={-1}
          role="group"
          aria-labelledby={confirmId}
          className="flex max-w-md flex-col gap-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-950 outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
        >
          <p id={confirmId}>
            <span className="font-semibold">Deactivate {member.name}?</span> They are signed out everywhere at once and can no longer sign in; their open
            tickets go back to the queue with a note. Their name stays in ticket history and the audit log. You can reactivate them later.
          </p>
          <div className="flex flex-wrap gap-2">
            <SubmitButton variant="danger" pending={form.pending} busy="Deactivating…">
              Deactivate {member.name}
            </SubmitButton>
            <Button
              variant="ghost"
              disabled={form.pending}
              onClick={() => {
                backedOut.current = true;
                setConfirming(false);
              }}
            >
              Keep active
            </Button>
          </div>
        </div>
      ) : (
        <div>
          <Button
            ref={openRef}
            variant="ghost"
            aria-label={`Deactivate ${member.name}…`}
            onClick={() => {
              form.setFormError(null);
              setConfirming(true);
            }}
          >
            Deactivate…
          </Button>
        </div>
      )}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
    </form>
  );
}
