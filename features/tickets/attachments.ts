import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { isUuid } from "@/platform/ids";
import { attachmentContent } from "@/features/tickets/attachment-files";

/**
 * Serving ticket attachments. Files come from email senders, so they are always sent as a
 * download (Content-Disposition: attachment), never rendered in our origin: only a few inert types
 * keep their content type, everything else (HTML, SVG, scripts…) is application/octet-stream, with
 * nosniff and a sandboxing CSP in case a browser still tries to show it. Veridesk does not scan
 * attachments for malware; deployments that need it put a scanning gateway in front of inbound mail.
 */
const INERT_TYPES = new Set(["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", "text/csv"]);

export interface AttachmentFile {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

const FILE_FIELDS = { filename: true, contentType: true, content: true, storageKey: true } as const;

/** Any attachment of any ticket, for staff (the console area). */
export async function attachmentForStaff(attachmentId: string): Promise<AttachmentFile | null> {
  // A pending upload (no message yet) is its uploader's alone.
  const row = await db.ticketAttachment.findFirst({ where: { id: attachmentId, messageId: { not: null } }, select: FILE_FIELDS });
  return row ? attachmentContent(row) : null;
}

/** An attachment on a public message of the customer's own ticket; null for anything else (no hint it exists). */
export async function attachmentForCustomer(actor: Pick<Actor, "userId">, attachmentId: string): Promise<AttachmentFile | null> {
  const row = await db.ticketAttachment.findFirst({
    where: { id: attachmentId, message: { kind: "public_reply", ticket: { requesterUserId: actor.userId } } },
    select: FILE_FIELDS,
  });
  return row ? attachmentContent(row) : null;
}

/** A name safe for the header: the ASCII fallback drops quotes, slashes and controls; filename* keeps the real one. */
export function contentDisposition(filename: string): string {
  const base = filename.split(/[\\/]/).pop() || "attachment";
  const ascii =
    base
      .replace(/[^\x20-\x7e]/g, "_")
      .replace(/["\\;]/g, "_")
      .trim() || "attachment";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

export function attachmentResponse(file: AttachmentFile | null): Response {
  if (!file) return Response.json({ error: "There is no such attachment." }, { status: 404 });
  const declared = (file.contentType.split(";")[0] ?? "").trim().toLowerCase();
  return new Response(Buffer.from(file.content), {
    headers: {
      "Content-Type": INERT_TYPES.has(declared) ? declared : "application/octet-stream",
      "Content-Disposition": contentDisposition(file.filename),
      "Content-Length": String(file.content.byteLength),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, no-store",
    },
  });
}

export function attachmentIdFrom(params: Record<string, string | string[]>): string | null {
  const id = params.attachmentId;
  return isUuid(id) ? id : null;
}
