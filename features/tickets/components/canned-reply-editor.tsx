"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { saveCanned } from "@/features/tickets/actions";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";

/** Creates (reply = null) or edits one canned reply. */
export function CannedReplyEditor({ reply }: { reply: { id: string; title: string; body: string } | null }) {
  const router = useRouter();
  const ids = { title: useId(), body: useId() };
  const [title, setTitle] = useState(reply?.title ?? "");
  const [body, setBody] = useState(reply?.body ?? "");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <section aria-label={reply ? `Canned reply: ${reply.title}` : "New canned reply"} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="mb-3 text-base font-semibold">{reply ? reply.title : "New canned reply"}</h2>
      <div className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.title} className="text-sm font-medium">
            Title
          </label>
          <input
            id={ids.title}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            aria-invalid={errors.title ? true : undefined}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
          {errors.title ? (
            <p role="alert" className="text-sm text-red-700">
              {errors.title[0]}
            </p>
          ) : null}
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.body} className="text-sm font-medium">
            Text
          </label>
          <textarea
            id={ids.body}
            rows={4}
            value={body}
            onChange={(event) => setBody(event.target.value)}
            aria-invalid={errors.body ? true : undefined}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
          {errors.body ? (
            <p role="alert" className="text-sm text-red-700">
              {errors.body[0]}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button
            disabled={pending}
            onClick={() =>
              startTransition(async () => {
                const result = await saveCanned({ id: reply?.id, title, body });
                setErrors(result.ok ? {} : (result.fieldErrors ?? {}));
                setMessage(result.ok ? { tone: "success", text: reply ? "Saved." : "Canned reply added." } : { tone: "error", text: result.error });
                if (result.ok) {
                  if (!reply) {
                    setTitle("");
                    setBody("");
                  }
                  router.refresh();
                }
              })
            }
          >
            {pending ? "Saving…" : reply ? "Save changes" : "Add canned reply"}
          </Button>
          {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
        </div>
      </div>
    </section>
  );
}
