import { authorizedRoute } from "@/platform/auth/guard";
import { presenceHeartbeatResponse } from "@/features/tickets/live/presence-route";

/** The agent ticket page's heartbeat: viewing, replying or gone. */
export const POST = authorizedRoute("console", async (request, actor, context) => presenceHeartbeatResponse(request, actor, await context.params));
