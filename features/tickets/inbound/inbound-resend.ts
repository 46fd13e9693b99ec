import "server-only";
import { addressParser } from "postal-mime";
import { Resend } from "resend";
import { InboundEmailError, type InboundEmailInput } from "@/features/tickets/inbound/inbound";
import { parseRawEmail } from "@/features/tickets/inbound/inbound-mime";

/**
 * Fetching an email Resend received. Its "email.received" webhook carries only the envelope
 * (email_id, from, to, subject, message_id, attachment names) — not the body, the headers or
 * the attachments — so the content is fetched with the SDK's receiving API
 * (`resend.emails.receiving.get`, which honours RESEND_BASE_URL):
 *
 * - when Resend offers the raw message (`raw.download_url`), that is downloaded and parsed as
 *   MIME: it has every header in order (several Authentication-Results included) and the
 *   attachments;
 * - otherwise the parsed fields are used, and the attachments are downloaded from the signed URLs
 *   of `resend.emails.receiving.attachments.list`.
 *
 * Any failure throws InboundEmailError 502, so the webhook is answered with an error and Resend
 * delivers it again later.
 */

export const RESEND_FETCH_TIMEOUT_MS = 30_000;
/** Raw messages up to this size are downloaded (25 MB of attachments, base64-encoded, plus bodies). */
export const MAX_RAW_EMAIL_BYTES = 40 * 1024 * 1024;

const EMAIL_ID = /^[A-Za-z0-9_-]{1,128}$/;

function unavailable(what: string): InboundEmailError {
  return new InboundEmailError(`Could not fetch ${what} from Resend; the delivery will be retried.`, 502);
}

/** Downloads a signed URL's content, refusing more than `maxBytes`. */
export async function download(url: string, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(url)) throw unavailable("a download");
  const response = await fetch(url, { signal });
  if (!response.ok || !response.body) throw unavailable("a download");
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new InboundEmailError("The received email is too large to store (over 40 MB).", 413);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new InboundEmailError("The received email is too large to store (over 40 MB).", 413);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function headerList(headers: Record<string, string | string[]> | null): Array<readonly [string, string]> {
  const list: Array<readonly [string, string]> = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") list.push([name.toLowerCase(), item]);
  }
  return list;
}

function mailbox(value: string): { address: string; name: string | null } {
  const [first] = addressParser(value);
  const box = first?.group ? first.group[0] : first;
  return box?.address ? { address: box.address, name: box.name || null } : { address: value.trim(), name: null };
}

export async function fetchResendReceivedEmail(emailId: string, options: { apiKey: string; timeoutMs?: number }): Promise<InboundEmailInput> {
  if (!EMAIL_ID.test(emailId)) throw new InboundEmailError("The webhook names no valid email id.", 400);
  const signal = AbortSignal.timeout(options.timeoutMs ?? RESEND_FETCH_TIMEOUT_MS);
  const resend = new Resend(options.apiKey);
  let received;
  try {
    received = await resend.emails.receiving.get(emailId, {}, { signal });
  } catch {
    throw unavailable("the received email");
  }
  if (received.error || !received.data) throw unavailable("the received email");
  const email = received.data;

  try {
    if (email.raw?.download_url) {
      return await parseRawEmail(await download(email.raw.download_url, MAX_RAW_EMAIL_BYTES, signal), "resend");
    }

    const attachments: InboundEmailInput["attachments"] = [];
    if (email.attachments.length > 0) {
      const listed = await resend.emails.receiving.attachments.list({ emailId }, { signal });
      if (listed.error || !listed.data) throw unavailable("the attachments");
      for (const attachment of listed.data.data) {
        attachments.push({
          filename: attachment.filename ?? null,
          contentType: attachment.content_type,
          // Over-limit attachments are refused by prepareInboundEmail with a clear 413.
          content: await download(attachment.download_url, MAX_RAW_EMAIL_BYTES, signal),
        });
      }
    }
    const headers = headerList(email.headers as Record<string, string | string[]> | null);
    const header = (name: string) => headers.find(([key]) => key === name)?.[1] ?? null;
    return {
      source: "resend",
      from: mailbox(email.from),
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.message_id || header("message-id"),
      inReplyTo: header("in-reply-to"),
      references: header("references") ? [header("references")!] : [],
      headers,
      attachments,
    };
  } catch (error) {
    if (error instanceof InboundEmailError) throw error;
    throw unavailable("the received email's content");
  }
}
