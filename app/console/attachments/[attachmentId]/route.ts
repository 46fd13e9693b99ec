import { authorizedRoute } from "@/platform/auth/guard";
import { attachmentForStaff, attachmentIdFrom, attachmentResponse } from "@/features/tickets/attachments";

/** A ticket attachment, downloaded by staff. */
export const GET = authorizedRoute("console", async (_request, _actor, context) => {
  const id = attachmentIdFrom(await context.params);
  return attachmentResponse(id ? await attachmentForStaff(id) : null);
});
