import "server-only";
import { db } from "@/platform/db/client";
import { type AttachmentFileContent, MissingAttachmentError, registerEmailAttachmentResolver } from "@/platform/outbox/attachments";
import { fileStore } from "@/platform/storage";

type AttachmentRow = AttachmentFileContent & { storageKey: string | null };

/** A ticket attachment's bytes: inline (came by email) or in the file store (uploaded). */
export async function attachmentContent(row: AttachmentRow): Promise<AttachmentFileContent | null> {
  if (!row.storageKey) return { filename: row.filename, contentType: row.contentType, content: row.content };
  const content = await fileStore().get(row.storageKey);
  return content ? { filename: row.filename, contentType: row.contentType, content } : null;
}

/**
 * The files an outgoing email carries, by TicketAttachment id, in the given order (the outbox keeps
 * ids only, so a 25 MB file is not copied into every queued row). Only attachments of a sent message
 * count: a pending upload's id never goes out.
 */
export async function attachmentFilesForEmail(ids: readonly string[]): Promise<AttachmentFileContent[]> {
  if (ids.length === 0) return [];
  const rows = await db.ticketAttachment.findMany({
    where: { id: { in: [...ids] }, messageId: { not: null } },
    select: { id: true, filename: true, contentType: true, content: true, storageKey: true },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const files: AttachmentFileContent[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    const file = row ? await attachmentContent(row) : null;
    if (!file) throw new MissingAttachmentError(ids.length - files.length);
    files.push(file);
  }
  return files;
}

/** At start-up (instrumentation.ts): the outbox sends ticket attachments by their ids. */
export function registerTicketEmailAttachments(): void {
  registerEmailAttachmentResolver(attachmentFilesForEmail);
}
