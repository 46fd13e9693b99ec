import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { deliverDueMessages } from "@/platform/outbox/outbox";
import type { OutgoingMessage } from "@/platform/outbox/transports/index";
import { tinyExe, tinyPdf, tinyPng } from "@/platform/testing/sample-files";
import { registerTicketEmailAttachments } from "@/features/tickets/attachment-files";
import { attachmentForCustomer, attachmentForStaff } from "@/features/tickets/attachments";
import { addInternalNote, createPortalTicket, getOwnTicket, replyAsAgent, replyAsCustomer } from "@/features/tickets/desk";
import { attachmentLimits } from "@/features/tickets/uploads/limits";
import {
  claimUploads,
  deletePendingUpload,
  MAX_PENDING_UPLOADS_PER_PERSON,
  PENDING_UPLOAD_TTL_MS,
  storeUpload,
  sweepExpiredUploads,
} from "@/features/tickets/uploads/uploads";

const limits = attachmentLimits({ ATTACHMENT_MAX_FILE_MB: 25, ATTACHMENT_MAX_MESSAGE_MB: 25 });
const newTicket = { subject: "Scanner jams", description: "See the attached scan.", category: "problem", priority: "normal" } as const;

async function person(role: "customer" | "agent"): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: `A ${role}`, role, emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email, customerId: null };
}

async function upload(actor: Actor, name: string, content: Uint8Array) {
  const outcome = await storeUpload(actor, name, content, limits);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.upload;
}

const storedFiles = (ids: string[]) =>
  db.ticketAttachment.findMany({ where: { id: { in: ids } }, select: { id: true, messageId: true, storageKey: true, pendingUntil: true } });
const blobCount = async () => db.storedFile.count();

// As instrumentation.ts does at start-up: the outbox finds ticket attachments through it.
beforeAll(() => registerTicketEmailAttachments());

describe("uploads", () => {
  it("stores an accepted file as the uploader's pending upload, bytes in the file store", async () => {
    const customer = await person("customer");
    const pdf = await upload(customer, "scan.pdf", tinyPdf());
    expect(pdf).toMatchObject({ filename: "scan.pdf", contentType: "application/pdf", sizeBytes: tinyPdf().byteLength });
    const row = await db.ticketAttachment.findUniqueOrThrow({ where: { id: pdf.id } });
    expect(row).toMatchObject({ messageId: null, uploaderUserId: customer.userId });
    expect(row.content.byteLength).toBe(0);
    expect(Buffer.from((await db.storedFile.findUniqueOrThrow({ where: { key: row.storageKey! } })).content)).toEqual(tinyPdf());
    // Nobody downloads a pending upload, not even staff.
    expect(await attachmentForStaff(pdf.id)).toBeNull();
    expect(await attachmentForCustomer(customer, pdf.id)).toBeNull();
  });

  it("stores nothing for a refused file", async () => {
    const customer = await person("customer");
    const before = { rows: await db.ticketAttachment.count(), blobs: await blobCount() };
    for (const [name, content] of [
      ["invoice.pdf", tinyExe()],
      ["empty.pdf", new Uint8Array(0)],
      ["../../etc/passwd.txt", Buffer.from("root")],
      ["photo.pdf", tinyPng()],
    ] as const) {
      expect(await storeUpload(customer, name, content, limits)).toMatchObject({ ok: false });
    }
    expect({ rows: await db.ticketAttachment.count(), blobs: await blobCount() }).toEqual(before);
  });

  it("sends a customer's uploads with their new ticket and reply; the thread lists them and they download", async () => {
    const customer = await person("customer");
    const pdf = await upload(customer, "scan.pdf", tinyPdf());
    const png = await upload(customer, "photo.png", tinyPng());
    const ticket = await createPortalTicket(customer, { ...newTicket, attachmentIds: [pdf.id] });
    await replyAsCustomer(customer, { ticketId: ticket.id, body: "And a photo.", attachmentIds: [png.id] });
    const seen = await getOwnTicket(customer, ticket.id);
    expect(seen?.messages.map((m) => m.attachments.map((a) => a.filename))).toEqual([["scan.pdf"], ["photo.png"]]);
    expect((await storedFiles([pdf.id, png.id])).every((row) => row.messageId !== null && row.pendingUntil === null)).toBe(true);
    const stranger = await person("customer");
    expect(await attachmentForCustomer(stranger, png.id)).toBeNull();
    const downloaded = await attachmentForCustomer(customer, png.id);
    expect(Buffer.from(downloaded!.content)).toEqual(tinyPng());
    expect(downloaded?.contentType).toBe("image/png");
  });

  it("refuses another person's upload: no message, no ticket, and the upload stays theirs", async () => {
    const owner = await person("customer");
    const thief = await person("customer");
    const theirs = await upload(owner, "contract.pdf", tinyPdf());
    const ticket = await createPortalTicket(thief, newTicket);
    const messagesBefore = await db.ticketMessage.count({ where: { ticketId: ticket.id } });
    await expect(replyAsCustomer(thief, { ticketId: ticket.id, body: "Look", attachmentIds: [theirs.id] })).rejects.toThrow(/no longer available/);
    await expect(createPortalTicket(thief, { ...newTicket, attachmentIds: [theirs.id] })).rejects.toThrow(/no longer available/);
    expect(await db.ticketMessage.count({ where: { ticketId: ticket.id } })).toBe(messagesBefore);
    expect(await db.ticket.count({ where: { requesterUserId: thief.userId } })).toBe(1);
    expect(await storedFiles([theirs.id])).toMatchObject([{ messageId: null }]);
    // Nor may they remove it.
    expect(await deletePendingUpload(thief, theirs.id)).toBe(false);
  });

  it("refuses an expired, an already sent or a mixed set of uploads all together", async () => {
    const customer = await person("customer");
    const ticket = await createPortalTicket(customer, newTicket);
    const sent = await upload(customer, "a.pdf", tinyPdf());
    await replyAsCustomer(customer, { ticketId: ticket.id, body: "one", attachmentIds: [sent.id] });
    const fresh = await upload(customer, "b.png", tinyPng());
    await expect(replyAsCustomer(customer, { ticketId: ticket.id, body: "again", attachmentIds: [fresh.id, sent.id] })).rejects.toThrow(/no longer available/);
    // The fresh one was not half-claimed by the failed send.
    expect(await storedFiles([fresh.id])).toMatchObject([{ messageId: null }]);

    const old = await upload(customer, "c.png", tinyPng());
    await db.ticketAttachment.update({ where: { id: old.id }, data: { pendingUntil: new Date(Date.now() - 1000) } });
    await expect(replyAsCustomer(customer, { ticketId: ticket.id, body: "late", attachmentIds: [old.id] })).rejects.toThrow(/no longer available/);
  });

  it("refuses files that together pass the message limit", async () => {
    const customer = await person("customer");
    const small = attachmentLimits({ ATTACHMENT_MAX_FILE_MB: 1, ATTACHMENT_MAX_MESSAGE_MB: 1 });
    const half = new Uint8Array(600 * 1024);
    half.set(tinyPdf());
    const a = await upload(customer, "a.pdf", half);
    const b = await upload(customer, "b.pdf", half);
    const ticket = await createPortalTicket(customer, newTicket);
    const message = await db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id } });
    await expect(db.$transaction((tx) => claimUploads(tx, customer, message.id, [a.id, b.id], small))).rejects.toThrow(
      "The files add up to 1.2 MB; one message can carry 1 MB at most. Remove some and send again.",
    );
    expect(await db.$transaction((tx) => claimUploads(tx, customer, message.id, [a.id], small))).toEqual([a.id]);
  });

  it("sweeps pending uploads past their day, with their bytes, and leaves sent ones alone", async () => {
    const customer = await person("customer");
    const ticket = await createPortalTicket(customer, newTicket);
    const kept = await upload(customer, "kept.pdf", tinyPdf());
    await replyAsCustomer(customer, { ticketId: ticket.id, body: "kept", attachmentIds: [kept.id] });
    const forgotten = await upload(customer, "forgotten.png", tinyPng());
    const [row] = await storedFiles([forgotten.id]);
    const later = new Date(Date.now() + PENDING_UPLOAD_TTL_MS + 60_000);
    expect(await sweepExpiredUploads(later, 10_000)).toBeGreaterThanOrEqual(1);
    expect(await storedFiles([forgotten.id, kept.id])).toMatchObject([{ id: kept.id }]);
    expect(await db.storedFile.findUnique({ where: { key: row!.storageKey! } })).toBeNull();
  });

  it("an agent's internal note keeps its files from the customer; a public reply emails them, loaded at send time", async () => {
    const customer = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(customer, newTicket);
    const noteFile = await upload(agent, "internal.png", tinyPng());
    await addInternalNote(agent, { ticketId: ticket.id, body: "See screenshot", attachmentIds: [noteFile.id] });
    expect(await attachmentForCustomer(customer, noteFile.id)).toBeNull();
    expect((await attachmentForStaff(noteFile.id))?.filename).toBe("internal.png");
    expect((await getOwnTicket(customer, ticket.id))?.messages.flatMap((m) => m.attachments)).toEqual([]);

    const manual = await upload(agent, "manual.pdf", tinyPdf());
    const reply = await replyAsAgent(agent, { ticketId: ticket.id, body: "Here is the manual.", attachmentIds: [manual.id] });
    const message = await db.ticketMessage.findUniqueOrThrow({ where: { id: reply.messageId }, include: { outbox: true } });
    expect(message.outbox?.attachmentIds).toEqual([manual.id]);

    const sent: OutgoingMessage[] = [];
    // Only this reply: other test files leave due messages (acknowledgements of every new ticket) in the shared database.
    await deliverDueMessages({
      onlyIds: [message.outboxMessageId!],
      transports: {
        email: {
          name: "fake",
          async send(outgoing) {
            sent.push(outgoing);
            return { providerMessageId: randomUUID() };
          },
        },
      },
    });
    const email = sent.find((outgoing) => outgoing.id === message.outboxMessageId);
    expect(email?.attachments?.map((file) => [file.filename, file.contentType, Buffer.from(file.content).equals(tinyPdf())])).toEqual([
      ["manual.pdf", "application/pdf", true],
    ]);
  });

  it("an agent cannot send a customer's pending upload, nor a customer an agent's", async () => {
    const customer = await person("customer");
    const agent = await person("agent");
    const ticket = await createPortalTicket(customer, newTicket);
    const customers = await upload(customer, "mine.pdf", tinyPdf());
    const agents = await upload(agent, "ours.pdf", tinyPdf());
    await expect(replyAsAgent(agent, { ticketId: ticket.id, body: "x", attachmentIds: [customers.id] })).rejects.toThrow(/no longer available/);
    await expect(replyAsCustomer(customer, { ticketId: ticket.id, body: "x", attachmentIds: [agents.id] })).rejects.toThrow(/no longer available/);
    // The failed reply queued no email either.
    expect(await db.outboxMessage.count({ where: { attachmentIds: { has: customers.id } } })).toBe(0);
  });

  /** Pending rows (no stored bytes needed) that count against the person's caps. */
  async function pendingRows(actor: Actor, count: number, sizeBytes: number) {
    await db.ticketAttachment.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        filename: `old-${i}.pdf`,
        contentType: "application/pdf",
        sizeBytes,
        content: new Uint8Array(0),
        uploaderUserId: actor.userId,
        pendingUntil: new Date(Date.now() + PENDING_UPLOAD_TTL_MS),
      })),
    });
  }

  it("holds the pending-files cap when uploads arrive in parallel", async () => {
    const customer = await person("customer");
    await pendingRows(customer, MAX_PENDING_UPLOADS_PER_PERSON - 2, 10);
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => storeUpload(customer, `scan-${i}.pdf`, tinyPdf(), limits)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({
      status: 429,
      message: `You have ${MAX_PENDING_UPLOADS_PER_PERSON} files waiting to be sent. Send or remove some before uploading more.`,
    });
    expect(await db.ticketAttachment.count({ where: { uploaderUserId: customer.userId, messageId: null } })).toBe(MAX_PENDING_UPLOADS_PER_PERSON);
  });

  it("caps the bytes one person holds pending at two messages' worth, in parallel too", async () => {
    const customer = await person("customer");
    const size = tinyPdf().byteLength;
    // Room for exactly two more files.
    await pendingRows(customer, 1, 2 * limits.maxMessageBytes - 2 * size);
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => storeUpload(customer, `scan-${i}.pdf`, tinyPdf(), limits)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
    expect(outcomes.find((o) => !o.ok)).toMatchObject({
      status: 429,
      message: "Your files waiting to be sent already add up to 50 MB; together they can be 50 MB at most. Send or remove some before uploading more.",
    });
  });

  it("does not delete an upload that a send claims while the delete is under way", async () => {
    const customer = await person("customer");
    const ticket = await createPortalTicket(customer, newTicket);
    const message = await db.ticketMessage.findFirstOrThrow({ where: { ticketId: ticket.id } });
    const pdf = await upload(customer, "scan.pdf", tinyPdf());
    let deleting: Promise<boolean> | undefined;
    await db.$transaction(async (tx) => {
      // The send's claim, not yet committed, while the × is pressed.
      await tx.ticketAttachment.updateMany({ where: { id: pdf.id, messageId: null }, data: { messageId: message.id, pendingUntil: null } });
      deleting = deletePendingUpload(customer, pdf.id);
      // Commit only once the delete waits on the claimed row's lock.
      for (;;) {
        const [lockWait] = await db.$queryRaw<{ waiting: number }[]>`
          SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
        if ((lockWait?.waiting ?? 0) > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    expect(await deleting).toBe(false);
    const [row] = await storedFiles([pdf.id]);
    expect(row?.messageId).toBe(message.id);
    expect(await db.storedFile.count({ where: { key: row!.storageKey! } })).toBe(1);
  });
});
