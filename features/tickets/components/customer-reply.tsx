"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { closeTicket, replyToOwnTicket } from "@/features/tickets/portal-actions";
import { AttachmentPicker, useAttachmentUploads, WAIT_FOR_UPLOADS_MESSAGE } from "@/features/tickets/components/attachment-picker";
import type { AttachmentLimits } from "@/features/tickets/uploads/limits";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

export function CustomerReply({ ticketId, closed, attachmentLimits }: { ticketId: string; closed: boolean; attachmentLimits: AttachmentLimits }) {
  const router = useRouter();
  const id = useId();
  const [body, setBody] = useState("");
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const uploads = useAttachmentUploads("/api/portal/attachments", attachmentLimits);
  if (closed) return <Alert tone="info">This ticket is closed. Open a new ticket if you need more help.</Alert>;
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id={`${id}-heading`} className="mb-2 text-base font-semibold">
        Reply
      </h2>
      <label htmlFor={id} className="text-sm font-medium">
        Your message
      </label>
      <textarea
        id={id}
        rows={5}
        value={body}
        onChange={(event) => setBody(event.target.value)}
        className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      />
      <div className="mt-3">
        <AttachmentPicker uploads={uploads} />
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button
          disabled={pending}
          onClick={() => {
            if (uploads.busy) {
              setMessage({ tone: "error", text: WAIT_FOR_UPLOADS_MESSAGE });
              return;
            }
            startTransition(async () => {
              const result = await replyToOwnTicket({ ticketId, body, attachmentIds: uploads.readyIds });
              setMessage(result.ok ? { tone: "success", text: "Reply sent." } : { tone: "error", text: result.fieldErrors?.body?.[0] ?? result.error });
              if (result.ok) {
                setBody("");
                uploads.clear();
                router.refresh();
              }
            });
          }}
        >
          {pending ? "Sending…" : "Send reply"}
        </Button>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const result = await closeTicket({ ticketId });
              setMessage(result.ok ? { tone: "success", text: "Ticket closed." } : { tone: "error", text: result.error });
              router.refresh();
            })
          }
        >
          Close this ticket
        </Button>
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
    </section>
  );
}
