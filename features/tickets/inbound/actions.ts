"use server";

import "server-only";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { cleanText } from "@/platform/text/schemas";
import { ActionError, authorizedAction } from "@/platform/auth/guard";
import { acceptHeldEmail, HeldEmailError, rejectHeldEmail } from "@/features/tickets/inbound/held-email";
import { ticketReference } from "@/features/tickets/labels";

function asActionError(error: unknown): never {
  if (error instanceof HeldEmailError) throw new ActionError(error.message, error.code);
  throw error;
}

/** Files a held email as if it had passed authentication: a new ticket or a message on the ticket it answers. */
export const acceptHeldEmailAction = authorizedAction("console", z.object({ id: z.uuid({ error: "Choose an email." }) }), async ({ id }, actor) => {
  const result = await acceptHeldEmail(id, actor).catch(asActionError);
  revalidatePath("/console/inbound");
  return { ticket: ticketReference(result.ticketNumber), ticketId: result.ticketId, created: result.created };
});

/** Keeps a held email out of every ticket; the reason is audited. */
export const rejectHeldEmailAction = authorizedAction(
  "console",
  z.object({
    id: z.uuid({ error: "Choose an email." }),
    reason: cleanText({ multiline: true })
      .trim()
      .min(3, { error: "Say in a few words why it is rejected." })
      .max(500, { error: "Keep the reason under 500 characters." }),
  }),
  async ({ id, reason }, actor) => {
    await rejectHeldEmail(id, actor, reason).catch(asActionError);
    revalidatePath("/console/inbound");
    return { rejected: true };
  },
);
