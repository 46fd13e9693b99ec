import { authorizedRoute } from "@/platform/auth/guard";
import { queueEventStream } from "@/features/tickets/live/streams";

/** Server-sent events: any ticket changed (staff queues re-read themselves). */
export const GET = authorizedRoute("console", async (request, actor) => queueEventStream(request, actor));
