import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { requestIp } from "@/platform/auth/guard";
import { exportForCustomer } from "@/features/privacy/export";

/** HTTP glue of GET /portal/my-data: the ZIP as a download, or 429 with when to come back. */
export async function exportRoute(_request: Request, actor: Actor): Promise<Response> {
  const result = await exportForCustomer(actor, await requestIp());
  if (!result.ok) {
    return Response.json({ error: result.message }, { status: result.status, headers: { "Retry-After": String(result.retryAfterSeconds) } });
  }
  return new Response(result.stream, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${result.filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
