import { errorReportResponse } from "@/features/data-quality/import/upload-route";
import { authorizedRoute, requestIp } from "@/platform/auth/guard";

export const GET = authorizedRoute("supervisor", async (_request, actor, context) =>
  errorReportResponse(String((await context.params).id), { userId: actor.userId, role: actor.role }, await requestIp()),
);
