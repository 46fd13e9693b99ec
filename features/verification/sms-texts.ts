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
}

export function smsCodeText({ purpose, code, codeLifetimeSeconds, originHost }: SmsCodeTextInput): string {
  const lifetime = formatDuration(codeLifetimeSeconds, { style: "words" });
  const body =
    purpose === "caller_verification"
      ? // The one case where the code IS read out to someone: say to whom, and when not to.
        `Your ${PRODUCT_NAME} support code is ${code}. Read it to the agent only if you contacted us. It expires in ${lifetime}.`
      : purpose === "sign_in_second_factor"
        ? `Your ${PRODUCT_NAME} sign-in code is ${code}. It expires in ${lifetime}. Never share it.`
        : `Your ${PRODUCT_NAME} code is ${code}. It expires in ${lifetime}. Never share it.`;
  // Not for caller verification: the person reads that code aloud; there is no page to fill in.
  return originHost && purpose !== "caller_verification" ? `${body}\n\n@${originHost} #${code}` : body;
}
