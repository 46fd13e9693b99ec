import { authorizedRoute } from "@/platform/auth/guard";
import { attachmentForCustomer, attachmentIdFrom, attachmentResponse } from "@/features/tickets/attachments";

/** An attachment on the customer's own ticket; another customer's looks like no attachment at all. */
export const GET = authorizedRoute("portal", async (_request, actor, context) => {
  const id = attachmentIdFrom(await context.params);
  return attachmentResponse(id ? await attachmentForCustomer(actor, id) : null);
});
