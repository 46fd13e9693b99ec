import { jobProgressResponse } from "@/features/jobs/progress-route";
import { authorizedRoute } from "@/platform/auth/guard";

export const GET = authorizedRoute("supervisor", async (_request, _actor, context) => jobProgressResponse(String((await context.params).id)));
