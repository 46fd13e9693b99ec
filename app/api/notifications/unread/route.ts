import { authorizedRoute } from "@/platform/auth/guard";
import { unreadNotificationCount } from "@/features/notifications/service";

/** The bell's count, for the signed-in staff member only. */
export const GET = authorizedRoute("console", async (_request, actor) => {
  return Response.json({ unread: await unreadNotificationCount(actor) }, { headers: { "Cache-Control": "no-store" } });
});
