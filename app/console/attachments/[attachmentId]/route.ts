import { authorizedRoute } from "@/lib/auth/guard";
import { attachmentForStaff, attachmentIdFrom, attachmentResponse } from "@/lib/tickets/attachments";

/** A ticket attachment, downloaded by staff. */
export const GET = authorizedRoute("console", async (_request, _actor, context) => {
  const id = attachmentIdFrom(await context.params);
  return attachmentResponse(id ? await attachmentForStaff(id) : null);
});
