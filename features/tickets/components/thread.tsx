import "server-only";
import { Badge, type BadgeTone } from "@/ui/badge";
import { WholeEmail } from "@/features/tickets/components/whole-email";
import { LocalTime } from "@/ui/local-time";

export interface ThreadMessage {
  id: string;
  kind: "public_reply" | "internal_note";
  body: string;
  createdAt: Date;
  authorName: string | null;
  authorIsStaff: boolean;
  authorAddress: string | null;
  deliveryStatus?: "queued" | "sent" | "delivered" | "bounced" | "failed" | null;
  deliveryDetail?: string | null;
  attachments?: { id: string; filename: string; sizeBytes: number }[];
  /** The whole email, when the body keeps only the customer's new text (staff only). */
  wholeEmail?: string | null;
}

const DELIVERY: Record<NonNullable<ThreadMessage["deliveryStatus"]>, { tone: BadgeTone; text: string }> = {
  queued: { tone: "neutral", text: "Email queued" },
  sent: { tone: "info", text: "Email sent" },
  delivered: { tone: "good", text: "Email delivered" },
  bounced: { tone: "bad", text: "Email bounced" },
  failed: { tone: "bad", text: "Email failed" },
};

/**
 * A ticket's conversation. Bodies are plain text rendered as text (React escapes them), so HTML or
 * script in a message is shown, never run.
 */
export function Thread({
  messages,
  showDelivery = false,
  attachmentBasePath,
  offerArticles = false,
}: {
  messages: ThreadMessage[];
  showDelivery?: boolean;
  /** Where attachments download from: /console/attachments or /portal/attachments (each checks access). */
  attachmentBasePath: string;
  /** Staff view: a support answer offers to become a help-centre article. */
  offerArticles?: boolean;
}) {
  return (
    <ol className="space-y-4" aria-label="Conversation">
      {messages.map((message) => {
        const note = message.kind === "internal_note";
        return (
          <li
            key={message.id}
            className={`rounded-xl border p-4 shadow-sm ${note ? "border-amber-300 bg-amber-50" : message.authorIsStaff ? "border-brand-100 bg-white" : "border-slate-200 bg-white"}`}
          >
            <div className="mb-2 flex flex-wrap items-center justify-between gap-2 text-sm">
              <span>
                <span className="font-semibold">{message.authorName ?? message.authorAddress ?? "Unknown sender"}</span>
                {message.authorIsStaff ? <span className="text-slate-500"> · Support</span> : null}
                {note ? (
                  <>
                    {" "}
                    <Badge tone="warn">Internal note</Badge>
                  </>
                ) : null}
              </span>
              <span className="flex items-center gap-2 text-slate-500">
                {showDelivery && message.deliveryStatus ? (
                  <Badge tone={DELIVERY[message.deliveryStatus].tone}>{DELIVERY[message.deliveryStatus].text}</Badge>
                ) : null}
                <LocalTime value={message.createdAt} />
              </span>
            </div>
            <p className="whitespace-pre-wrap break-words text-sm text-slate-900">{message.body}</p>
            {message.wholeEmail ? <WholeEmail text={message.wholeEmail} /> : null}
            {showDelivery && message.deliveryDetail && (message.deliveryStatus === "bounced" || message.deliveryStatus === "failed") ? (
              <p className="mt-2 text-xs text-red-700">Provider said: {message.deliveryDetail}</p>
            ) : null}
            {offerArticles && message.authorIsStaff && !note ? (
              <p className="mt-2 text-xs">
                <a href={`/console/help-centre/new?fromMessage=${message.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                  Turn this answer into a help-centre article
                </a>
              </p>
            ) : null}
            {message.attachments && message.attachments.length > 0 ? (
              <ul className="mt-2 text-xs text-slate-600" aria-label="Attachments">
                {message.attachments.map((file) => (
                  <li key={file.id}>
                    <span aria-hidden="true">📎 </span>
                    <a href={`${attachmentBasePath}/${file.id}`} download className="font-medium text-brand-700 underline hover:no-underline">
                      Download {file.filename}
                    </a>{" "}
                    ({Math.ceil(file.sizeBytes / 1024)} KB)
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
