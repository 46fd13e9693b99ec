import "server-only";
import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { recordAudit } from "@/platform/audit";
import { DomainError } from "@/platform/errors";
import type { Actor } from "@/platform/auth/sessions";
import { db, Prisma } from "@/platform/db/client";
import { queryPrepared } from "@/platform/db/prepared";
import { isUniqueViolation } from "@/platform/db/errors";

/** Ready-made answers agents insert into a reply and adjust before sending. */
export const cannedReplySchema = z.object({
  id: z.uuid().optional(),
  title: cleanText()
    .trim()
    .min(3, { message: "Give the reply a title of at least 3 characters." })
    .max(100, { message: "Keep the title under 100 characters." }),
  body: cleanText({ multiline: true }).trim().min(1, { message: "Write the reply text." }).max(10_000, { message: "Keep the reply under 10,000 characters." }),
});
export type CannedReplyInput = z.infer<typeof cannedReplySchema>;

/** Every canned reply by title. A prepared statement: the ticket page's composer offers them on every open (ARCHITECTURE.md, "Hot paths"). */
export function listCannedReplies(): Promise<{ id: string; title: string; body: string; updatedAt: Date }[]> {
  return queryPrepared(Prisma.sql`SELECT "id", "title", "body", "updatedAt" FROM "CannedReply" ORDER BY "title", "id"`);
}

export async function saveCannedReply(actor: Actor, input: CannedReplyInput) {
  try {
    const saved = input.id
      ? await db.cannedReply.update({ where: { id: input.id }, data: { title: input.title, body: input.body } })
      : await db.cannedReply.create({ data: { title: input.title, body: input.body, createdById: actor.userId } });
    await recordAudit({
      action: input.id ? "canned_reply.updated" : "canned_reply.created",
      actor: { userId: actor.userId, role: actor.role },
      subjectType: "CannedReply",
      subjectId: saved.id,
    });
    return { id: saved.id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("A canned reply with that title already exists.", "conflict", { title: ["A canned reply with that title already exists."] });
    }
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025")
      throw new DomainError("That canned reply no longer exists.", "not_found");
    throw error;
  }
}
