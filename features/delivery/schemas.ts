import "server-only";
import { z } from "zod";
import { MAX_REQUEUE } from "@/platform/outbox/failures";

/** Requeue the selected failed messages, or all of them. */
export const requeueInputSchema = z.union([
  z.object({ ids: z.array(z.uuid()).min(1, { message: "Select at least one message." }).max(MAX_REQUEUE) }),
  z.object({ all: z.literal(true) }),
]);
