import { randomUUID } from "node:crypto";
import { receiveInboundSms } from "@/features/sms/inbound-sms";
import { lastMessageTo } from "@/features/accounts/two-factor/two-factor-testing";

/** For tests: the owner's phone answering a change waiting for it, as the Twilio webhook stores a text (its signature is tested in features/sms/). */

export const TEST_SMS_NUMBER = "+15005550006";

export const textFrom = (from: string, body: string, messageSid = `SM${randomUUID().replace(/-/g, "")}`) =>
  receiveInboundSms({ messageSid, from, to: TEST_SMS_NUMBER, body });

/** The code in the latest confirmation text to `mobile` ("Reply 123456 within…"). */
export async function confirmationCodeSentTo(mobile: string): Promise<string> {
  const text = (await lastMessageTo(mobile, "sms-code.change_confirmation")).text;
  const code = /Reply (\d{6}) within/.exec(text)?.[1];
  if (!code) throw new Error("no code in the confirmation text");
  return code;
}

/** Replies to the latest confirmation text with its code. */
export async function approveByText(mobile: string) {
  return textFrom(mobile, await confirmationCodeSentTo(mobile));
}
