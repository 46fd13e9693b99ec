import { authorizedRoute } from "@/platform/auth/guard";
import { customerTicketEventStream } from "@/features/tickets/live/streams";

/** Server-sent events for a customer's own ticket page: a reply or a status change arrived. */
export const GET = authorizedRoute("portal", async (request, actor, context) => customerTicketEventStream(request, actor, await context.params));
