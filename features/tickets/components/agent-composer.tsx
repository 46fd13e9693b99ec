"use client";

import { useRouter } from "next/navigation";
import { ArticlePicker } from "@/features/help-centre/components/article-picker";
import { useId, useRef, useState, useTransition } from "react";
import { addNote, sendAgentReply } from "@/features/tickets/actions";
import { replyOutcome } from "@/features/tickets/reply-outcome";
import { AttachmentPicker, useAttachmentUploads, WAIT_FOR_UPLOADS_MESSAGE } from "@/features/tickets/components/attachment-picker";
import type { AttachmentLimits } from "@/features/tickets/uploads/limits";
import type { AgentReplyStatus } from "@/features/tickets/schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

interface Props {
  ticketId: string;
  /** Where a reply will be emailed, as the server decides it (replyRecipient in features/tickets/desk.ts)… */
  recipient: string | null;
  /** …or why it will not be. */
  notEmailedBecause: string | null;
  cannedReplies: { id: string; title: string; body: string }[];
  bouncing: boolean;
  attachmentLimits: AttachmentLimits;
}

/** Reply to the customer (sent by email) or add an internal note; canned replies are inserted and stay editable. */
export function AgentComposer({ ticketId, recipient, notEmailedBecause, cannedReplies, bouncing, attachmentLimits }: Props) {
  const router = useRouter();
  const [mode, setMode] = useState<"reply" | "note">("reply");
  const [body, setBody] = useState("");
  const [result, setResult] = useState<{ tone: "success" | "warning" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const bodyId = useId();
  const cannedId = useId();
  const uploads = useAttachmentUploads("/api/console/attachments", attachmentLimits);

  /** `thenStatus`: "Send and set pending / mark solved" — one step on the server, or nothing at all. */
  function submit(thenStatus?: AgentReplyStatus) {
    setResult(null);
    if (uploads.busy) {
      setResult({ tone: "error", text: WAIT_FOR_UPLOADS_MESSAGE });
      return;
    }
    startTransition(async () => {
      const input = { ticketId, body, attachmentIds: uploads.readyIds };
      const response = mode === "reply" ? await sendAgentReply({ ...input, ...(thenStatus ? { thenStatus } : {}) }) : await addNote(input);
      if (!response.ok) {
        setResult({ tone: "error", text: response.fieldErrors?.body?.[0] ?? response.error });
        textarea.current?.focus();
        return;
      }
      setBody("");
      uploads.clear();
      // What the server actually did, read from its answer (emailedTo / notEmailedBecause), not what this page expected.
      setResult("emailedTo" in response.data ? replyOutcome(response.data, thenStatus) : { tone: "success", text: "Internal note added." });
      router.refresh();
    });
  }

  return (
    <section aria-labelledby="composer-heading" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="composer-heading" className="sr-only">
        Answer
      </h2>
      <div role="radiogroup" aria-label="Kind of message" className="mb-3 flex gap-2">
        {(["reply", "note"] as const).map((kind) => (
          <label
            key={kind}
            className={`cursor-pointer rounded-md border px-3 py-1.5 text-sm font-medium ${mode === kind ? "border-brand-600 bg-brand-50 text-brand-800" : "border-slate-300"}`}
          >
            <input type="radio" name="composer-kind" value={kind} checked={mode === kind} onChange={() => setMode(kind)} className="sr-only" />
            {kind === "reply" ? "Public reply" : "Internal note"}
          </label>
        ))}
      </div>
      {mode === "reply" && bouncing ? (
        <div className="mb-3">
          <Alert tone="warning">
            The requester&apos;s address is bouncing: this reply will probably not arrive. Consider another verified address from the identity panel.
          </Alert>
        </div>
      ) : null}
      {mode === "reply" && cannedReplies.length > 0 ? (
        <div className="mb-3 flex flex-wrap items-end gap-2">
          <div className="flex flex-col gap-1">
            <label htmlFor={cannedId} className="text-sm font-medium">
              Canned reply
            </label>
            <select
              id={cannedId}
              className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
              defaultValue=""
              onChange={(event) => {
                const chosen = cannedReplies.find((reply) => reply.id === event.target.value);
                if (chosen) {
                  setBody((current) => (current ? `${current}\n\n${chosen.body}` : chosen.body));
                  textarea.current?.focus();
                }
                event.target.value = "";
              }}
            >
              <option value="">Insert a canned reply…</option>
              {cannedReplies.map((reply) => (
                <option key={reply.id} value={reply.id}>
                  {reply.title}
                </option>
              ))}
            </select>
          </div>
        </div>
      ) : null}
      <details className="mb-3 rounded-md border border-slate-200 px-3 py-2">
        <summary className="cursor-pointer text-sm font-medium">Insert from the help centre</summary>
        <div className="mt-2">
          <ArticlePicker
            forCustomer={mode === "reply"}
            onInsert={(text) => {
              setBody((current) => (current ? `${current}\n\n${text}` : text));
              textarea.current?.focus();
            }}
          />
        </div>
      </details>
      <div className="flex flex-col gap-1">
        <label htmlFor={bodyId} className="text-sm font-medium">
          {mode === "reply"
            ? recipient
              ? `Reply to ${recipient}`
              : `Reply (not emailed: ${notEmailedBecause ?? "no email address on this ticket"})`
            : "Note for the team (the customer never sees it)"}
        </label>
        <textarea
          id={bodyId}
          ref={textarea}
          // Read by LiveUpdates: text here makes this agent "replying" to the others on the ticket.
          data-live-composer
          rows={6}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        />
      </div>
      <div className="mt-3">
        <AttachmentPicker uploads={uploads} label={mode === "reply" ? "Attach files (sent with the email)" : "Attach files to the note"} />
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <Button type="button" disabled={pending} onClick={() => submit()} variant={mode === "reply" ? "primary" : "secondary"}>
          {pending ? "Saving…" : mode === "reply" ? "Send reply" : "Add internal note"}
        </Button>
        {mode === "reply" ? (
          <>
            <Button type="button" disabled={pending} onClick={() => submit("pending")} variant="secondary">
              Send and set pending
            </Button>
            <Button type="button" disabled={pending} onClick={() => submit("solved")} variant="secondary">
              Send and mark solved
            </Button>
          </>
        ) : null}
        {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
      </div>
    </section>
  );
}
