import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { tinyPng } from "@/platform/testing/sample-files";
import { receiveUpload, removeUpload } from "@/features/tickets/uploads/upload-route";

async function customer(): Promise<Actor> {
  const email = `${randomUUID()}@example.com`;
  const user = await db.user.create({ data: { email, name: "A customer", role: "customer", emailVerifiedAt: new Date() } });
  return { sessionId: randomUUID(), userId: user.id, role: "customer", name: user.name, email, customerId: null };
}

const MB = 1024 * 1024;
const png = () => new Uint8Array(tinyPng());
const post = (body: BodyInit, headers: Record<string, string>) =>
  new Request("http://localhost/api/portal/attachments", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** A body of `size` bytes sent in pieces with no Content-Length (chunked), as a hostile client might. */
function streamOf(size: number) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      const chunk = new Uint8Array(Math.min(MB, size - sent));
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, sentBytes: () => sent };
}

describe("POST /api/{portal,console}/attachments", () => {
  it("stores a file sent as the body, named by X-File-Name", async () => {
    const actor = await customer();
    const response = await receiveUpload(post(png(), { "X-File-Name": encodeURIComponent("Photo é.png") }), actor);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ filename: "Photo é.png", contentType: "image/png", sizeBytes: tinyPng().byteLength });
  });

  it("answers 413 for a body over the file limit, by its length or while reading, and stores nothing", async () => {
    const actor = await customer();
    const declared = await receiveUpload(post("x", { "X-File-Name": "big.pdf", "Content-Length": String(26 * MB) }), actor);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toBe('"big.pdf" is larger than 25 MB, the most a file can be.');
    const huge = streamOf(200 * MB);
    const streamed = await receiveUpload(post(huge.stream, { "X-File-Name": "big.pdf" }), actor);
    expect(streamed.status).toBe(413);
    // It stopped reading just past the limit instead of buffering the whole body.
    expect(huge.sentBytes()).toBeLessThanOrEqual(27 * MB);
    expect(await db.ticketAttachment.count({ where: { uploaderUserId: actor.userId } })).toBe(0);
  });

  it("answers 400 without a file name or with one that is not URI-encoded UTF-8", async () => {
    const actor = await customer();
    expect((await receiveUpload(post(png(), {}), actor)).status).toBe(400);
    expect((await receiveUpload(post(png(), { "X-File-Name": "%E0%A4%A" }), actor)).status).toBe(400);
  });

  it("removes only the caller's own pending upload", async () => {
    const owner = await customer();
    const other = await customer();
    const { id } = await (await receiveUpload(post(png(), { "X-File-Name": "a.png" }), owner)).json();
    const remove = () => new Request(`http://localhost/api/portal/attachments?id=${id}`, { method: "DELETE" });
    expect((await removeUpload(remove(), other)).status).toBe(404);
    expect((await removeUpload(new Request("http://localhost/api/portal/attachments?id=%ED%A0%80", { method: "DELETE" }), owner)).status).toBe(404);
    expect((await removeUpload(remove(), owner)).status).toBe(204);
    expect(await db.ticketAttachment.findUnique({ where: { id } })).toBeNull();
  });

  it("answers 429 to a third upload while two of the person's are still arriving, and frees the slots after", async () => {
    const actor = await customer();
    const other = await customer();
    const gates: Array<() => void> = [];
    /** The PNG's bytes, the last piece held back until the gate opens. */
    const stalled = () => {
      const bytes = png();
      let step = 0;
      let opened: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        opened = resolve;
      });
      gates.push(() => opened());
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (step === 0) controller.enqueue(bytes.subarray(0, 10));
          else if (step === 1) {
            await gate;
            controller.enqueue(bytes.subarray(10));
          } else controller.close();
          step++;
        },
      });
    };
    const first = receiveUpload(post(stalled(), { "X-File-Name": "a.png" }), actor);
    const second = receiveUpload(post(stalled(), { "X-File-Name": "b.png" }), actor);
    const third = await receiveUpload(post(png(), { "X-File-Name": "c.png" }), actor);
    expect(third.status).toBe(429);
    expect((await third.json()).error).toBe('You are already uploading 2 files. Wait for one of them to finish, then attach "c.png" again.');
    // Another person is not held up by them.
    expect((await receiveUpload(post(png(), { "X-File-Name": "d.png" }), other)).status).toBe(201);
    for (const open of gates) open();
    expect([(await first).status, (await second).status]).toEqual([201, 201]);
    const again = await receiveUpload(post(png(), { "X-File-Name": "c.png" }), actor);
    expect(again.status).toBe(201);
    // The bytes stored are the body's, unchanged.
    const row = await db.ticketAttachment.findUniqueOrThrow({ where: { id: (await again.json()).id } });
    expect(Buffer.from((await db.storedFile.findUniqueOrThrow({ where: { key: row.storageKey! } })).content)).toEqual(Buffer.from(tinyPng()));
  });
});
