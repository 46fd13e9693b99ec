"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { openTicket } from "@/features/tickets/portal-actions";
import { Alert } from "@/ui/alert";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { AttachmentPicker, useAttachmentUploads, WAIT_FOR_UPLOADS_MESSAGE } from "@/features/tickets/components/attachment-picker";
import type { AttachmentLimits } from "@/features/tickets/uploads/limits";
import { ArticleSuggestions } from "@/features/help-centre/components/article-suggestions";
import { CATEGORY_LABEL, type NewPortalTicketInput, newPortalTicketSchema, TICKET_CATEGORIES } from "@/features/tickets/schemas";

const PRIORITIES = [
  ["low", "Low: a question, no rush"],
  ["normal", "Normal"],
  ["high", "High: my work is held up"],
  ["urgent", "Urgent: something critical is down"],
] as const;

/** A random UUID (v4) also where crypto.randomUUID is missing (it needs a secure context; plain-HTTP self-hosting has none). */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type OpenTicketResult = Awaited<ReturnType<typeof openTicket>>;

/** The finished ticket a follow-up continues: its reference goes in the subject, its id is stored with the new ticket. */
export type FollowUpOf = { ticketId: string; reference: string; subject: string };

/** "Follow-up to VD-1234: Printer on fire", cut to the subject's 200 characters. */
export const followUpSubject = (of: FollowUpOf) => `Follow-up to ${of.reference}: ${of.subject}`.slice(0, 200);

export function NewTicketForm({ attachmentLimits, followUp }: { attachmentLimits: AttachmentLimits; followUp?: FollowUpOf }) {
  const router = useRouter();
  // One key per form: every send of this form (the automatic retry, a second click) opens at most one ticket.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const ids = { description: useId(), category: useId(), priority: useId() };
  const uploads = useAttachmentUploads("/api/portal/attachments", attachmentLimits);

  async function send(values: NewPortalTicketInput): Promise<OpenTicketResult> {
    if (uploads.busy) return { ok: false, code: "invalid", error: WAIT_FOR_UPLOADS_MESSAGE };
    try {
      return await openTicket({ ...values, idempotencyKey, attachmentIds: uploads.readyIds, ...(followUp ? { followUpTo: followUp.ticketId } : {}) });
    } catch {
      // No answer the action could give (the connection dropped, the request was refused as too large).
      return { ok: false, code: "retryable", error: "Your request could not be sent. Check your connection and try again; your text is still here." };
    }
  }

  async function sendWithOneRetry(values: NewPortalTicketInput): Promise<OpenTicketResult> {
    const first = await send(values);
    // A busy database answers "retryable": try once more by itself, with the same key and text.
    return !first.ok && first.code === "retryable" ? send(values) : first;
  }

  const form = useActionForm(newPortalTicketSchema, sendWithOneRetry, {
    defaultValues: { priority: "normal", category: "question", ...(followUp ? { subject: followUpSubject(followUp) } : {}) },
    onSuccess: (data) => router.push(`/portal/tickets/${data.id}?created=1`),
    // Every field's error on its field, and the summary above the form too.
    onRefusal: (refusal) => {
      for (const [field, messages] of Object.entries(refusal.fieldErrors ?? {})) form.setError(field as keyof NewPortalTicketInput, { message: messages[0] });
      form.setFormError(refusal.error);
      return true;
    },
  });
  const { register, errors } = form;

  const errorText = (id: string, message?: string) =>
    message ? (
      <p id={id} role="alert" className="text-sm text-red-700">
        {message}
      </p>
    ) : null;

  return (
    <form onSubmit={form.submit} noValidate className="flex flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      {followUp ? <Alert tone="info">This ticket continues {followUp.reference}: our team will see the earlier conversation.</Alert> : null}
      <TextField label="Subject" hint="A few words that say what this is about." error={errors.subject?.message} {...register("subject")} />
      {followUp ? null : <ArticleSuggestions subject={form.watch("subject") ?? ""} formKey={idempotencyKey} />}
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.description} className="text-sm font-medium">
          Describe the problem or question
        </label>
        <textarea
          id={ids.description}
          rows={8}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? `${ids.description}-error` : undefined}
          className={`rounded-md border bg-white px-3 py-2 text-sm ${errors.description ? "border-red-600" : "border-slate-300"}`}
          {...register("description")}
        />
        {errorText(`${ids.description}-error`, errors.description?.message)}
      </div>
      <AttachmentPicker uploads={uploads} />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.category} className="text-sm font-medium">
            Category
          </label>
          <select id={ids.category} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" {...register("category")}>
            {TICKET_CATEGORIES.map((category) => (
              <option key={category} value={category}>
                {CATEGORY_LABEL[category]}
              </option>
            ))}
          </select>
          {errorText(`${ids.category}-error`, errors.category?.message)}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.priority} className="text-sm font-medium">
            How urgent is it?
          </label>
          <select id={ids.priority} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" {...register("priority")}>
            {PRIORITIES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          {errorText(`${ids.priority}-error`, errors.priority?.message)}
        </div>
      </div>
      <div>
        <SubmitButton pending={form.pending} busy="Submitting…">
          Submit ticket
        </SubmitButton>
      </div>
    </form>
  );
}
