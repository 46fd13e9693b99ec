"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { closeTicket, reopenTicket, replyToOwnTicket } from "@/features/tickets/portal-actions";
import { AttachmentPicker, useAttachmentUploads, WAIT_FOR_UPLOADS_MESSAGE } from "@/features/tickets/components/attachment-picker";
import type { AttachmentLimits } from "@/features/tickets/uploads/limits";
import { Alert } from "@/ui/alert";
import { Button, buttonClasses } from "@/ui/button";

/**
 * What a customer can do with their ticket, decided on the server (features/tickets/status-rules.ts):
 *   working  — reply, or close it (after confirming);
 *   solved   — reply or reopen (both reopen it) until `reopenUntil`, or close it;
 *   finished — closed, or solved longer ago than the reopen window: a follow-up ticket instead.
 */
export type CustomerTicketState = { kind: "working" } | { kind: "solved"; reopenUntil: string } | { kind: "finished"; reason: string; followUpHref: string };

export function CustomerReply({
  ticketId,
  reference,
  state,
  attachmentLimits,
}: {
  ticketId: string;
  reference: string;
  state: CustomerTicketState;
  attachmentLimits: AttachmentLimits;
}) {
  const router = useRouter();
  const id = useId();
  const [body, setBody] = useState("");
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, startTransition] = useTransition();
  const uploads = useAttachmentUploads("/api/portal/attachments", attachmentLimits);
  const closeButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // Focus follows the question: onto "Yes, close" when it appears, back to "Close" when it goes.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (wasConfirming.current) closeButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (state.kind === "finished") {
    return (
      <section aria-labelledby={`${id}-heading`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id={`${id}-heading`} className="mb-2 text-base font-semibold">
          Need more help?
        </h2>
        <p className="text-sm text-slate-700">{state.reason}</p>
        <Link href={state.followUpHref} className={buttonClasses("primary", "mt-3")}>
          Open a follow-up ticket
        </Link>
      </section>
    );
  }

  const run = (work: () => Promise<{ ok: true } | { ok: false; error: string; fieldErrors?: Record<string, string[]> }>, success: string, after?: () => void) =>
    startTransition(async () => {
      const result = await work();
      setMessage(result.ok ? { tone: "success", text: success } : { tone: "error", text: result.fieldErrors?.body?.[0] ?? result.error });
      if (result.ok) after?.();
      router.refresh();
    });

  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id={`${id}-heading`} className="mb-2 text-base font-semibold">
        Reply
      </h2>
      {state.kind === "solved" ? (
        <p className="mb-3 text-sm text-slate-700">We marked this ticket solved. Not solved after all? Reply or reopen it until {state.reopenUntil}.</p>
      ) : null}
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
            run(
              () => replyToOwnTicket({ ticketId, body, attachmentIds: uploads.readyIds }),
              "Reply sent.",
              () => {
                setBody("");
                uploads.clear();
              },
            );
          }}
        >
          {pending ? "Sending…" : "Send reply"}
        </Button>
        {state.kind === "solved" ? (
          <Button variant="secondary" disabled={pending} onClick={() => run(() => reopenTicket({ ticketId }), "Ticket reopened. We will get back to you.")}>
            Reopen ticket
          </Button>
        ) : null}
        {!confirming ? (
          <Button ref={closeButton} variant="secondary" disabled={pending} aria-haspopup="dialog" onClick={() => setConfirming(true)}>
            Close this ticket
          </Button>
        ) : null}
      </div>
      {confirming ? (
        <div
          role="alertdialog"
          aria-modal="false"
          aria-labelledby={`${id}-confirm-title`}
          aria-describedby={`${id}-confirm-text`}
          className="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
          onKeyDown={(event) => {
            if (event.key === "Escape") setConfirming(false);
          }}
        >
          <p id={`${id}-confirm-title`} className="font-semibold text-amber-900">
            Close {reference}?
          </p>
          <p id={`${id}-confirm-text`} className="mt-1 text-sm text-amber-900">
            You will not be able to reply to it any more. If you need help again, you can open a follow-up ticket.
          </p>
          <div className="mt-3 flex flex-wrap gap-3">
            <Button
              ref={confirmButton}
              variant="danger"
              disabled={pending}
              onClick={() =>
                run(
                  () => closeTicket({ ticketId }),
                  "Ticket closed.",
                  () => setConfirming(false),
                )
              }
            >
              Yes, close ticket
            </Button>
            <Button variant="secondary" disabled={pending} onClick={() => setConfirming(false)}>
              Keep it open
            </Button>
          </div>
        </div>
      ) : null}
      {message ? (
        <div className="mt-3">
          <Alert tone={message.tone}>{message.text}</Alert>
        </div>
      ) : null}
    </section>
  );
}
