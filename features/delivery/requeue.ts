import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/platform/audit";
import type { Actor } from "@/platform/auth/sessions";
import { requeueFailedMessages } from "@/platform/outbox/failures";
import type { requeueInputSchema } from "./schemas";

/** A supervisor sends failed messages again; one audit event per request, naming the messages (never their contents). */
export async function requeueForSupervisor(actor: Actor, input: z.output<typeof requeueInputSchema>, ip: string | null = null) {
  const result = await requeueFailedMessages("all" in input ? { all: true } : { ids: input.ids });
  await recordAudit({
    action: "outbox.requeued",
    actor: { userId: actor.userId, role: actor.role },
    subjectType: "OutboxMessage",
    ip,
    details: {
      selection: "all" in input ? "all_failed" : "selected",
      requeued: result.requeued.length,
      refused: result.refused.length,
      // Ids only: enough to trace each message, nothing about its contents.
      requeuedIds: result.requeued.slice(0, 200),
      refusedIds: result.refused.slice(0, 200).map(({ id, reason }) => `${id}:${reason}`),
    },
  });
  return { requeued: result.requeued.length, refused: result.refused.length };
}
