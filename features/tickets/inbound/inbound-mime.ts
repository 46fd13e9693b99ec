import "server-only";
import PostalMime, { type Address, type Email } from "postal-mime";
import { InboundEmailError, type InboundEmailInput, type InboundSource } from "@/features/tickets/inbound/inbound";

/**
 * Raw RFC 5322 / MIME messages (the gateway's `message/rfc822` body, or the raw copy Resend keeps
 * of a received email) into an InboundEmailInput, with postal-mime. postal-mime itself accepts
 * almost anything; a message is refused as malformed (400) when it does not start with a header
 * block, the parser gives up, or it has no usable From address.
 */

// "Name: value" — a header field name is printable ASCII without ":" (RFC 5322 §2.2).
const FIRST_HEADER = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

function startsWithHeaders(raw: Uint8Array): boolean {
  let head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 4096)).toString("latin1");
  head = head.replace(/^\uFEFF/, "").replace(/^(\r?\n)+/, "");
  // An mbox "From sender date" separator line in front is tolerated.
  if (head.startsWith("From ")) head = head.slice(head.indexOf("\n") + 1);
  return FIRST_HEADER.test(head);
}

function firstMailbox(address: Address | undefined): { address: string; name: string | null } | null {
  if (!address) return null;
  const mailbox = address.group ? address.group[0] : address;
  if (!mailbox?.address) return null;
  return { address: mailbox.address, name: mailbox.name || null };
}

function addressesOf(list: Address[] | undefined): string[] {
  return (list ?? [])
    .flatMap((entry) => (entry.group ? entry.group.map((member) => member.address) : [entry.address]))
    .filter((value): value is string => !!value);
}

/** The top-level Content-Type says the message is HTML only (no text/plain alternative). */
function isHtmlOnly(email: Email): boolean {
  const type = email.headers.find((header) => header.key === "content-type")?.value.toLowerCase() ?? "";
  return /^\s*text\/html\b/.test(type);
}

export async function parseRawEmail(raw: Uint8Array, source: InboundSource = "mime"): Promise<InboundEmailInput> {
  if (raw.byteLength === 0) throw new InboundEmailError("The request body is empty: send the email as raw MIME.", 400);
  if (!startsWithHeaders(raw)) throw new InboundEmailError('This is not a MIME email: it does not start with header lines such as "From: …".', 400);
  let email: Email;
  try {
    email = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer", maxNestingDepth: 64, maxHeadersSize: 2 * 1024 * 1024 });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : "unknown error";
    throw new InboundEmailError(`The MIME email could not be parsed (${reason}).`, 400);
  }
  const from = firstMailbox(email.from) ?? firstMailbox(email.sender);
  if (!from) throw new InboundEmailError("The email has no valid From address.", 400);
  return {
    source,
    from,
    to: addressesOf(email.to),
    subject: email.subject ?? null,
    text: email.text ?? null,
    html: email.html ?? null,
    htmlOnly: isHtmlOnly(email),
    messageId: email.messageId ?? null,
    inReplyTo: email.inReplyTo ?? null,
    references: email.references ? [email.references] : [],
    headers: email.headers.map((header) => [header.key, header.value] as const),
    attachments: email.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.mimeType,
      content: typeof attachment.content === "string" ? Buffer.from(attachment.content, "utf8") : new Uint8Array(attachment.content),
    })),
  };
}
