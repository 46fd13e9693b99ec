import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "@/platform/auth/sessions";
import { db, type Prisma } from "@/platform/db/client";
import { DomainError } from "@/platform/errors";
import { fileStore } from "@/platform/storage";
import { type AttachmentLimits, checkUploadedFile, formatBytes, MAX_FILES_PER_MESSAGE } from "@/features/tickets/uploads/file-check";

/**
 * Files uploaded from the portal and the console. An upload is stored at once as a *pending*
 * TicketAttachment (no message yet) owned by its uploader; sending the message claims it by id in
 * the message's own transaction. So a progress bar can show each file going up, a failed upload
 * leaves nothing behind, and a failed send leaves the uploads pending (and swept a day later).
 */

/** A pending upload not sent with a message within this time is swept. */
export const PENDING_UPLOAD_TTL_MS = 24 * 60 * 60_000;
/** Pending uploads one person may hold at once: the uploads endpoint is not a file locker. */
export const MAX_PENDING_UPLOADS_PER_PERSON = 40;

/** Bytes one person may hold pending, in messages' worth: enough to prepare a send and its retry, not a file locker. */
export const MAX_PENDING_MESSAGES_OF_BYTES = 2;

const UPLOAD_TRANSACTION = { maxWait: 5_000, timeout: 60_000 } as const;

export type UploadOutcome =
  | { ok: true; upload: { id: string; filename: string; contentType: string; sizeBytes: number } }
  | { ok: false; status: 400 | 413 | 415 | 429; message: string };

export async function storeUpload(
  actor: Pick<Actor, "userId">,
  rawName: string,
  content: Uint8Array,
  limits: AttachmentLimits,
  now = new Date(),
): Promise<UploadOutcome> {
  const check = await checkUploadedFile(rawName, content, limits);
  if (!check.ok) return check;
  await sweepExpiredUploads(now);
  const store = fileStore();
  const storageKey = `attachment/${randomUUID()}`;
  const maxPendingBytes = MAX_PENDING_MESSAGES_OF_BYTES * limits.maxMessageBytes;
  // The bytes and the row that names them commit together (the PostgreSQL store joins the transaction).
  // Prisma's default 5 s was too short for 25 MB on a loaded machine (scripts/bench-uploads.ts): the
  // transaction expired and nothing was stored; give it a minute, stated.
  const upload = await db.$transaction(async (tx) => {
    // One person's uploads take turns here, on every instance: otherwise parallel requests would
    // all count the same pending files and all pass the caps below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`pending-uploads:${actor.userId}`}, 0))`;
    const pending = await tx.ticketAttachment.aggregate({
      where: { uploaderUserId: actor.userId, messageId: null },
      _count: { _all: true },
      _sum: { sizeBytes: true },
    });
    const count = pending._count._all;
    if (count >= MAX_PENDING_UPLOADS_PER_PERSON) {
      return { refused: `You have ${count} files waiting to be sent. Send or remove some before uploading more.` };
    }
    const pendingBytes = pending._sum.sizeBytes ?? 0;
    if (pendingBytes + content.byteLength > maxPendingBytes) {
      return {
        refused: `Your files waiting to be sent already add up to ${formatBytes(pendingBytes)}; together they can be ${formatBytes(maxPendingBytes)} at most. Send or remove some before uploading more.`,
      };
    }
    await store.put(storageKey, content, tx);
    return tx.ticketAttachment.create({
      data: {
        filename: check.filename,
        contentType: check.contentType,
        sizeBytes: content.byteLength,
        content: new Uint8Array(0),
        storageKey,
        uploaderUserId: actor.userId,
        pendingUntil: new Date(now.getTime() + PENDING_UPLOAD_TTL_MS),
      },
      select: { id: true, filename: true, contentType: true, sizeBytes: true },
    });
  }, UPLOAD_TRANSACTION);
  if ("refused" in upload) return { ok: false, status: 429, message: upload.refused };
  return { ok: true, upload };
}

/** Removes one of the person's own pending uploads (the × next to a file). Anything else: false. */
export async function deletePendingUpload(actor: Pick<Actor, "userId">, uploadId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    // Deleted and checked in one statement: a send claiming this file meanwhile makes it match
    // nothing, so a sent message's attachment (and its bytes) is never removed.
    const [row] = await tx.$queryRaw<{ storageKey: string | null }[]>`
      DELETE FROM "TicketAttachment"
      WHERE "id" = ${uploadId}::uuid AND "uploaderUserId" = ${actor.userId}::uuid AND "messageId" IS NULL
      RETURNING "storageKey"`;
    if (!row) return false;
    if (row.storageKey) await fileStore().delete([row.storageKey], tx);
    return true;
  });
}

/**
 * Attaches the person's pending uploads to a message, inside the message's transaction: every id
 * must be theirs, still pending and unexpired, and the files together within the message limit,
 * or nothing is attached (the caller's transaction rolls back with the thrown DomainError).
 */
export async function claimUploads(
  tx: Prisma.TransactionClient,
  actor: Pick<Actor, "userId">,
  messageId: string,
  uploadIds: readonly string[] | undefined,
  limits: AttachmentLimits,
  now = new Date(),
): Promise<string[]> {
  const ids = [...new Set(uploadIds ?? [])];
  if (ids.length === 0) return [];
  if (ids.length > MAX_FILES_PER_MESSAGE)
    throw new DomainError(`A message can carry ${MAX_FILES_PER_MESSAGE} files at most. Remove some and send again.`, "invalid");
  const own = { id: { in: ids }, uploaderUserId: actor.userId, messageId: null, pendingUntil: { gt: now } };
  const rows = await tx.ticketAttachment.findMany({ where: own, select: { id: true, sizeBytes: true } });
  if (rows.length !== ids.length) {
    throw new DomainError(
      "One of the attached files is no longer available (it was removed or waited over a day). Remove it, attach it again and send.",
      "invalid",
    );
  }
  const total = rows.reduce((sum, row) => sum + row.sizeBytes, 0);
  if (total > limits.maxMessageBytes) {
    throw new DomainError(
      `The files add up to ${formatBytes(total)}; one message can carry ${formatBytes(limits.maxMessageBytes)} at most. Remove some and send again.`,
      "invalid",
    );
  }
  const claimed = await tx.ticketAttachment.updateMany({ where: own, data: { messageId, pendingUntil: null } });
  // A concurrent send claimed one of them first: this message gets none.
  if (claimed.count !== ids.length)
    throw new DomainError("One of the attached files was just sent with another message. Reload the page and try again.", "conflict");
  return ids;
}

/** Deletes pending uploads past their time, with their stored bytes. Safe on every instance at once. */
export async function sweepExpiredUploads(now = new Date(), limit = 100): Promise<number> {
  return db.$transaction(async (tx) => {
    const expired = await tx.$queryRaw<{ id: string; storageKey: string | null }[]>`
      SELECT "id", "storageKey" FROM "TicketAttachment"
      WHERE "messageId" IS NULL AND "pendingUntil" < ${now}
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    if (expired.length === 0) return 0;
    await tx.ticketAttachment.deleteMany({ where: { id: { in: expired.map((row) => row.id) }, messageId: null } });
    await fileStore().delete(
      expired.flatMap((row) => (row.storageKey ? [row.storageKey] : [])),
      tx,
    );
    return expired.length;
  });
}
