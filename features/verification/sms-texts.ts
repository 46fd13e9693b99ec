import type { ChallengePurpose } from "@/platform/db/generated/prisma/enums";
import { formatDuration } from "@/platform/text/durations";

/**
 * SMS bodies for one-time codes. A code in an SMS body is expected; the body is sealed in the
 * outbox and wiped once delivered. Kept short and in plain GSM-7 characters (no "•", no curly
 * quotes) so each fits one 160-character segment.
 */

const PRODUCT_NAME = "Veridesk";

export interface SmsCodeTextInput {
  purpose: ChallengePurpose;
  code: string;
  codeLifetimeSeconds: number;
  /**
   * Host of the site the code is for (e.g. "help.example.com"). Adds the standard origin-bound
   * last line "@host #code", which lets phones offer to fill the code in on that site only, and
   * never on a look-alike phishing site.
   */
  originHost?: string;
  /** contact_verification: the short link to /verify/contact that confirms the number in one tap. */
  link?: string;
  /** change_confirmation: what the owner is asked to approve, masked ("email address to j***@example.com"). */
  changeSummary?: string;
}

export function smsCodeText({ purpose, code, codeLifetimeSeconds, originHost, link, changeSummary }: SmsCodeTextInput): string {
  const lifetime = formatDuration(codeLifetimeSeconds, { style: "words" });
  // Answered by a reply, never typed on a page: no "@host #code" line. Not "YES" (a carrier opt-in keyword).
  const summary = (changeSummary ?? "see your account").replace(/•/g, "*");
  if (purpose === "change_confirmation")
    return `${PRODUCT_NAME}: a change to your account is waiting: ${summary}. Reply ${code} within ${lifetime} to approve it, or NO to block it.`;
  if (purpose === "staff_change_confirmation")
    return `${PRODUCT_NAME}: our staff ${summary}. Reply ${code} within ${lifetime} if you asked for this, or NO if you did not.`;
  const body =
    purpose === "contact_verification"
      ? // An agent asked; the customer confirms on the page the link opens. Fits one segment with a 43-character token.
        `${PRODUCT_NAME}: your code is ${code}. Confirm this number within ${lifetime}${link ? `: ${link}` : " where you were asked for it."}`
      : purpose === "caller_verification"
        ? // The one case where the code IS read out to someone: say to whom, and when not to.
          `Your ${PRODUCT_NAME} support code is ${code}. Read it to the agent only if you contacted us. It expires in ${lifetime}.`
        : purpose === "sign_in_second_factor" || purpose === "new_device_sign_in"
          ? `Your ${PRODUCT_NAME} sign-in code is ${code}. It expires in ${lifetime}. Never share it.`
          : `Your ${PRODUCT_NAME} code is ${code}. It expires in ${lifetime}. Never share it.`;
  // Not for caller verification: the person reads that code aloud; there is no page to fill in.
  // Nor for contact verification: its link already opens the page, and the segment is full.
  return originHost && purpose !== "caller_verification" && purpose !== "contact_verification" ? `${body}\n\n@${originHost} #${code}` : body;
}
