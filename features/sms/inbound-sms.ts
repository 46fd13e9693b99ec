import "server-only";
import { recordAudit } from "@/platform/audit";
import { db } from "@/platform/db/client";
import { isUniqueViolation } from "@/platform/db/errors";
import { clearSmsOptOut, recordSmsOptOut } from "@/platform/outbox/sms-opt-outs";
import { isValidTwilioSignature } from "@/platform/sms/twilio-signature";
import { storableDeep, truncateText } from "@/platform/text/schemas";
import { readRequestBody } from "@/features/tickets/inbound/inbound-http";
import { InboundEmailError } from "@/features/tickets/inbound/inbound";
import { answerChangeByText, refuseChangesOnOptOut, type TextAnswer } from "@/features/accounts/text-confirmation/answer-by-text";
import { normalizeCodeInput } from "@/features/verification/codes";

/**
 * Texts sent to our SMS number, as Twilio posts them to /api/webhooks/twilio/sms (a form POST
 * signed with X-Twilio-Signature). Refused: an unsigned or forged request (403), one for a number
 * that is not our TWILIO_FROM_NUMBER (403), one missing MessageSid/From/To/Body (400). A replay
 * (a MessageSid seen before, recorded first in WebhookReceipt) is acknowledged and changes nothing.
 * Every accepted text is stored (InboundSms); one that is not a keyword may answer a change waiting
 * for that number ("reply <code> to approve, or NO", features/accounts/text-confirmation/), and
 * is marked handled once it has. Every answer is empty TwiML.
 *
 * Keywords, as Twilio itself treats them on long codes and Messaging Services (the whole text is
 * the keyword, any case, spaces ignored; "stop texting me" is not one):
 *  - STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT: opted out (SmsOptOut); the
 *    outbox fails every later text to the number and the code engine refuses to send one;
 *  - START, UNSTOP, YES: opted in again (YES too, because Twilio re-subscribes on it whatever we do:
 *    never use YES to approve anything);
 *  - HELP, INFO: nothing. Twilio sends the carrier-required confirmations and help reply itself
 *    (its default opt-out handling, or the Messaging Service's Advanced Opt-Out texts); a TwiML
 *    reply from us would text the person twice, so every answer is an empty <Response/>.
 * The body and the numbers stay out of logs and audit details (ids only).
 */

export const OPT_OUT_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"] as const;
export const OPT_IN_KEYWORDS = ["START", "UNSTOP", "YES"] as const;
export const HELP_KEYWORDS = ["HELP", "INFO"] as const;

export type SmsKeyword = "stop" | "start" | "help";

/** The keyword a text is, or null when it is anything else. */
export function smsKeyword(body: string): SmsKeyword | null {
  const word = body.trim().toUpperCase();
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return "stop";
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return "start";
  if ((HELP_KEYWORDS as readonly string[]).includes(word)) return "help";
  return null;
}

export const TWILIO_SMS_RECEIPT_SOURCE = "twilio-sms";
/** Twilio joins long texts up to 1,600 characters; a form POST of one is a few kB. */
export const MAX_TWILIO_WEBHOOK_BYTES = 64 * 1024;
const MAX_BODY_CHARACTERS = 1600;
const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGE_SID = /^[A-Za-z0-9]{10,64}$/;

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function twiml(): Response {
  return new Response(EMPTY_TWIML, { status: 200, headers: { "Content-Type": "text/xml; charset=utf-8" } });
}

function refusal(status: 400 | 403 | 413 | 415 | 503, error: string): Response {
  return Response.json({ error }, { status });
}

export interface InboundSmsInput {
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

export type InboundSmsOutcome =
  | { status: "stored"; inboundSmsId: string; keyword: SmsKeyword | null; answer?: TextAnswer }
  | { status: "already_received"; answer?: TextAnswer };

/** Stores one text and applies its keyword, in one transaction; a MessageSid seen before changes nothing. */
export async function receiveInboundSms(input: InboundSmsInput, now: Date = new Date()): Promise<InboundSmsOutcome> {
  const clean = storableDeep(input);
  const body = truncateText(clean.body, MAX_BODY_CHARACTERS, "");
  const keyword = smsKeyword(body);
  try {
    const stored = await db.$transaction(async (tx) => {
      // Insert first: a replayed (or concurrently repeated) delivery fails here before anything is applied.
      await tx.webhookReceipt.create({
        data: { id: `${TWILIO_SMS_RECEIPT_SOURCE}:${clean.messageSid}`, source: TWILIO_SMS_RECEIPT_SOURCE, type: keyword ?? "message" },
      });
      const stored = await tx.inboundSms.create({
        // A keyword is all there is to do; any other text may answer a change waiting for this number (below).
        data: {
          messageSid: clean.messageSid,
          fromE164: clean.from,
          toE164: clean.to,
          body,
          keyword,
          receivedAt: now,
          handledAt: keyword && keyword !== "stop" ? now : null,
        },
        select: { id: true },
      });
      if (keyword === "stop") {
        await recordSmsOptOut(clean.from, now, tx);
        await recordAudit({ action: "sms.opted_out", subjectType: "InboundSms", subjectId: stored.id, details: { inboundSmsId: stored.id } }, tx);
      } else if (keyword === "start") {
        const wasOptedOut = await clearSmsOptOut(clean.from, tx);
        if (wasOptedOut) {
          await recordAudit({ action: "sms.opted_in", subjectType: "InboundSms", subjectId: stored.id, details: { inboundSmsId: stored.id } }, tx);
        }
      }
      return { status: "stored", inboundSmsId: stored.id, keyword } as const;
    });
    if (stored.keyword && stored.keyword !== "stop") return stored;
    const answer = await handleReply(stored.inboundSmsId, clean.from, body, stored.keyword, now);
    return answer ? { ...stored, answer } : stored;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Acknowledged only once handled: a delivery Twilio retries after our failure is handled now.
    const earlier = await db.inboundSms.findUnique({
      where: { messageSid: clean.messageSid },
      select: { id: true, handledAt: true, fromE164: true, body: true, keyword: true },
    });
    if (!earlier || earlier.handledAt) return { status: "already_received" };
    const answer = await handleReply(earlier.id, earlier.fromE164, earlier.body, earlier.keyword, now);
    return answer ? { status: "already_received", answer } : { status: "already_received" };
  }
}

/**
 * A text that may answer a change waiting for this number (a code, NO, or STOP, which refuses it
 * too), or nothing. Marked handled once done; a code is not kept (it was a secret, used or not).
 */
async function handleReply(inboundSmsId: string, fromE164: string, body: string, keyword: string | null, now: Date): Promise<TextAnswer | undefined> {
  // The text's row is locked while it is handled: a delivery Twilio repeats at the same moment waits, then finds it handled.
  return db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<
        { handledAt: Date | null }[]
      >`SELECT "handledAt" FROM "InboundSms" WHERE "id" = CAST(${inboundSmsId} AS uuid) FOR UPDATE`;
      if (!row || row.handledAt) return undefined;
      const answer =
        keyword === "stop" ? await refuseChangesOnOptOut({ fromE164, inboundSmsId, now }) : await answerChangeByText({ fromE164, body, inboundSmsId, now });
      const wasCode = keyword === null && normalizeCodeInput(body) !== null;
      await tx.inboundSms.update({ where: { id: inboundSmsId }, data: { handledAt: new Date(), ...(wasCode ? { body: "[code]" } : {}) } });
      return answer;
    },
    { timeout: 30_000 },
  );
}

export interface TwilioInboundConfig {
  authToken: string | undefined;
  /** Our number (TWILIO_FROM_NUMBER): texts to any other are refused. */
  fromNumber: string | undefined;
  /** The public URL Twilio was given for this webhook, without the query string (publicBaseUrl() + path). */
  publicUrl: string;
  now?: Date;
}

/** The whole webhook: size and type, signature, parameters, our number; then receiveInboundSms. */
export async function handleTwilioInboundSms(request: Request, config: TwilioInboundConfig): Promise<Response> {
  if (!config.authToken || !config.fromNumber) return refusal(503, "SMS is not configured on this server.");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return refusal(415, "Expected a form POST (application/x-www-form-urlencoded).");
  // Read with a bound as it streams: a chunked body has no Content-Length to refuse up front.
  let raw: string;
  try {
    raw = new TextDecoder().decode(await readRequestBody(request, MAX_TWILIO_WEBHOOK_BYTES));
  } catch (error) {
    if (error instanceof InboundEmailError) return refusal(413, "The request body is too large or arrived incomplete.");
    throw error;
  }

  const params = new URLSearchParams(raw);
  // The exact URL Twilio requested: our public address (not what a proxy forwarded) and the query string as sent.
  const url = config.publicUrl + new URL(request.url).search;
  if (!isValidTwilioSignature(config.authToken, url, params, request.headers.get("x-twilio-signature"))) {
    console.warn("[webhooks] Twilio SMS: refused a request with a missing or wrong X-Twilio-Signature");
    return refusal(403, "The request is not signed by Twilio for this URL.");
  }

  const messageSid = params.get("MessageSid") ?? params.get("SmsSid");
  const from = params.get("From");
  const to = params.get("To");
  const body = params.get("Body");
  if (!messageSid || !MESSAGE_SID.test(messageSid) || !from || !to || body === null) {
    return refusal(400, "MessageSid, From, To and Body are required.");
  }
  if (to.trim() !== config.fromNumber) {
    console.warn(`[webhooks] Twilio SMS ${messageSid}: refused, sent to a number that is not TWILIO_FROM_NUMBER`);
    return refusal(403, "That number is not this server's SMS number.");
  }
  if (!E164.test(from.trim())) return refusal(400, "From must be an E.164 number.");

  const outcome = await receiveInboundSms({ messageSid, from: from.trim(), to: to.trim(), body }, config.now);
  if (outcome.status === "already_received") console.info(`[webhooks] Twilio SMS ${messageSid}: seen before, ignored`);
  return twiml();
}
