import "server-only";
import type { HeaderList } from "@/features/tickets/inbound/authentication-results";

/**
 * Whether an email was sent by a machine answering another email (out-of-office notices,
 * vacation responders, ticket-system acknowledgements), from the headers that say so:
 *   - Auto-Submitted (RFC 3834) with any value but "no" — Exchange, Gmail, Postfix vacation…;
 *   - X-Autoreply / X-Autorespond (older responders), Precedence: auto_reply.
 * Subjects such as "Out of office" are not used: customers write those words too.
 * Such mail is still filed on its ticket (nothing is lost) but does not reopen or bump it.
 */
export function isAutoReply(headers: HeaderList): boolean {
  for (const [rawName, rawValue] of headers) {
    const name = rawName.trim().toLowerCase();
    const value = rawValue.trim().toLowerCase();
    if (name === "auto-submitted" && value !== "" && !/^no\b/.test(value)) return true;
    if ((name === "x-autoreply" || name === "x-autorespond") && value !== "" && value !== "no") return true;
    if (name === "precedence" && value === "auto_reply") return true;
  }
  return false;
}

const NO_ANSWER_LOCAL_PARTS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|listserv|majordomo|owner-.+|.+-request|.+-owner)$/i;

/**
 * Why a new ticket opened by this email gets no "we received your request" answer, or null when
 * it should get one. Answering machines must not answer machines (RFC 3834 §2): never
 *   - an automatic email (isAutoReply: out-of-office, another helpdesk's acknowledgement…);
 *   - bulk or list mail: Precedence bulk/list/junk, List-Id or List-Unsubscribe (newsletters,
 *     mailing lists), or a sender asking for no automatic answers (X-Auto-Response-Suppress);
 *   - a bounce or a no-reply sender (mailer-daemon@, postmaster@, noreply@, list -request/-owner);
 *   - our own mail coming back (From is our sending address, or its Message-ID is one of ours).
 * The per-sender hourly limit (features/notifications/notify.ts) stops what slips through.
 */
export function acknowledgementRefusal(
  headers: HeaderList,
  sender: { address: string; messageId: string | null },
  own: { address: string; isOwnMessageId: (id: string) => boolean },
): string | null {
  if (isAutoReply(headers)) return "automatic email";
  for (const [rawName, rawValue] of headers) {
    const name = rawName.trim().toLowerCase();
    const value = rawValue.trim().toLowerCase();
    if (name === "precedence" && /^(bulk|list|junk)\b/.test(value)) return "bulk or list mail";
    if (name === "list-id" || name === "list-unsubscribe") return "bulk or list mail";
    if (name === "x-auto-response-suppress" && /\b(all|autoreply)\b/.test(value)) return "the sender asks for no automatic answers";
  }
  const address = sender.address.trim().toLowerCase();
  const localPart = address.slice(0, address.lastIndexOf("@"));
  if (NO_ANSWER_LOCAL_PARTS.test(localPart)) return "a bounce or no-reply sender";
  if (address === own.address.trim().toLowerCase()) return "our own mail";
  if (sender.messageId && own.isOwnMessageId(sender.messageId)) return "our own mail";
  return null;
}
