import { authorizedRoute } from "@/platform/auth/guard";
import { staffTicketEventStream } from "@/features/tickets/live/streams";

/** Server-sent events for the agent ticket page: this ticket changed, who else has it open. */
export const GET = authorizedRoute("console", async (request, actor, context) => staffTicketEventStream(request, actor, await context.params));
