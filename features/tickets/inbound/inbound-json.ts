import "server-only";
import { addressParser } from "postal-mime";
import { z } from "zod";
import { InboundEmailError, MAX_ATTACHMENT_BYTES, type InboundEmailInput } from "@/features/tickets/inbound/inbound";

/**
 * The generic gateway's JSON form of an email:
 *
 *   { "from": "Jane Doe <jane@example.com>", "to": ["support@example.com"], "subject": "…",
 *     "text": "…", "html": "…", "messageId": "<…>", "inReplyTo": "<…>", "references": "<…> <…>",
 *     "headers": { "Authentication-Results": "…", "Received-SPF": "…" },
 *     "attachments": [{ "filename": "a.pdf", "contentType": "application/pdf", "contentBase64": "…" }] }
 *
 * `from` may also be { address, name }; `to` and `references` a string or a list; a header that
 * occurs several times may be given as a list, topmost first. Message-ID, In-Reply-To and
 * References are also read from `headers` when the dedicated fields are missing.
 */

const text = z.string().max(64 * 1024 * 1024);
const headerValue = z.union([z.string(), z.array(z.string())]);

export const inboundJsonSchema = z.object({
  from: z.union([z.string().min(1).max(2000), z.object({ address: z.string().min(1).max(320), name: z.string().max(2000).nullish() })], {
    error: 'needs the sender, such as "Jane Doe <jane@example.com>"',
  }),
  to: z.union([z.string().max(10_000), z.array(z.string().max(2000)).max(500)]).nullish(),
  subject: z.string().max(100_000).nullish(),
  text: text.nullish(),
  html: text.nullish(),
  headers: z.record(z.string().max(200), headerValue).nullish(),
  messageId: z.string().max(2000).nullish(),
  inReplyTo: z.string().max(10_000).nullish(),
  references: z.union([z.string().max(100_000), z.array(z.string().max(2000)).max(1000)]).nullish(),
  attachments: z
    .array(
      z.object({
        filename: z.string().max(2000).nullish(),
        contentType: z.string().max(255).nullish(),
        contentBase64: z.string(),
      }),
    )
    .max(100, { error: "has more than 100 attachments" })
    .nullish(),
});

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

function decodedSize(base64: string): number {
  const clean = base64.replace(/[\r\n]/g, "");
  const padding = clean.endsWith("==") ? 2 : clean.endsWith("=") ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - padding;
}

function firstMailbox(value: string): { address: string; name: string | null } | null {
  for (const entry of addressParser(value)) {
    const mailbox = entry.group ? entry.group[0] : entry;
    if (mailbox?.address) return { address: mailbox.address, name: mailbox.name || null };
  }
  return null;
}

function addresses(value: string | string[] | null | undefined): string[] {
  const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list
    .flatMap((item) => addressParser(item).flatMap((entry) => (entry.group ? entry.group.map((member) => member.address) : [entry.address])))
    .filter((address): address is string => !!address);
}

/** Parses the JSON body (already read as text). Throws InboundEmailError 400 / 413. */
export function parseInboundJson(body: string): InboundEmailInput {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InboundEmailError("The request body is not valid JSON.", 400);
  }
  const parsed = inboundJsonSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InboundEmailError(
      `The field "${issue.path.join(".") || "body"}" ${issue.message.replace(/^Invalid input: /, "is invalid: ")}.`.replace(/\.\.$/, "."),
      400,
    );
  }
  const email = parsed.data;

  const from = typeof email.from === "string" ? firstMailbox(email.from) : { address: email.from.address, name: email.from.name ?? null };
  if (!from) throw new InboundEmailError("The email has no valid From address.", 400);

  const headers: Array<readonly [string, string]> = [];
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) headers.push([name.toLowerCase(), item]);
  }
  const header = (name: string) => headers.find(([key]) => key === name)?.[1] ?? null;

  const attachments = (email.attachments ?? []).map((attachment, index) => {
    const name = attachment.filename || `attachment-${index + 1}`;
    if (!BASE64.test(attachment.contentBase64)) throw new InboundEmailError(`The attachment "${name}" is not valid base64.`, 400);
    // Refuse before decoding: a 40 MB string need not become a 30 MB buffer first.
    if (decodedSize(attachment.contentBase64) > MAX_ATTACHMENT_BYTES) throw new InboundEmailError(`The attachment "${name}" is larger than 10 MB.`, 413);
    return {
      filename: attachment.filename ?? null,
      contentType: attachment.contentType ?? null,
      content: new Uint8Array(Buffer.from(attachment.contentBase64, "base64")),
    };
  });

  const references = email.references ?? header("references");
  return {
    source: "json",
    from,
    to: addresses(email.to),
    subject: email.subject ?? header("subject"),
    text: email.text ?? null,
    html: email.html ?? null,
    messageId: email.messageId ?? header("message-id"),
    inReplyTo: email.inReplyTo ?? header("in-reply-to"),
    references: references === null ? [] : Array.isArray(references) ? references : [references],
    headers,
    attachments,
  };
}
