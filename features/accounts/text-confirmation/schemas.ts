import { z } from "zod";

/** A change waiting for a text answer, named by the account page's buttons. Browser-safe. */
export const pendingChangeIdSchema = z.object({ pendingChangeId: z.uuid({ message: "This change is not one of yours." }) });
export type PendingChangeIdInput = z.input<typeof pendingChangeIdSchema>;
