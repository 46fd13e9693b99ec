import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/platform/auth/sessions";
import { db } from "@/platform/db/client";
import { listCannedReplies, saveCannedReply } from "@/features/tickets/canned-replies";

const agent = async (): Promise<Actor> => {
  const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: "Agent", role: "agent" } });
  return { sessionId: randomUUID(), userId: user.id, role: "agent", name: "Agent", email: user.email, customerId: null };
};

describe("canned replies", () => {
  it("creates, edits and lists replies; titles are unique", async () => {
    const actor = await agent();
    const title = `Greeting ${randomUUID().slice(0, 6)}`;
    const { id } = await saveCannedReply(actor, { title, body: "Hello!" });
    await saveCannedReply(actor, { id, title, body: "Hello there!" });
    expect((await listCannedReplies()).find((r) => r.id === id)?.body).toBe("Hello there!");
    await expect(saveCannedReply(actor, { title, body: "dup" })).rejects.toThrow("already exists");
    await expect(saveCannedReply(actor, { id: randomUUID(), title: `${title} 2`, body: "x" })).rejects.toThrow("no longer exists");
  });
});
