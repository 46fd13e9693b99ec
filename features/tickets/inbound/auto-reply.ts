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
